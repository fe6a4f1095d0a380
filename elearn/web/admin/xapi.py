"""Administration › xAPI: the learning record store that live statements go to, and their backlog."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import col, select
from wtforms import PasswordField, StringField
from wtforms.validators import Length

from elearn.db import get_session
from elearn.i18n import _, _l
from elearn.models.outbox import XAPI, LrsSettings
from elearn.outbox.queue import backlog
from elearn.web.admin import bp
from elearn.xapi.lrs import LrsSettingsError, lrs_config, save_lrs_settings


class LrsForm(FlaskForm):
    url = StringField(_l("Adresse xAPI du LRS"), validators=[Length(max=500)])
    username = StringField(_l("Identifiant (clé)"), validators=[Length(max=200)])
    password = PasswordField(_l("Mot de passe (secret)"), validators=[Length(max=500)])


@bp.route("/xapi", methods=["GET", "POST"])
def xapi_settings():
    session = get_session()
    stored = session.exec(select(LrsSettings).order_by(col(LrsSettings.id))).first()
    form = LrsForm(obj=stored) if stored else LrsForm()
    if form.validate_on_submit():
        try:
            save_lrs_settings(session, form.url.data or "", form.username.data or "", form.password.data or None,
                              actor=current_user)
        except LrsSettingsError as error:
            form.url.errors = [str(error)]
        else:
            flash(_("Réglages du LRS enregistrés."), "success")
            return redirect(url_for("admin.xapi_settings"))
    return render_template(
        "admin/xapi.html", form=form, lrs=lrs_config(session, current_app.config), state=backlog(session, XAPI),
        from_environment=bool(current_app.config.get("ELEARN_XAPI_LRS_URL")),
    ), (400 if form.errors else 200)
