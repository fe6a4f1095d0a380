"""Public certificate verification: type a code or follow the QR code; the signing key is published.

The page says valid, revoked (with the date) or unknown, and shows only the name, the training, the
dates and the hours: nothing else about the person. After an erasure (right to erasure) not even the
name: the page says the holder's identity was erased at their request. Lookups of unknown codes are
rate-limited per client by :mod:`elearn.security.ratelimit`, whose counters live in the database, so
the limit holds across worker processes.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from sqlmodel import select

from elearn.certificates import signing
from elearn.certificates.codes import normalise_code
from elearn.certificates.issue import certificate_data, find_certificate, holder_erased
from elearn.db import get_session
from elearn.models import Certificate
from elearn.security import ratelimit
from elearn.web.certificates import instance_dir
from elearn.web.public import bp


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


@bp.route("/verify/<code>")
def verify_code(code: str):
    ratelimit.ensure_room(ratelimit.UNKNOWN_CODES_PER_ADDRESS)
    db = get_session()
    found = find_certificate(db, code)
    if found is None:
        ratelimit.note(ratelimit.UNKNOWN_CODES_PER_ADDRESS)
        return render_template("public/verify_result.html", certificate=None, data=None, code=code), 404
    return render_template(
        "public/verify_result.html",
        certificate=found,
        data=certificate_data(found),
        code=found.code,
        erased=holder_erased(db, found),
        # A reissued certificate (after a correction of the name, say) reads « remplacée », not just revoked.
        replaced_by=db.exec(select(Certificate).where(Certificate.replaces_id == found.id)).first(),
    )


@bp.route("/.well-known/elearn-certificate-key")
def certificate_key():
    """The public key that signs certificates (Multikey JSON with the PEM), for offline verification."""
    key = signing.load_or_create_private_key(instance_dir()).public_key()
    response = current_app.json.response(signing.public_key_document(key))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
