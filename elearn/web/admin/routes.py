"""Account administration: list and search accounts, change roles, deactivate, issue password-reset
links, hand a person their data and erase (anonymise) an account."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from elearn import accounts, groups, identity, privacy
from elearn.db import get_session
from elearn.i18n import _
from elearn.models import Role, User
from elearn.reporting.conditions import is_erased, search_condition
from elearn.web.admin import bp
from elearn.groups import group_name
from elearn.web.admin.forms import ActivationForm, ConfirmForm, EraseForm, IdentityForm, RoleForm
from elearn.web.admin.groups import user_group_form
from elearn.web.personal_data import personal_data_download


@bp.app_template_test("erased_email")
def _erased_email(email: str) -> bool:
    return is_erased(email)


@bp.route("/")
def index():
    return redirect(url_for("admin.dashboard"))


@bp.route("/users")
def users():
    db = get_session()
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.full_name)
    if query:
        statement = statement.where(search_condition(query))
    return render_template(
        "admin/users.html",
        users=db.exec(statement.limit(500)).all(),
        query=query,
        pending=accounts.pending_reset_requests(db),
        erasure_requests=privacy.pending_erasure_requests(db),
        identity_requests=identity.pending_identity_changes(db),
        confirm_form=ConfirmForm(),
    )


def get_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_detail(user_id: int):
    user = get_user(user_id)
    form = RoleForm(role=user.role)
    if form.validate_on_submit() and not is_erased(user.email):
        if user.id == current_user.id and form.role.data != Role.ADMIN.value:
            flash(_("Vous ne pouvez pas retirer votre propre rôle d'administrateur."), "error")
        else:
            accounts.change_role(get_session(), user, Role(form.role.data), actor=current_user)
            flash(_("Rôle mis à jour."), "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_user(user, form)


def render_user(user: User, form: RoleForm | None = None, identity_form: IdentityForm | None = None) -> str:
    """The account's page; ``identity_form`` re-shows a correction refused with its messages."""
    db = get_session()
    return render_template(
        "admin/user.html", user=user, form=form or RoleForm(role=user.role), confirm_form=ConfirmForm(),
        erased=is_erased(user.email), activation_form=ActivationForm(active="0" if user.is_active else "1"),
        group_form=user_group_form(user.group_id), group_name=group_name(db, user.group_id),
        identity_form=identity_form or IdentityForm(full_name=user.full_name, email=user.email, profession=user.profession),
        certificate=identity.issued_certificate(db, user),
    )


@bp.route("/users/<int:user_id>/group", methods=["POST"])
def set_group(user_id: int):
    user = get_user(user_id)
    form = user_group_form(user.group_id)
    if is_erased(user.email):
        flash(_("Ce compte a été anonymisé : il ne peut plus être modifié."), "error")
    elif not form.validate_on_submit():
        flash(_("Choisissez un groupe dans la liste (il a peut-être été supprimé entre-temps)."), "error")
    else:
        try:
            groups.assign_group(get_session(), user, int(form.group.data) if form.group.data else None, actor=current_user)
        except groups.GroupError as error:
            flash(error.message, "error")
        else:
            flash(_("Groupe mis à jour."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):
    """Deactivate (the person is logged out everywhere) or reactivate an account."""
    user, form = get_user(user_id), ActivationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_active(get_session(), user, form.active.data == "1", actor=current_user)
        flash(_("Compte réactivé.") if user.is_active else _("Compte désactivé : la personne est déconnectée."), "success")
    except accounts.AccountError as error:
        flash(error.message, "error")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/data", methods=["POST"])
def personal_data(user_id: int):
    """The person's own data as a JSON file (right of access), recorded in the audit trail."""
    user = get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return personal_data_download(user, actor=current_user)


@bp.route("/users/<int:user_id>/erase", methods=["GET", "POST"])
def erase(user_id: int):
    """Erasure (RGPD) after typing the account's e-mail address; statistics stay, anonymous."""
    user, form = get_user(user_id), EraseForm()
    if is_erased(user.email):
        flash(_("Ce compte a déjà été anonymisé."), "info")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if form.validate_on_submit():
        try:
            privacy.erase_person(get_session(), user, actor=current_user, confirmation=form.confirmation.data)
        except accounts.AccountError as error:
            form.confirmation.errors = [error.message]
        else:
            flash(_("Le compte a été anonymisé. Les statistiques anonymes sont conservées."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/erase.html", user=user, form=form)


@bp.route("/users/<int:user_id>/erase/decline", methods=["POST"])
def decline_erasure(user_id: int):
    """Keep the account: the person's pending erasure request is closed (recorded in the audit trail)."""
    user = get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    privacy.decline_erasure(get_session(), user, actor=current_user)
    flash(_("Demande d'effacement classée : le compte est conservé. Informez-en la personne."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def reset_link(user_id: int):
    user = get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = accounts.issue_reset_token(get_session(), user, actor=current_user)
    link = url_for("auth.reset_password", token=token, _external=True)
    return render_template("admin/reset_link.html", user=user, link=link, lifetime=accounts.RESET_LINK_LIFETIME)
