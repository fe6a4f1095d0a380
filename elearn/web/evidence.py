"""Evidence packs as the web app serves them: the context, the streamed ZIP response, the audit record.

Shared by the administrator's and the learner's pages so both stay thin views.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context
from flask_login import current_user

from elearn.accounts import record
from elearn.certificates import signing
from elearn.certificates.documents import KINDS, document_for
from elearn.certificates.issue import certificate_data
from elearn.db import get_session
from elearn.evidence.pack import PackContext, group_names, stored_pdfs
from elearn.models import Certificate
from elearn.web.certificates import document_maker, identity, instance_dir
from elearn.web.modules import get_library


def context(*, make_missing: bool = False) -> PackContext:
    """The pack context; ``make_missing``: render and store the PDFs not downloaded yet (one learner only)."""
    session = get_session()
    titles = {module.slug: module.title for module in get_library().modules()}
    documents = _made_documents if make_missing else stored_pdfs
    return PackContext(
        signing.load_or_create_private_key(instance_dir()), identity().name, titles, group_names(session), documents
    )


def _made_documents(session, certificate: Certificate) -> dict[str, bytes]:  # noqa: ANN001
    """Every kind of signed PDF of a valid certificate, made now when not stored yet."""
    if certificate.revoked_at is not None:
        return {}
    data = certificate_data(certificate)
    made = {
        kind: document_for(session, certificate, kind, lambda kind=kind: document_maker().render(kind, data, certificate.credential))
        for kind in KINDS
    }
    return {kind: document.pdf for kind, document in made.items() if document.pdf is not None}


def zip_response(chunks: Iterator[bytes], filename: str, *, target: str, **details: Any) -> Response:
    """Record who downloads which pack (committed first), then stream it."""
    session = get_session()
    record(session, "evidence.downloaded", actor=current_user, target=target, file=filename, **details)
    session.commit()
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
