"""Public certificate verification: type a code or follow the QR code; the signing key is published.

The page says valid, revoked (with the date) or unknown, and shows every certified field (holder,
training, organisation, period, durations, each module with its date and score, the PDF's SHA-256).
A PDF posted to the page is compared with the file issued for the code (same bytes, else which field
differs); it is read in memory and never stored. After an erasure (right to erasure) not even the
name: the page says the holder's identity was erased at their request. Lookups of unknown codes are
rate-limited per client by :mod:`elearn.security.ratelimit`, whose counters live in the database, so
the limit holds across worker processes.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, redirect, render_template, request, url_for
from sqlmodel import select

from elearn.certificates import pades, signing
from elearn.certificates.codes import normalise_code
from elearn.certificates.credential import is_demonstration
from elearn.certificates.documents import stored_documents
from elearn.certificates.issue import certificate_data, find_certificate, holder_erased
from elearn.db import get_session
from elearn.formatting import percent
from elearn.i18n import _
from elearn.models import Certificate
from elearn.security import ratelimit
from elearn.web.certificates import instance_dir
from elearn.web.public import bp

#: A certificate PDF is about 100 kB; the request limit (``MAX_CONTENT_LENGTH``) stops larger bodies first.
MAX_UPLOAD_BYTES = 2 * 2**20


@bp.route("/verify")
def verify():
    """The form; a typed code leads to its page (typing slips forgiven)."""
    typed = request.args.get("code", "").strip()
    if typed:
        code = normalise_code(typed)
        if code is not None:
            return redirect(url_for("public.verify_code", code=code))
        return render_template("public/verify.html", typed=typed, malformed=True), 400
    return render_template("public/verify.html", typed="", malformed=False)


@bp.route("/verify/<code>", methods=["GET", "POST"])
def verify_code(code: str):
    """The certificate's page; a PDF posted here is compared with the file issued (and never stored)."""
    ratelimit.ensure_room(ratelimit.UNKNOWN_CODES_PER_ADDRESS)
    db = get_session()
    found = find_certificate(db, code)
    if found is None:
        ratelimit.note(ratelimit.UNKNOWN_CODES_PER_ADDRESS)
        return render_template("public/verify_result.html", certificate=None, data=None, code=code), 404
    data = certificate_data(found)
    erased = holder_erased(db, found)
    documents = stored_documents(db, found)
    comparison, problem = None, None
    if request.method == "POST":
        comparison, problem = _compare_upload(found, data, {kind: d.sha256 for kind, d in documents.items()}, erased)
    return render_template(
        "public/verify_result.html",
        certificate=found,
        data=data,
        code=found.code,
        erased=erased,
        # A reissued certificate (after a correction of the name, say) reads « remplacée », not just revoked.
        replaced_by=db.exec(select(Certificate).where(Certificate.replaces_id == found.id)).first(),
        demonstration=is_demonstration(data),
        documents=documents,
        comparison=comparison,
        upload_problem=problem,
        percent=percent,
        kind_labels=document_labels(),
    ), 400 if problem else 200


def document_labels() -> dict[str, str]:
    """The kinds of signed document, as the page names them."""
    return {"attestation": _("Attestation de suivi de formation"), "realisation": _("Certificat de réalisation")}


def _compare_upload(certificate, data, fingerprints: dict[str, str], erased: bool):  # noqa: ANN001, ANN202
    """(comparison, None) for a readable upload, else (None, the French problem)."""
    ratelimit.ensure_room(ratelimit.VERIFY_UPLOADS_PER_ADDRESS)
    ratelimit.note(ratelimit.VERIFY_UPLOADS_PER_ADDRESS)
    upload = request.files.get("document")
    content = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
    if not content:
        return None, _("Choisissez le fichier PDF de l'attestation à comparer.")
    if len(content) > MAX_UPLOAD_BYTES:
        return None, _("Ce fichier dépasse %(max)d Mo : ce n'est pas une attestation délivrée par la plateforme.", max=MAX_UPLOAD_BYTES // 2**20)
    if not content.startswith(b"%PDF-"):
        return None, _("Ce fichier n'est pas un PDF.")
    # Imported here: reading PDFs loads WeasyPrint's sibling modules, which only uploads need.
    from elearn.certificates.verify import compare_with_issued

    instance = instance_dir()
    key = signing.load_or_create_private_key(instance).public_key()
    comparison = compare_with_issued(content, data, fingerprints, key, pades.load_signer(instance).certificate)
    if erased and not comparison.same_file:  # the stored name is gone: fields cannot be compared
        comparison = replace(comparison, differences=())
    return comparison, None


@bp.route("/.well-known/elearn-certificate-key")
def certificate_key():
    """The public key that signs certificates (Multikey JSON with the PEM), for offline verification."""
    key = signing.load_or_create_private_key(instance_dir()).public_key()
    response = current_app.json.response(signing.public_key_document(key))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
