"""« Mon compte »: a person's own name and profession, password, data file, erasure request and sessions.

Every action is a POST with the CSRF token, counted against a per-account rate limit, and written to the
audit trail by the domain functions it calls (:mod:`elearn.accounts`, :mod:`elearn.privacy`).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from elearn import accounts, identity, privacy
from elearn.db import get_session
from elearn.i18n import _
from elearn.security import ratelimit
from elearn.web.auth import bp
from elearn.web.auth.forms import AccountActionForm, IdentityForm, PasswordChangeForm
from elearn.web.auth.routes import end_session_here, start_session
from elearn.web.personal_data import personal_data_download


def _subject() -> str:
    return f"user:{current_user.id}"


def _remembered() -> bool:
    """Whether this browser was logged in with « Rester connecté·e » (its new session keeps that)."""
    return session.permanent or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def _page(identity_form: IdentityForm | None = None, password_form: PasswordChangeForm | None = None, status: int = 200):  # noqa: ANN202
    return render_template(
        "auth/account.html",
        identity_form=identity_form or IdentityForm(full_name=current_user.full_name, profession=current_user.profession),
        password_form=password_form or PasswordChangeForm(formdata=None),
        action_form=AccountActionForm(),
        erasure_request=privacy.pending_erasure_request(get_session(), current_user),
    ), status


@bp.route("/compte")
@login_required
def account():
    return _page()


@bp.route("/compte/identite", methods=["POST"])
@login_required
def change_identity():
    form = IdentityForm()
    if not form.validate_on_submit():
        return _page(identity_form=form, status=400)
    ratelimit.enforce(ratelimit.ACCOUNT_CHANGES_PER_ACCOUNT, _subject())
    db, user = get_session(), current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        if identity.issued_certificate(db, user) is not None:
            # The name is printed on a certificate funders read: an administrator approves the change.
            pending = identity.submit_own_identity(db, user, form.full_name.data, user.email, form.profession.data or "")
            flash(_("Une attestation a déjà été délivrée à votre nom : votre demande de modification est transmise "
                    "à l'équipe d'administration, qui la validera avant qu'elle s'applique.") if pending else _("Rien n'a changé."), "info")
            return redirect(url_for("auth.account"))
        changed = accounts.change_identity(
            db, user, full_name=form.full_name.data, profession=form.profession.data or "", actor=user
        )
    except accounts.AccountError as error:
        getattr(form, error.field or "full_name").errors.append(error.message)
        return _page(identity_form=form, status=400)
    flash(_("Vos informations sont enregistrées.") if changed else _("Rien n'a changé."), "success" if changed else "info")
    return redirect(url_for("auth.account"))


@bp.route("/compte/mot-de-passe", methods=["POST"])
@login_required
def change_password():
    """The current password first; then every other session of the account ends, this one goes on."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(password_form=form, status=400)
    ratelimit.enforce(ratelimit.PASSWORD_CHECKS_PER_ACCOUNT, _subject())
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        accounts.change_password(get_session(), user, form.current_password.data, form.password.data)
    except accounts.AccountError as error:
        getattr(form, error.field or "password").errors.append(error.message)
        return _page(password_form=form, status=400)
    start_session(user, remember=_remembered())  # a new identifier at the new version
    flash(_("Votre mot de passe est changé. Vos autres appareils sont déconnectés."), "success")
    return redirect(url_for("auth.account"))


def _confirm_action(limit: ratelimit.Limit) -> None:
    """A one-button action of « Mon compte »: its form checked, then counted against ``limit``."""
    if not AccountActionForm().validate_on_submit():  # CSRFProtect refuses a missing token before this
        abort(400)
    ratelimit.enforce(limit, _subject())


@bp.route("/compte/donnees", methods=["POST"])
@login_required
def download_data():
    """« Mes données »: the same file an administrator can produce, recorded as downloaded by the person."""
    _confirm_action(ratelimit.DATA_DOWNLOADS_PER_ACCOUNT)
    return personal_data_download(current_user, actor=current_user)


@bp.route("/compte/effacement", methods=["POST"])
@login_required
def request_erasure():
    _confirm_action(ratelimit.ACCOUNT_CHANGES_PER_ACCOUNT)
    if privacy.request_erasure(get_session(), current_user):
        flash(_("Votre demande d'effacement est transmise aux administrateurs, qui vous répondront."), "success")
    else:
        flash(_("Votre demande d'effacement est déjà en attente."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/compte/deconnexion", methods=["POST"])
@login_required
def log_out_everywhere():
    """« Se déconnecter de tous mes appareils »: every session of the account ends, this one included."""
    _confirm_action(ratelimit.ACCOUNT_CHANGES_PER_ACCOUNT)
    accounts.end_every_session(get_session(), current_user)
    end_session_here()
    flash(_("Vous êtes déconnecté·e de tous vos appareils, y compris celui-ci."), "info")
    return redirect(url_for("auth.login"))
