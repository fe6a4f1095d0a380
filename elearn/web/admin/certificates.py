"""Administrators' certificate pages: the list, one certificate, revoke and reissue (with a reason).

Both actions are recorded in the audit trail by :mod:`elearn.certificates.issue`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import col, or_, select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from elearn.certificates.active_time import rule_lines
from elearn.certificates.documents import ATTESTATION, REALISATION
from elearn.certificates.errors import CertificateError
from elearn.i18n import _, _l
from elearn.certificates.issue import (
    MAX_REASON_LENGTH,
    certificate_data,
    find_certificate,
    holder_erased,
    reissue_certificate,
    revoke_certificate,
)
from elearn.db import get_session
from elearn.models import Certificate, User
from elearn.web.admin import bp
from elearn.organisation.identity import TEXT_FIELDS
from elearn.web.certificates import identity, issuer, path_or_problems, pdf_response
from elearn.web.modules import get_library

LIST_LIMIT = 200


class ReasonForm(FlaskForm):
    """Revocation and reissue both need a reason, kept in the audit trail."""

    reason = TextAreaField(
        _l("Motif"),
        validators=[DataRequired(_l("Indiquez le motif.")), Length(max=MAX_REASON_LENGTH, message=_l("Motif trop long."))],
    )


def missing_identity() -> list[str]:
    """Labels of the organisation's required values still empty or the example's (``admin/_example_values.html``)."""
    return [str(TEXT_FIELDS[key]) for key in identity().missing()]


def _certificate_or_404(code: str) -> Certificate:
    found = find_certificate(get_session(), code)
    if found is None:
        abort(404)
    return found


@bp.route("/certificates")
def certificates():
    query = request.args.get("q", "").strip()
    statement = select(Certificate, User).join(User, col(User.id) == Certificate.user_id)
    if query:
        pattern = f"%{query}%"
        statement = statement.where(or_(col(User.full_name).ilike(pattern), col(Certificate.code).ilike(pattern)))
    rows = get_session().exec(statement.order_by(col(Certificate.issued_at).desc()).limit(LIST_LIMIT)).all()
    path, problems = path_or_problems()
    return render_template(
        "admin/certificates.html",
        rows=rows,
        query=query,
        path=path,
        problems=problems,
        missing_identity=missing_identity(),
        active_time_rule=rule_lines(path, get_library()) if path else [],
    )


@bp.route("/certificates/<code>")
def certificate(code: str):
    found = _certificate_or_404(code)
    # Coming from an identity correction: the reason is written already (the administrator may change it).
    reason = _("Correction de l'identité de la personne titulaire.") if request.args.get("motif") == "correction" else None
    return _detail(found, ReasonForm(prefix="revoke"), ReasonForm(prefix="reissue", reason=reason))


def _detail(found: Certificate, revoke_form: ReasonForm, reissue_form: ReasonForm, status: int = 200):  # noqa: ANN202
    db = get_session()
    return render_template(
        "admin/certificate.html",
        certificate=found,
        data=certificate_data(found),
        holder=db.get(User, found.user_id),
        holder_erased=holder_erased(db, found),
        revoked_by=db.get(User, found.revoked_by_id) if found.revoked_by_id else None,
        replaced_by=db.exec(select(Certificate).where(Certificate.replaces_id == found.id)).first(),
        replaces=db.get(Certificate, found.replaces_id) if found.replaces_id else None,
        revoke_form=revoke_form,
        reissue_form=reissue_form,
    ), status


@bp.route("/certificates/<code>.pdf")
def certificate_pdf(code: str):
    return _pdf(code, ATTESTATION)


@bp.route("/certificates/<code>/realisation.pdf")
def realisation_pdf(code: str):
    return _pdf(code, REALISATION)


def _pdf(code: str, kind: str):  # noqa: ANN202
    found = _certificate_or_404(code)
    if holder_erased(get_session(), found):
        flash(_("L'identité de la personne titulaire a été effacée : le PDF ne peut plus être produit."), "error")
        return redirect(url_for("admin.certificate", code=found.code))
    return pdf_response(found, kind)


@bp.route("/certificates/<code>/revoke", methods=["POST"])
def revoke(code: str):
    found, form = _certificate_or_404(code), ReasonForm(prefix="revoke")
    if not form.validate_on_submit():
        return _detail(found, form, ReasonForm(prefix="reissue"), 400)
    try:
        revoke_certificate(get_session(), found, form.reason.data, actor=current_user)
    except CertificateError as error:
        flash(error.message, "error")
    else:
        flash(_("Attestation révoquée. La page de vérification l'indique désormais."), "success")
    return redirect(url_for("admin.certificate", code=found.code))


@bp.route("/certificates/<code>/reissue", methods=["POST"])
def reissue(code: str):
    found, form = _certificate_or_404(code), ReasonForm(prefix="reissue")
    if not form.validate_on_submit():
        return _detail(found, ReasonForm(prefix="revoke"), form, 400)
    path, _problems = path_or_problems()
    if path is None:
        flash(
            _("Le parcours n'est pas configuré (parcours.yml absent ou invalide) : impossible de délivrer une attestation."),
            "error",
        )
        return redirect(url_for("admin.certificate", code=found.code))
    try:
        new = reissue_certificate(get_session(), found, form.reason.data, issuer(path), actor=current_user)
    except CertificateError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.certificate", code=found.code))
    flash(_("Nouvelle attestation délivrée (%(code)s) ; l'ancienne est révoquée.", code=new.code), "success")
    return redirect(url_for("admin.certificate", code=new.code))
