"""Catalog, module overview, section reader, quizzes, heartbeats and the progress page.

Views stay thin: the rules live in :mod:`elearn.learning`; modules come from the in-memory library.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_required

from elearn.content.model import Module, Section
from elearn.db import get_session
from elearn.i18n import _
from elearn.learning import progress as progress_rules
from elearn.learning import quizzes, tracking
from elearn.lti import scores as lti_scores
from elearn.reflection.answers import missing_reflections
from elearn.web.learn import bp
from elearn.web.json_body import json_error, json_object
from elearn.web.learn.helpers import find_quiz, learner_modules, overview, parse_answers, state_for
from elearn.web.modules import get_library


def _module_or_404(slug: str) -> Module:
    """The module, if the current person may see it: a module that is not for them does not exist."""
    module = next((m for m in learner_modules() if m.slug == slug), None)
    if module is None:
        abort(404)
    return module


def _section_or_404(module: Module, section_id: str) -> tuple[int, Section]:
    for index, section in enumerate(module.sections):
        if section.id == section_id:
            return index, section
    abort(404)


def _complete_if_due(module: Module, state: progress_rules.ModuleState | None = None) -> bool:
    """Record the module's completion when every rule is met (reflections included when required).

    ``state``: the module's state when the view holds it up to date; otherwise it is read.
    """
    db = get_session()
    missing = len(missing_reflections(db, current_user, module))
    return progress_rules.record_completion_if_due(db, current_user.id, learner_modules(), module.slug, missing, state)


@bp.route("/modules")
@login_required
def catalog():
    states = overview()
    return render_template(
        "learn/catalog.html",
        states=states,
        resume=progress_rules.resume_target(states),
    )


@bp.route("/modules/<slug>")
@login_required
def module_overview(slug: str):
    module = _module_or_404(slug)
    return render_template("learn/module.html", module=module, state=state_for(module, with_time=True), read_rule=read_rule())


@bp.route("/modules/<slug>/<section_id>")
@login_required
def section(slug: str, section_id: str):
    module = _module_or_404(slug)
    index, current = _section_or_404(module, section_id)
    return _render_section(module, index, current)


def _render_section(
    module: Module, index: int, current: Section, selected: dict | None = None, missing: dict | None = None
):  # noqa: ANN202
    """The reader page; ``selected``/``missing`` re-show a quiz form that was sent incomplete.

    The learner's states are read once; the visit is written only when the position changed.
    """
    state = state_for(module)
    if state.status is progress_rules.Status.LOCKED:
        return render_template("learn/locked.html", module=module, state=state), 403
    tracking.record_page_view(get_session(), current_user.id, overview(), module.slug, current.id)
    quiz_forms = {quiz.id: state.next_attempt_number(quiz.id) for quiz in current.quizzes}
    page = render_template(
        "learn/section.html",
        module=module,
        section=current,
        index=index,
        state=state,
        previous=module.sections[index - 1] if index > 0 else None,
        following=module.sections[index + 1] if index + 1 < len(module.sections) else None,
        quiz_forms=quiz_forms,
        quiz_selected=selected,
        quiz_missing=missing,
        retake=request.args.get("refaire") or (next(iter(missing)) if missing else None),
        heartbeat_interval=heartbeat_interval(),
        read_rule=read_rule(),
    )
    return page, 400 if missing else 200


@bp.route("/modules/<slug>/<section_id>/suivant", methods=["POST"])
@login_required
def next_section(slug: str, section_id: str):
    """Moving on from a section marks it read, then leads to the next one (or the module's end)."""
    module = _module_or_404(slug)
    index, current = _section_or_404(module, section_id)
    read = tracking.mark_section_read(get_session(), current_user.id, module.slug, current.id)
    if index + 1 < len(module.sections):
        if read >= len(module.sections):  # only then may the module be complete (sections left: nothing to check)
            _complete_if_due(module)
        return redirect(url_for("learn.section", slug=slug, section_id=module.sections[index + 1].id))
    state = state_for(module)  # read once, after the section was marked read
    if _complete_if_due(module, state):
        flash(_("Bravo, vous avez terminé le module « %(title)s ».", title=module.title), "success")
    else:
        _explain_what_is_missing(module, state)
    return redirect(url_for("learn.module_overview", slug=slug))


def _explain_what_is_missing(module: Module, state: progress_rules.ModuleState) -> None:
    """After « Terminer le module », say why the module is not complete yet (nothing if it already was)."""
    if state.status is progress_rules.Status.COMPLETED:
        return
    missing = progress_rules.missing_for_completion(state, len(missing_reflections(get_session(), current_user, module)))
    items = [_("la section « %(title)s » à lire", title=s.title) for s in missing.sections]
    items += [
        _("le quiz « %(title)s » à réussir (%(mark)d %% au moins)", title=q.title, mark=module.pass_mark)
        for q in missing.quizzes
    ]
    if missing.reflections:
        items.append(_("les questions de réflexion à compléter (%(count)d)", count=missing.reflections))
    if items:
        message = _("Le module n'est pas encore terminé. Il reste : %(items)s.", items=" ; ".join(items))
        if missing.sections:
            message += " " + read_rule()
        flash(message, "warning")


def read_rule() -> str:
    """The rule that makes a section read, as the learner pages state it."""
    return _("Une section compte comme lue après %(seconds)d secondes de lecture active sur sa page, quel que soit le lien "
             "par lequel vous la quittez ; «\u00a0Suivante\u00a0» la compte aussi comme lue aussitôt.", seconds=read_after_seconds())


@bp.route("/modules/<slug>/quiz/<quiz_id>", methods=["POST"])
@login_required
def submit_quiz(slug: str, quiz_id: str):
    module = _module_or_404(slug)
    section, quiz = find_quiz(module, quiz_id) or abort(404)
    state = state_for(module)
    if state.status is progress_rules.Status.LOCKED:
        abort(403)
    number = request.form.get("tentative", type=int)
    if number is None:
        abort(400)
    answers = parse_answers(quiz, request.form)
    unanswered = [question_id for question_id, picked in answers.items() if not picked]
    if unanswered:
        return _render_section(module, module.sections.index(section), section, {quiz.id: answers}, {quiz.id: unanswered})
    db = get_session()
    try:
        submission = quizzes.submit_quiz(db, current_user.id, module, quiz, number, answers, state.attempts_at(quiz.id))
    except quizzes.QuizClosed as closed:
        flash(closed.message, "warning")
        return redirect(url_for("learn.section", slug=slug, section_id=section.id, _anchor=quiz.id))
    if submission.duplicate:
        flash(_("Cette tentative était déjà enregistrée : voici son résultat."), "info")
    else:
        tracking.record_page_view(db, current_user.id, overview(), module.slug, section.id)
    updated = progress_rules.with_attempt(state, submission.attempt)
    if not _complete_if_due(module, updated):  # a better score goes to the LMS gradebook too (LTI)
        score = progress_rules.module_score(module, updated.best)
        if lti_scores.queue_if_better(db, current_user.id, module.slug, score, updated.status is progress_rules.Status.COMPLETED):
            db.commit()
    return redirect(url_for("learn.quiz_result", slug=slug, quiz_id=quiz.id, number=submission.attempt.attempt_number))


@bp.route("/modules/<slug>/quiz/<quiz_id>/tentative/<int:number>")
@login_required
def quiz_result(slug: str, quiz_id: str, number: int):
    module = _module_or_404(slug)
    section, quiz = find_quiz(module, quiz_id) or abort(404)
    attempts = quizzes.attempts_for(get_session(), current_user.id, module.slug, quiz.id)
    attempt = next((a for a in attempts if a.attempt_number == number), None)
    if attempt is None:
        abort(404)
    index = module.sections.index(section)
    return render_template(
        "learn/quiz_result.html",
        module=module,
        section=section,
        index=index,
        quiz=quiz,
        attempt=attempt,
        attempts=attempts,
        best=quizzes.best_attempt(attempts),
        next_number=quizzes.attempt_number_after(len(attempts), module),
        state=state_for(module),
        following=module.sections[index + 1] if index + 1 < len(module.sections) else None,
        same_version=attempt.content_hash == module.content_hash,
        heartbeat_interval=heartbeat_interval(),
    )


@bp.route("/activite", methods=["POST"])
def heartbeat():
    """Active-time heartbeat from activity.js (JSON or sendBeacon form data).

    Not ``login_required``: the learner is checked in the heartbeat's own read
    (:func:`tracking.session_heartbeat`), with the loader's rule, so the busiest endpoint sends one
    statement where Flask-Login's loader, the audiences and the progress took three. Anything unusual
    (no log-in in the session cookie, a refused request) goes through Flask-Login as on every page.
    """
    session_id = _login_session_id()
    if session_id is None:
        return current_app.login_manager.unauthorized()
    data = json_object()
    if data is None:
        data = request.form
    module_slug, section_id, seconds = data.get("module"), data.get("section"), data.get("seconds", 0)
    if not isinstance(module_slug, str) or not isinstance(section_id, str):
        return _refused(json_error(_("Requête invalide : le module et la section sont attendus, sous forme de textes.")))
    library = get_library()
    module = library.get(module_slug)
    if module is None or module.section(section_id) is None:
        return _refused(_unknown_module())
    if isinstance(seconds, bool) or not isinstance(seconds, int | float | str):
        return _refused(json_error(_("Durée invalide : un nombre de secondes est attendu.")))
    try:
        seconds = int(seconds)
    except (TypeError, ValueError, OverflowError):
        return _refused(json_error(_("Durée invalide : un nombre de secondes est attendu.")))
    prerequisites = [slug for slug in module.prerequisites if library.get(slug) is not None]
    beat = tracking.session_heartbeat(get_session(), session_id, module.slug, section_id, seconds, prerequisites=prerequisites,
                                      read_after=read_after_seconds())
    if beat.learner is None:  # logged out, deactivated, or a password changed since: as on every page
        return current_app.login_manager.unauthorized()
    if not beat.visible:  # a module hidden from this learner, or not for their group, takes no time
        return _unknown_module()
    if beat.done.read and beat.done.sections_read >= len(module.sections):
        _complete_if_due(module)  # the last section read may complete the module, as « Suivante » would
    return jsonify(credited=beat.done.credited)


def _login_session_id() -> str | None:
    """The log-in identifier in the session cookie (Flask-Login's ``_user_id``); without one, Flask-Login
    may still log the learner in from the « Rester connecté·e » cookie, which puts one there."""
    session_id = cookie_session.get("_user_id")
    if session_id is None and current_user.is_authenticated:
        session_id = cookie_session.get("_user_id")
    return session_id if isinstance(session_id, str) else None


def _unknown_module():  # noqa: ANN202 - a Flask response
    return json_error(_("Module ou section inconnu."), 404)


def _refused(response):  # noqa: ANN001, ANN202 - a Flask response
    """A refused heartbeat's answer, to a learner whose log-in is valid (else: log in, as on every page)."""
    return response if current_user.is_authenticated else current_app.login_manager.unauthorized()


def read_after_seconds() -> int:
    """Active seconds after which a section counts as read (tests lower it through the app's config)."""
    return int(current_app.config.get("SECTION_READ_SECONDS", tracking.READ_AFTER_ACTIVE_SECONDS))


def heartbeat_interval() -> int:
    """Seconds between two heartbeats of activity.js (tests lower it through the app's config)."""
    return int(current_app.config.get("HEARTBEAT_INTERVAL_SECONDS", tracking.HEARTBEAT_INTERVAL_SECONDS))


@bp.route("/progression")
@login_required
def progress():
    states = overview(with_time=True)
    return render_template(
        "learn/progress.html",
        states=states,
        total_seconds=sum(s.active_seconds for s in states),
    )
