"""The certificate feature as the web app sees it: the configured path, the issuer, the PDF response.

Shared by the learner, public and administrator pages so each of them stays a thin view.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from flask import Response, abort, current_app, g, request

from elearn.certificates import signing
from elearn.certificates.documents import ATTESTATION, KINDS, DocumentMaker, document_for
from elearn.certificates.eligibility import CertificateStatus, certificate_status
from elearn.certificates.issue import Issuer, certificate_data
from elearn.certificates.path import Organisation, PathConfigError, TrainingPath, load_path
from elearn.db import get_session
from elearn.learning.progress import ModuleState
from elearn.models import Certificate, User
from elearn.organisation.identity import Identity, current_identity, organisation_identity, with_identity
from elearn.web.modules import get_library

log = logging.getLogger("elearn")


def configured_path() -> TrainingPath | None:
    """The training path, or None when certificates are not configured; PathConfigError when broken.

    Read once per request: a catalog page asks three times (its certificate panel, the assessment
    panel and the navigation), and each read parses and checks ``parcours.yml``.
    """
    if "training_path" not in g:
        try:
            g.training_path = load_path(Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]))
        except PathConfigError as error:
            g.training_path = error
    if isinstance(g.training_path, PathConfigError):
        raise g.training_path
    return g.training_path


def organisation() -> Organisation | None:
    """The organisation named by exports (:func:`elearn.organisation.identity.organisation_identity`)."""
    return organisation_identity(get_session(), Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]))


def path_or_problems() -> tuple[TrainingPath | None, list[str]]:
    """The path and no problem, or None and the problems of ``parcours.yml`` (logged for operators)."""
    try:
        return configured_path(), []
    except PathConfigError as error:
        log.error("parcours.yml is invalid:\n%s", error)
        return None, error.problems


def status_for(user: User, states: Sequence[ModuleState] | None = None) -> CertificateStatus | None:
    """What the catalog and progress page show, or None when certificates are off or misconfigured.

    ``states``: the learner's module states when the page has read them already.
    """
    path, _ = path_or_problems()
    if path is None:
        return None
    return certificate_status(get_session(), user, get_library(), path, states)


def instance_dir() -> Path:
    return Path(current_app.config["ELEARN_INSTANCE_DIR"])


def base_url() -> str:
    """The public address printed on certificates: ``ELEARN_BASE_URL``, else the address in use."""
    return (current_app.config.get("ELEARN_BASE_URL") or request.url_root).rstrip("/")


def identity() -> Identity:
    """The organisation's identity in force (Administration › Organisation over parcours.yml)."""
    path, _ = path_or_problems()
    return current_identity(get_session(), path)


def issuer(path: TrainingPath) -> Issuer:
    """Issues from ``path`` with the organisation's identity in force."""
    in_force = with_identity(path, current_identity(get_session(), path))
    return Issuer(in_force, get_library(), signing.load_or_create_private_key(instance_dir()), base_url())


def document_maker() -> DocumentMaker:
    """Renders and signs with this installation's folders and the organisation's current artwork."""
    from elearn.certificates.pdf import Artwork  # WeasyPrint: paid by the first PDF only

    organisation = identity()
    return DocumentMaker(
        instance_dir(), Path(current_app.config["ELEARN_MEDIA_DIR"]), Artwork(organisation.signature_png, organisation.logo_png)
    )


def pdf_response(certificate: Certificate, kind: str = ATTESTATION) -> Response:
    """The certificate's signed PDF of ``kind``, as stored when first handed out."""
    data = certificate_data(certificate)
    document = document_for(
        get_session(), certificate, kind, lambda: document_maker().render(kind, data, certificate.credential)
    )
    if document.pdf is None:  # the holder was erased: pages offer no PDF, a typed URL lands here
        abort(404)
    response = Response(document.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{KINDS[kind][1]}-{certificate.code}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
