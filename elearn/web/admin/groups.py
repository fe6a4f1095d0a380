"""Training groups: list, create, rename, delete; and an account's group (from the account's page)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from elearn import groups
from elearn.db import get_session
from elearn.i18n import _
from elearn.models import TrainingGroup
from elearn.web.admin import bp
from elearn.web.admin.forms import ConfirmForm, GroupForm, UserGroupForm


def group_choices() -> list[tuple[str, str]]:
    """The choices of an account's group: none, then every group by name."""
    return [("", _("Aucun groupe")), *((str(group.id), group.name) for group in groups.all_groups(get_session()))]


def user_group_form(group_id: int | None) -> UserGroupForm:
    form = UserGroupForm(group="" if group_id is None else str(group_id))
    form.group.choices = group_choices()
    return form


def _group(group_id: int) -> TrainingGroup:
    group = groups.get_group(get_session(), group_id)
    if group is None:
        abort(404)
    return group


@bp.route("/groups", methods=["GET", "POST"])
def groups_index():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(get_session(), form.name.data or "", actor=current_user)
        except groups.GroupError as error:
            form.name.errors = [error.message]
        else:
            flash(_("Groupe « %(name)s » créé.", name=group.name), "success")
            return redirect(url_for("admin.groups_index"))
    return render_template(
        "admin/groups.html", summaries=groups.list_groups(get_session()), form=form, confirm_form=ConfirmForm()
    ), (400 if form.errors else 200)


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
def group_detail(group_id: int):
    group = _group(group_id)
    form = GroupForm(name=group.name)
    if form.validate_on_submit():
        try:
            groups.rename_group(get_session(), group, form.name.data or "", actor=current_user)
        except groups.GroupError as error:
            form.name.errors = [error.message]
        else:
            flash(_("Groupe renommé."), "success")
            return redirect(url_for("admin.groups_index"))
    [summary] = groups.list_groups(get_session(), only=group.id)
    signup_url = url_for("auth.register", groupe=group.join_code, _external=True)
    return render_template(
        "admin/group.html", summary=summary, form=form, confirm_form=ConfirmForm(), signup_url=signup_url,
        members=groups.group_members(get_session(), group.id),
    ), (400 if form.errors else 200)


@bp.route("/groups/<int:group_id>/code", methods=["POST"])
def renew_join_code(group_id: int):
    group = _group(group_id)
    if ConfirmForm().validate_on_submit():
        groups.renew_join_code(get_session(), group, actor=current_user)
        flash(_("Nouveau code créé : l'ancien ne permet plus de rejoindre le groupe."), "success")
    return redirect(url_for("admin.group_detail", group_id=group.id))


@bp.route("/groups/<int:group_id>/delete", methods=["POST"])
def delete_group(group_id: int):
    group = _group(group_id)
    if ConfirmForm().validate_on_submit():
        name = group.name
        groups.delete_group(get_session(), group, actor=current_user)
        flash(_("Groupe « %(name)s » supprimé ; ses membres n'ont plus de groupe.", name=name), "success")
    return redirect(url_for("admin.groups_index"))
