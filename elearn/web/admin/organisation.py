"""Administration › Organisation: the training body's identity printed on every certificate.

The form shows the values in force (this page's, else parcours.yml's). Only what differs from them
is checked and stored, so an administrator can upload a logo without first fixing every other field.
Uploaded images are judged by their content (:mod:`elearn.organisation.images`) and stored as PNG.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from elearn.db import get_session
from elearn.i18n import _, _l
from elearn.organisation.identity import (
    REMOVE,
    TEXT_FIELDS,
    Identity,
    normalise_registration_number,
    normalise_siret,
    save_identity,
)
from elearn.organisation.images import ImageRejected, checked_png
from elearn.web.admin import bp
from elearn.web.certificates import identity

NORMALISERS = {"siret": normalise_siret, "registration_number": normalise_registration_number}


class OrganisationForm(FlaskForm):
    name = StringField(TEXT_FIELDS["name"], validators=[Length(max=200)])
    address = TextAreaField(TEXT_FIELDS["address"], validators=[Length(max=500)])
    siret = StringField(TEXT_FIELDS["siret"], validators=[Length(max=20)])
    registration_number = StringField(TEXT_FIELDS["registration_number"], validators=[Length(max=32)])
    signatory_name = StringField(TEXT_FIELDS["signatory_name"], validators=[Length(max=200)])
    signatory_role = StringField(TEXT_FIELDS["signatory_role"], validators=[Length(max=200)])
    signature = FileField(_l("Image de la signature (PNG ou JPEG, 1 Mo au plus)"))
    remove_signature = BooleanField(_l("Retirer l'image de signature enregistrée"))
    logo = FileField(_l("Logo (PNG ou JPEG, 1 Mo au plus)"))
    remove_logo = BooleanField(_l("Retirer le logo enregistré"))


def _changed_values(form: OrganisationForm, current: Identity) -> dict[str, str] | None:
    """The text values that differ from the ones in force, normalised; None after a field error."""
    values: dict[str, str] = {}
    for key in TEXT_FIELDS:
        field = form[key]
        value = "\n".join(line.strip() for line in (field.data or "").strip().splitlines()) if key == "address" else " ".join((field.data or "").split())
        if value == getattr(current, key):
            continue
        if not value and key != "siret":
            field.errors.append(_("Ce champ ne peut pas être vidé."))
            continue
        try:
            values[key] = NORMALISERS[key](value) if key in NORMALISERS and value else value
        except ValueError as error:
            field.errors.append(str(error))
    return None if any(form[key].errors for key in TEXT_FIELDS) else values


def _image(form: OrganisationForm, name: str, remove: bool) -> bytes | None:
    """The uploaded image as clean PNG, REMOVE, or None (keep); a rejected upload adds a field error."""
    upload = form[name].data
    if upload and getattr(upload, "filename", ""):
        try:
            return checked_png(upload.read())
        except ImageRejected as error:
            form[name].errors.append(error.message)
            return None
    return REMOVE if remove else None


@bp.route("/organisation", methods=["GET", "POST"])
def organisation():
    current = identity()
    form = OrganisationForm(data={key: getattr(current, key) for key in TEXT_FIELDS})
    if form.validate_on_submit():
        values = _changed_values(form, current)
        signature = _image(form, "signature", form.remove_signature.data)
        logo = _image(form, "logo", form.remove_logo.data)
        if values is not None and not form.signature.errors and not form.logo.errors:
            changed = save_identity(get_session(), current, values, signature=signature, logo=logo, actor=current_user)
            flash(_("Organisation enregistrée.") if changed else _("Aucune modification."), "success")
            return redirect(url_for("admin.organisation"))
    status = 400 if form.errors or any(f.errors for f in form) else 200
    missing = [str(TEXT_FIELDS[key]) for key in current.missing()]
    return render_template("admin/organisation.html", form=form, identity=current, missing_identity=missing), status


@bp.route("/organisation/<kind>.png")
def organisation_image(kind: str):
    """The stored signature or logo, shown on the page (only to administrators)."""
    current = identity()
    content = {"signature": current.signature_png, "logo": current.logo_png}.get(kind)
    if content is None:
        abort(404)
    response = Response(content, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
