"""Administration › LTI: the platforms (LMS) that may launch elearn, and the addresses to give them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from elearn.db import get_session
from elearn.i18n import _, _l
from elearn.lti.platforms import PlatformError, all_platforms, save_platform
from elearn.models.outbox import LTI_SCORE
from elearn.outbox.queue import backlog
from elearn.web.admin import bp
from elearn.web.lti.framing import forget_frame_origins


class PlatformForm(FlaskForm):
    name = StringField(_l("Nom de la plateforme"), validators=[Length(max=120)])
    issuer = StringField(_l("Émetteur (issuer, « ID de la plateforme »)"), validators=[Length(max=255)])
    client_id = StringField(_l("Identifiant client (client ID)"), validators=[Length(max=255)])
    deployment_ids = TextAreaField(_l("Identifiants de déploiement (un par ligne)"), validators=[Length(max=2000)])
    keyset_url = StringField(_l("Adresse des clés publiques (keyset URL)"), validators=[Length(max=500)])
    auth_url = StringField(_l("Adresse d'authentification (authentication request URL)"), validators=[Length(max=500)])
    token_url = StringField(_l("Adresse des jetons d'accès (access token URL)"), validators=[Length(max=500)])


def tool_urls() -> dict[str, str]:
    """elearn's addresses, as an LMS's « Outil externe » form asks for them."""
    base = (current_app.config.get("ELEARN_BASE_URL") or request.url_root).rstrip("/")
    return {
        "tool_url": base + url_for("lti.launch"),
        "login_url": base + url_for("lti.login"),
        "redirect_url": base + url_for("lti.launch"),
        "jwks_url": base + url_for("lti.jwks"),
        "deep_link_url": base + url_for("lti.launch"),
    }


@bp.route("/lti", methods=["GET", "POST"])
def lti_platforms():
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            platform = save_platform(
                get_session(), name=form.name.data or "", issuer=form.issuer.data or "", client_id=form.client_id.data or "",
                deployment_ids=form.deployment_ids.data or "", keyset_url=form.keyset_url.data or "",
                auth_url=form.auth_url.data or "", token_url=form.token_url.data or "", actor=current_user,
            )
        except PlatformError as error:
            form[error.field].errors = [str(error)]
        else:
            forget_frame_origins(current_app)
            flash(_("Plateforme « %(name)s » enregistrée.", name=platform.name), "success")
            return redirect(url_for("admin.lti_platforms"))
    return render_template(
        "admin/lti.html", form=form, urls=tool_urls(), platforms=all_platforms(get_session()),
        state=backlog(get_session(), LTI_SCORE),
    ), (400 if form.errors else 200)
