"""Trainers' and administrators' side of the network: read, annotate, tag, mark, publish (audited)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from elearn.db import get_session
from elearn.i18n import _
from elearn.models import CareStage, Criterion, ProblemLevel, Role, Situation
from elearn.network import situations as network
from elearn.web.access import role_required
from elearn.web.network import bp
from elearn.web.network.forms import NoteForm, PublishForm, TagForm

reviewers_only = role_required(Role.TRAINER, Role.ADMIN)

#: French labels of the stored values, for the templates.
LABELS = {
    "stages": {m.value: m.label for m in CareStage},
    "criteria": {m.value: m.label for m in Criterion},
    "levels": {m.value: m.label for m in ProblemLevel},
}


def _situation(situation_id: int) -> Situation:
    situation = get_session().get(Situation, situation_id)
    if situation is None:
        abort(404)
    return situation


def _back(situation: Situation, anchor: str | None = None):  # noqa: ANN202 - a redirect response
    return redirect(url_for("network.situation", situation_id=situation.id, _anchor=anchor))


def _render(situation: Situation, **forms: object) -> str:
    forms.setdefault("note_form", NoteForm(formdata=None))
    forms.setdefault(
        "tag_form",
        TagForm(formdata=None, criteria=situation.tag_criteria, stages=situation.tag_stages, levels=situation.tag_levels),
    )
    forms.setdefault("publish_form", PublishForm(formdata=None))
    return render_template(
        "network/situation.html",
        situation=situation,
        notes=network.notes_for(get_session(), situation),
        **LABELS,
        **forms,
    )


@bp.route("/situations")
@reviewers_only
def situations():
    try:
        which = network.Filter(request.args.get("filtre", network.Filter.ALL.value))
    except ValueError:
        which = network.Filter.ALL
    return render_template(
        "network/situations.html",
        situations=network.list_situations(get_session(), which),
        which=which,
        filters=network.Filter,
        **LABELS,
    )


@bp.route("/situations/<int:situation_id>")
@reviewers_only
def situation(situation_id: int):
    situation = _situation(situation_id)
    network.mark_reviewed(get_session(), situation)
    return _render(situation)


def _submit(situation: Situation, form_name: str, form: FlaskForm, field: str, action: Callable[[], object], done: str, anchor: str):  # noqa: ANN202
    """Validate ``form``, run ``action``; on a rule broken, show the page again with the message on ``field``."""
    if form.validate_on_submit():
        try:
            action()
        except network.SituationError as error:
            form[field].errors = error.errors.get(field, [])
        else:
            flash(done, "success")
            return _back(situation, anchor)
    return _render(situation, **{form_name: form}), 400


@bp.route("/situations/<int:situation_id>/notes", methods=["POST"])
@reviewers_only
def add_note(situation_id: int):
    situation = _situation(situation_id)
    form = NoteForm()
    action = partial(network.add_note, get_session(), situation, form.text.data or "", actor=current_user)
    return _submit(situation, "note_form", form, "text", action, _("Note ajoutée."), "notes")


@bp.route("/situations/<int:situation_id>/etiquettes", methods=["POST"])
@reviewers_only
def tag(situation_id: int):
    situation = _situation(situation_id)
    form = TagForm()
    if not form.validate_on_submit():
        return _render(situation, tag_form=form), 400
    network.set_tags(
        get_session(), situation, criteria=form.criteria.data or [], stages=form.stages.data or [],
        levels=form.levels.data or [], actor=current_user,
    )
    flash(_("Étiquettes enregistrées."), "success")
    return _back(situation, "etiquettes")


@bp.route("/situations/<int:situation_id>/cas-d-etude", methods=["POST"])
@reviewers_only
def candidate(situation_id: int):
    situation = _situation(situation_id)
    wanted = request.form.get("candidate") == "1"
    try:
        network.set_candidate(get_session(), situation, wanted, actor=current_user)
    except network.SituationError as error:
        flash(str(error), "error")
        return _back(situation, "decision")
    flash(_("Situation marquée comme cas d'étude possible.") if wanted else _("Marque « cas d'étude possible » retirée."), "success")
    return _back(situation, "decision")


@bp.route("/situations/<int:situation_id>/publication", methods=["POST"])
@reviewers_only
def publish(situation_id: int):
    situation = _situation(situation_id)
    form = PublishForm()
    action = partial(network.publish, get_session(), situation, decision=form.decision.data or "", actor=current_user)
    return _submit(situation, "publish_form", form, "decision", action, _("Publication enregistrée dans le journal d'audit."), "decision")


@bp.route("/situations/<int:situation_id>/depublication", methods=["POST"])
@reviewers_only
def unpublish(situation_id: int):
    situation = _situation(situation_id)
    network.unpublish(get_session(), situation, actor=current_user)
    flash(_("Publication retirée (enregistré dans le journal d'audit)."), "success")
    return _back(situation, "decision")
