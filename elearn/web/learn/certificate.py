"""The learner's certificate: status page, issuing on request, PDF download of their own certificates.

Obtaining and downloading are two steps: « Obtenir mon attestation » issues the certificate and comes
back to the certificate page, which confirms it with the code, the verification link and the download
button (a download alone leaves a phone's page unchanged, and the learner taps again).

The catalog and the progress page get ``certificate_status`` from the context processor below, so
their partials (``learn/_certificate_line.html``, ``learn/_certificate_status.html``) can say what is
missing or offer the download.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from elearn.certificates.eligibility import certificate_status, certificates_of
from elearn.certificates.documents import ATTESTATION, REALISATION
from elearn.certificates.errors import CertificateError
from elearn.certificates.issue import certificate_data, find_certificate, issue_certificate
from elearn.db import get_session
from elearn.i18n import _
from elearn.web.certificates import base_url, issuer, path_or_problems, pdf_response, status_for
from elearn.web.learn import bp
from elearn.web.learn.helpers import overview
from elearn.web.modules import get_library

#: Pages that show the certificate partial.
STATUS_PAGES = {"learn.catalog", "learn.progress"}


@bp.context_processor
def _certificate_status() -> dict[str, object]:
    """Only the catalog and the progress page pay for the status query; a view may pass its own."""
    if request.endpoint not in STATUS_PAGES or not current_user.is_authenticated:
        return {}
    return {"certificate_status": status_for(current_user, overview()), "verification_url": verification_url}


def verification_url(code: str) -> str:
    """The public address of a certificate's verification page, as its PDF prints it."""
    return base_url() + url_for("public.verify_code", code=code)


@bp.route("/attestation")
@login_required
def certificate():
    path, problems = path_or_problems()
    db = get_session()
    return render_template(
        "learn/certificate.html",
        certificate_status=certificate_status(db, current_user, get_library(), path) if path else None,
        configured=path is not None or bool(problems),
        certificates=[(c, certificate_data(c)) for c in certificates_of(db, current_user.id)],
        verification_url=verification_url,
    )


@bp.route("/attestation", methods=["POST"])
@login_required
def obtain_certificate():
    """Issue the certificate (or find the one already issued), then confirm it on the certificate page."""
    path = path_or_problems()[0]
    if path is None:
        abort(404)
    try:
        issued = issue_certificate(get_session(), current_user, issuer(path), actor=current_user)
    except CertificateError as error:
        flash(error.message, "error")
        return redirect(url_for("learn.certificate"))
    flash(_("Votre attestation est délivrée. Son code de vérification est %(code)s ; vous pouvez maintenant la télécharger.",
            code=issued.code), "success")
    return redirect(url_for("learn.certificate"))


@bp.route("/attestation/<code>.pdf")
@login_required
def certificate_pdf(code: str):
    return _own_pdf(code, ATTESTATION)


@bp.route("/attestation/<code>/realisation.pdf")
@login_required
def realisation_pdf(code: str):
    """The certificat de réalisation that goes with the attestation (for funders)."""
    return _own_pdf(code, REALISATION)


def _own_pdf(code: str, kind: str):  # noqa: ANN202
    found = find_certificate(get_session(), code)
    if found is None or found.user_id != current_user.id:
        abort(404)
    if found.revoked_at is not None:
        flash(_("Cette attestation a été révoquée : elle ne peut plus être téléchargée."), "error")
        return redirect(url_for("learn.certificate"))
    return pdf_response(found, kind)
