"""Account administration: list accounts, change roles, issue password-reset links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from elearn import accounts
from elearn.db import get_session
from elearn.models import Role, User
from elearn.web.admin import bp
from elearn.web.admin.forms import ConfirmForm, RoleForm


@bp.route("/")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/users")
def users():
    db = get_session()
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.full_name)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(col(User.email).ilike(pattern) | col(User.full_name).ilike(pattern))
    return render_template(
        "admin/users.html",
        users=db.exec(statement.limit(500)).all(),
        query=query,
        pending=accounts.pending_reset_requests(db),
        confirm_form=ConfirmForm(),
    )


def _get_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_detail(user_id: int):
    user = _get_user(user_id)
    form = RoleForm(role=user.role)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.ADMIN.value:
            flash("Vous ne pouvez pas retirer votre propre rôle d'administrateur.", "error")
        else:
            accounts.change_role(get_session(), user, Role(form.role.data), actor=current_user)
            flash("Rôle mis à jour.", "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form, confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def reset_link(user_id: int):
    user = _get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = accounts.issue_reset_token(get_session(), user, actor=current_user)
    link = url_for("auth.reset_password", token=token, _external=True)
    return render_template("admin/reset_link.html", user=user, link=link, lifetime=accounts.RESET_LINK_LIFETIME)
