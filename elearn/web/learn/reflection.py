"""Reflection answers in the reader: autosave (JSON or beacon), a classic form without JavaScript, sharing.

The section page includes ``learn/_reflection.html`` for each reflection block; the partial finds the
learner's answer through the ``reflection_answer`` template global, so the reader needs no extra wiring.
"""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from elearn.db import get_session
from elearn.formatting import local
from elearn.groups import group_name
from elearn.i18n import _, format_datetime
from elearn.models import ReflectionAnswer
from elearn.network.detect import find_identifying_details
from elearn.reflection import answers
from elearn.web.json_body import json_error, json_object
from elearn.web.learn import bp
from elearn.web.learn.helpers import learner_modules


def _find(slug: str, reflection_id: str):  # noqa: ANN202 - (Module, Section, Reflection)
    """The module, section and block named in the URL, or 404 (ids come from URLs, unknown ones happen)."""
    module = next((m for m in learner_modules() if m.slug == slug), None)
    section = module.section_of(reflection_id) if module else None
    block = next((b for b in section.reflections if b.id == reflection_id), None) if section else None
    if block is None:
        abort(404)
    return module, section, block


@bp.app_template_global()
def saved_message(answer: ReflectionAnswer | None, *, just_now: bool = False) -> str:
    """« Enregistré à 14 h 32 » after an autosave, « Enregistré le 3 mars 2026 à 14 h 32 » on page load."""
    if answer is None:
        return _("Pas encore de réponse enregistrée.")
    if just_now:
        moment = local(answer.updated_at)
        return _("Enregistré à %(hour)d h %(minute)02d", hour=moment.hour, minute=moment.minute)
    return _("Enregistré le %(moment)s", moment=format_datetime(answer.updated_at))


@bp.app_template_global()
def reflection_answer(module, block) -> ReflectionAnswer | None:  # noqa: ANN001 - content objects
    """The signed-in learner's answer to ``block`` (for the partial, when the page did not pass one)."""
    if not current_user.is_authenticated:
        return None
    return answers.get_answer(get_session(), current_user.id, module.slug, block.id)


@bp.app_template_global()
def my_group_name() -> str | None:
    """The signed-in learner's group, whose trainers read what they share; None without a group."""
    if not current_user.is_authenticated or current_user.group_id is None:
        return None
    if "my_group_name" not in g:
        g.my_group_name = group_name(get_session(), current_user.group_id)
    return g.my_group_name


@bp.app_template_global()
def share_blockers(answer: ReflectionAnswer | None) -> list[str]:
    """What must be removed from the answer before it can be shared (French messages)."""
    return [f.message for f in find_identifying_details(answer.text)] if answer else []


@bp.route("/reflexions/<slug>/<reflection_id>/autosave", methods=["POST"])
@login_required
def autosave_reflection(slug: str, reflection_id: str):
    """Save as the learner types (fetch, JSON) or when the page is hidden (sendBeacon, form data)."""
    _find(slug, reflection_id)
    payload = json_object()
    text = (request.form if payload is None else payload).get("text")
    if not isinstance(text, str):
        return json_error(_("Réponse manquante."))
    try:
        answer = answers.save_answer(get_session(), current_user.id, slug, reflection_id, text)
    except answers.ReflectionError as error:
        return json_error(error.message)
    return jsonify(
        ok=True,
        message=saved_message(answer, just_now=True),
        shared=answer.shared_at is not None,
        shared_is_current=answer.shared_text == answer.text,
        share_blockers=share_blockers(answer),
    )


@bp.route("/reflexions/<slug>/<reflection_id>", methods=["POST"])
@login_required
def save_reflection(slug: str, reflection_id: str):
    """The form without JavaScript: save, then share or withdraw when that button was pressed."""
    module, section, block = _find(slug, reflection_id)
    db = get_session()
    action = request.form.get("action", "enregistrer")
    try:
        answer = answers.save_answer(db, current_user.id, slug, reflection_id, request.form.get("text", ""))
        if action == "partager":
            answers.share(db, answer)
            flash(_("Réponse partagée anonymement avec les formateurs."), "success")
        elif action == "retirer":
            answers.unshare(db, answer)
            flash(_("Votre réponse n'est plus partagée."), "success")
        else:
            flash(saved_message(answer, just_now=True) + ".", "success")
    except answers.ReflectionError as error:
        detail = " " + _("Voir les passages signalés sous la question.") if error.findings else ""
        flash(error.message + detail, "error")
    return redirect(url_for("learn.section", slug=module.slug, section_id=section.id, _anchor=block.id))
