"""Accounts without a terminal: « Créer un compte », import from a file (preview, then confirm), the
correction of a person's identity, the learners' identity changes awaiting approval, and the
administrator's own e-mail and password."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from itsdangerous import BadSignature, URLSafeSerializer

from elearn import accounts, identity
from elearn.db import get_session
from elearn.enrolment import importing
from elearn.enrolment.create import NewAccount, create_account
from elearn.enrolment.mail import Invitation, MailError, invitation_message, send
from elearn.i18n import _
from elearn.models import IdentityChangeRequest, Role
from elearn.reporting.conditions import is_erased
from elearn.web.admin import bp
from elearn.web.admin.forms import ConfirmForm, IdentityForm, ImportConfirmForm, ImportForm, NewAccountForm, OwnAccessForm
from elearn.web.admin.groups import group_choices
from elearn.web.admin.routes import get_user, render_user
from elearn.web.certificates import organisation


def mail_configured() -> bool:
    return bool(current_app.config.get("ELEARN_SMTP_URL"))


def _link(account: NewAccount) -> str:
    return url_for("auth.reset_password", token=account.token, _external=True)


def _send_invitations(created: list[NewAccount]) -> str | None:
    """Send one invitation per new account; the error message (French) when the server refused."""
    issuer = organisation()
    sender = current_app.config.get("ELEARN_MAIL_FROM") or f"elearn@{url_for('public.home', _external=True).split('/')[2].split(':')[0]}"
    messages = [
        invitation_message(Invitation(a.user.full_name, a.user.email, _link(a), sender, issuer.name if issuer else "",
                                      int(accounts.RESET_LINK_LIFETIME.total_seconds() // 3600)))
        for a in created
    ]
    try:
        send(current_app.config["ELEARN_SMTP_URL"], messages)
    except MailError as error:
        current_app.logger.warning("Invitations not sent: %s", error.message)
        return error.message
    return None


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    """« Créer un compte »: the link to choose a password is shown, and sent when mail is configured."""
    form = NewAccountForm()
    form.group.choices = group_choices()
    if form.validate_on_submit():
        try:
            account = create_account(
                get_session(), email=form.email.data or "", full_name=form.full_name.data or "",
                profession=form.profession.data or "", role=Role(form.role.data),
                group_id=int(form.group.data) if form.group.data else None, actor=current_user,
            )
        except accounts.AccountError as error:
            existing = accounts.find_user_by_email(get_session(), form.email.data or "") if error.field == "email" else None
            message = _("Un compte existe déjà avec cette adresse (%(name)s).", name=existing.full_name) if existing else error.message
            getattr(form, error.field or "email").errors = [message]
        else:
            mail_error = _send_invitations([account]) if mail_configured() and form.invite.data else None
            return render_template("admin/accounts_created.html", created=[(None, account, _link(account))],
                                   sent=mail_configured() and form.invite.data and not mail_error, mail_error=mail_error,
                                   lifetime=accounts.RESET_LINK_LIFETIME)
    return render_template("admin/user_new.html", form=form, mail=mail_configured()), (400 if form.errors else 200)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="elearn.account-import")


@bp.route("/users/import", methods=["GET", "POST"])
def import_users():
    """Step 1: the file is read and every line checked; the preview shows what would happen."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = importing.read_rows(upload.filename or "", upload.read())
        except importing.ImportFileError as error:
            form.file.errors = [error.message]
        else:
            plan = importing.plan_import(get_session(), rows)
            confirm = ImportConfirmForm(rows=_serializer().dumps([list(r.__dict__.values()) for r in rows]))
            return render_template("admin/import_preview.html", plan=plan, confirm_form=confirm,
                                   filename=upload.filename, mail=mail_configured())
    return render_template("admin/import.html", form=form), (400 if form.errors else 200)


@bp.route("/users/import/confirm", methods=["POST"])
def confirm_import():
    """Step 2: the rows are checked again and the accounts created."""
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rows = [importing.ImportRow(*values) for values in _serializer().loads(form.rows.data)]
    except (BadSignature, TypeError, ValueError):
        abort(400)
    result = importing.run_import(get_session(), rows, actor=current_user)
    accounts_made = [account for _row, account in result.created]
    mail_error = _send_invitations(accounts_made) if accounts_made and mail_configured() and form.invite.data else None
    return render_template(
        "admin/accounts_created.html", created=[(row, account, _link(account)) for row, account in result.created],
        plan=result.plan, sent=mail_configured() and form.invite.data and not mail_error, mail_error=mail_error,
        lifetime=accounts.RESET_LINK_LIFETIME,
    )


@bp.route("/users/<int:user_id>/identity", methods=["POST"])
def correct_identity(user_id: int):
    """An administrator corrects a name, e-mail or profession; a certificate already issued is offered
    for reissue with the new name."""
    user = get_user(user_id)
    form = IdentityForm()
    if is_erased(user.email):
        flash(_("Ce compte a été anonymisé : il ne peut plus être modifié."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if form.validate_on_submit():
        try:
            certificate = identity.correct_identity(
                get_session(), user, form.full_name.data or "", form.email.data or "", form.profession.data or "",
                actor=current_user,
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "full_name").errors = [error.message]
        else:
            if certificate is None:
                flash(_("Identité mise à jour."), "success")
                return redirect(url_for("admin.user_detail", user_id=user.id))
            flash(_("Identité mise à jour. L'attestation %(code)s porte encore l'ancienne identité : délivrez-en une nouvelle ci-dessous (l'ancienne restera vérifiable comme « remplacée »).", code=certificate.code), "success")
            return redirect(url_for("admin.certificate", code=certificate.code, motif="correction", _anchor="reissue"))
    return render_user(user, identity_form=form), 400


@bp.route("/identity-requests/<int:request_id>/<decision>", methods=["POST"])
def decide_identity_change(request_id: int, decision: str):
    """Approve or reject a learner's identity change made after a certificate was issued."""
    request_row = get_session().get(IdentityChangeRequest, request_id)
    if request_row is None or decision not in ("approve", "reject"):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if decision == "reject":
            identity.reject_identity_change(get_session(), request_row, actor=current_user)
            flash(_("Demande refusée : l'identité reste inchangée."), "success")
        else:
            certificate = identity.approve_identity_change(get_session(), request_row, actor=current_user)
            if certificate is not None:
                flash(_("Changement approuvé. Délivrez une nouvelle attestation avec la nouvelle identité."), "success")
                return redirect(url_for("admin.certificate", code=certificate.code, motif="correction", _anchor="reissue"))
            flash(_("Changement approuvé."), "success")
    except accounts.AccountError as error:
        flash(error.message, "error")
    return redirect(url_for("admin.users"))


@bp.route("/me", methods=["GET", "POST"])
def own_access():
    """The administrator's own e-mail and password (the first administrator's default ones first of all)."""
    form = OwnAccessForm(email=current_user.email)
    if form.validate_on_submit():
        try:
            changed = identity.change_own_access(
                get_session(), current_user, current_password=form.current_password.data or "",
                email=form.email.data or "", new_password=form.new_password.data or "",
            )
        except accounts.AccountError as error:
            field = {"password": "new_password"}.get(error.field or "", error.field or "email")
            getattr(form, field).errors = [error.message]
        else:
            if "password" in changed:
                login_user(current_user._get_current_object(), fresh=True)  # a new session version: stay logged in here
            flash(_("Vos accès sont mis à jour.") if changed else _("Rien n'a changé."), "success")
            return redirect(url_for("admin.own_access"))
    return render_template("admin/me.html", form=form), (400 if form.errors else 200)
