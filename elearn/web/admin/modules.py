"""Administration › Modules: who sees each module (hidden draft, everyone, some training groups)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from elearn import groups, visibility
from elearn.db import get_session
from elearn.i18n import _
from elearn.web.admin import bp
from elearn.web.admin.forms import VisibilityForm
from elearn.web.modules import get_library


def _form(rule: visibility.Visibility | None = None) -> VisibilityForm:
    form = VisibilityForm(audience=rule.audience.value, groups=sorted(rule.group_ids)) if rule else VisibilityForm()
    form.groups.choices = [(g.id, g.name) for g in groups.all_groups(get_session())]
    return form


@bp.route("/modules")
def modules():
    rules = visibility.visibility_rules(get_session())
    names = {g.id: g.name for g in groups.all_groups(get_session())}
    rows = [
        (m, rule, _form(rule), sorted(names[i] for i in rule.group_ids if i in names))
        for m in get_library().modules()
        for rule in [rules.of(m.slug)]
    ]
    return render_template("admin/modules.html", rows=rows)


@bp.route("/modules/<slug>/visibility", methods=["POST"])
def set_module_visibility(slug: str):
    if get_library().get(slug) is None:
        abort(404)
    form = _form()
    if not form.validate_on_submit():
        flash(_("Choisissez une visibilité (et des groupes existants)."), "error")
    else:
        try:
            visibility.set_visibility(get_session(), slug, visibility.Audience(form.audience.data), form.groups.data or [],
                                      actor=current_user)
        except groups.GroupError as error:
            flash(error.message, "error")
        else:
            flash(_("Visibilité du module enregistrée."), "success")
    return redirect(url_for("admin.modules", _anchor=f"module-{slug}"))
