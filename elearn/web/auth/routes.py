"""Routes of the accounts pages. Rules live in :mod:`elearn.accounts`; these only translate HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from elearn import accounts, groups
from elearn.db import get_session
from elearn.i18n import _
from elearn.security import ratelimit
from elearn.web.auth import bp
from elearn.web.auth.forms import ForgotPasswordForm, LoginForm, RegistrationForm, ResetPasswordForm


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after log-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def start_session(user, remember: bool) -> None:  # noqa: ANN001 - a User
    """Log in on a fresh session so a pre-login session id cannot be reused (session fixation).

    The session gets a new identifier of its own (``User.get_id``), which its log-out ends; with
    ``remember`` the session survives browser restarts, else it ends with the browser.
    """
    session.clear()
    login_user(user, remember=remember)
    session.permanent = remember


def end_session_here() -> None:
    """Log this browser out: its session ends on the server too, and its remember cookie is deleted.

    ``session.clear()`` comes first: ``logout_user`` then leaves the flag that makes Flask-Login delete
    the remember cookie (clearing after it erased the flag, and the cookie logged the person back in).
    """
    session_id = session.get("_user_id")
    if session_id:
        accounts.end_session(get_session(), session_id, lifetime=current_app.permanent_session_lifetime)
    session.clear()
    logout_user()


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegistrationForm()
    if request.method == "GET" and request.args.get("groupe"):  # the sign-up link a group's trainers hand out
        form.group_code.data = request.args["groupe"][:40]
    if form.validate_on_submit():
        ratelimit.enforce(ratelimit.REGISTRATIONS_PER_ADDRESS)
        group = groups.find_group_by_code(get_session(), form.group_code.data) if form.group_code.data else None
        if form.group_code.data and group is None:
            form.group_code.errors.append(
                _("Ce code de groupe n'existe pas : vérifiez-le auprès de votre formateur, ou laissez le champ vide.")
            )
            return render_template("auth/register.html", form=form), 400
        try:
            user = accounts.create_user(
                get_session(),
                email=form.email.data,
                full_name=form.full_name.data,
                profession=form.profession.data or "",
                password=form.password.data,
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            if group is not None:
                groups.assign_group(get_session(), user, group.id, actor=user)
            start_session(user, remember=False)
            flash(_("Bienvenue ! Votre compte est créé."), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        ratelimit.guard_login(form.email.data)
        user = accounts.authenticate(get_session(), form.email.data, form.password.data)
        if user is not None:
            start_session(user, remember=form.remember.data)
            target = safe_next(request.args.get("next")) or url_for("public.home")
            return ratelimit.login_succeeded(form.email.data, redirect(target))
        ratelimit.login_failed(form.email.data)
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session_here()
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        ratelimit.enforce(ratelimit.RESET_REQUESTS_PER_ADDRESS)
        ratelimit.enforce(ratelimit.RESET_REQUESTS_PER_ACCOUNT, ratelimit.account_subject(form.email.data))
        accounts.request_password_reset(get_session(), form.email.data)
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    db = get_session()
    if accounts.check_reset_token(db, token) is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db, token, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(error.message)
        else:
            end_session_here()
            flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
