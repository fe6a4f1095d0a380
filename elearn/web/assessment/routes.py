"""The positioning test and the final assessment, as learners take them.

Views stay thin: the rules (draw, one submission, withheld correction) are in
:mod:`elearn.assessment.attempts`.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from elearn.assessment import attempts as rules
from elearn.assessment.attempts import Kind
from elearn.assessment.gain import learner_gain
from elearn.db import get_session
from elearn.i18n import _
from elearn.learning.progress import Status
from elearn.web.assessment import bp
from elearn.web.assessment.context import Assessments, current_assessments
from elearn.web.assessment.surveys import hot_due
from elearn.web.learn.helpers import overview

#: Pages of the learn blueprint that show the assessments panel.
PANEL_PAGES = {"learn.catalog", "learn.progress"}


def _kind_or_404(kind: str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        abort(404)


def _assessments_for(kind: Kind) -> Assessments:
    found = current_assessments()
    if found is None or not found.offers(kind):
        abort(404)
    return found


def _path_modules_done(found: Assessments) -> tuple[int, int]:
    """How many of the path's modules the learner completed, out of how many."""
    required = set(found.path.required_modules)
    states = [s for s in overview() if s.module.slug in required]
    return sum(s.status is Status.COMPLETED for s in states), len(states)


def why_closed(found: Assessments, kind: Kind, standing: rules.Standing) -> str | None:
    """Why the learner cannot open an attempt now, or None when they can."""
    if standing.open_attempt is not None:
        return None
    if standing.finished:
        return _("Vous avez terminé cette évaluation.")
    done, total = _path_modules_done(found)
    if kind is Kind.POSITIONING and done:
        return _("Le test de positionnement se passe avant le premier module : vous avez déjà terminé un module du parcours.")
    if kind is Kind.FINAL and done < total:
        return _("L'évaluation finale s'ouvre quand vous aurez terminé les %(total)d modules du parcours (%(done)d terminés).",
                 total=total, done=done)
    return None


@bp.app_context_processor
def _assessment_panel() -> dict[str, object]:
    """The catalog and the progress page show what the learner may take and their before/after."""
    if request.endpoint not in PANEL_PAGES or not current_user.is_authenticated:
        return {}
    found = current_assessments()
    panel = []
    offered = [kind for kind in Kind if found is not None and found.offers(kind)]
    if offered:
        standings = found.standings(current_user.id)  # type: ignore[union-attr]
        panel = [(kind, standings[kind], why_closed(found, kind, standings[kind])) for kind in offered]  # type: ignore[arg-type]
    gain = learner_gain(get_session(), current_user) if found is not None else None
    return {"assessment_panel": panel, "assessment_gain": gain, "hot_survey_due": hot_due()}


@bp.route("/<kind>")
@login_required
def landing(kind: str):
    kind_ = _kind_or_404(kind)
    found = _assessments_for(kind_)
    standing = found.standing(current_user.id, kind_)
    return render_template(
        "assessment/landing.html",
        kind=kind_,
        bank=found.bank,
        standing=standing,
        closed_reason=why_closed(found, kind_, standing),
        gain=learner_gain(get_session(), current_user),
        final_required=found.plan.final_required,
    )


@bp.route("/<kind>/commencer", methods=["POST"])
@login_required
def start(kind: str):
    kind_ = _kind_or_404(kind)
    found = _assessments_for(kind_)
    reason = why_closed(found, kind_, found.standing(current_user.id, kind_))
    if reason:
        flash(reason, "warning")
        return redirect(url_for("assessment.landing", kind=kind_.value))
    try:
        attempt = rules.open_attempt(get_session(), current_user.id, kind_, found.bank)
    except rules.AttemptRefused as refused:
        flash(refused.message, "warning")
        return redirect(url_for("assessment.landing", kind=kind_.value))
    return redirect(url_for("assessment.attempt", kind=kind_.value, number=attempt.attempt_number))


@bp.route("/<kind>/tentative/<int:number>")
@login_required
def attempt(kind: str, number: int):
    kind_ = _kind_or_404(kind)
    found = _assessments_for(kind_)
    standing = found.standing(current_user.id, kind_)
    current = next((a for a in standing.attempts if a.attempt_number == number), None)
    if current is None:
        abort(404)
    if current.submitted_at is None:
        return _render_form(found, kind_, current)
    return _render_result(found, kind_, standing, current)


def _render_form(found: Assessments, kind: Kind, current, selected: dict | None = None, missing: list | None = None):  # noqa: ANN001,ANN202
    page = render_template(
        "assessment/attempt.html",
        kind=kind,
        bank=found.bank,
        attempt=current,
        questions=rules.drawn_questions(current, found.bank),
        allowed=rules.allowed_attempts(kind, found.bank),
        selected=selected or {},
        missing=missing or [],
    )
    return page, 400 if missing else 200


def _render_result(found: Assessments, kind: Kind, standing: rules.Standing, current):  # noqa: ANN001,ANN202
    final = standing if kind is Kind.FINAL else found.final_standing(current_user.id)
    visible = rules.correction_visible(current, final)
    return render_template(
        "assessment/result.html",
        kind=kind,
        bank=found.bank,
        attempt=current,
        standing=standing,
        questions=rules.drawn_questions(current, found.bank) if visible else [],
        correction_visible=visible,
        closed_reason=why_closed(found, kind, standing),
        gain=learner_gain(get_session(), current_user),
        hot_survey_due=hot_due(),
    )


@bp.route("/<kind>/tentative/<int:number>", methods=["POST"])
@login_required
def submit(kind: str, number: int):
    kind_ = _kind_or_404(kind)
    found = _assessments_for(kind_)
    db = get_session()
    standing = found.standing(current_user.id, kind_)
    current = next((a for a in standing.attempts if a.attempt_number == number), None)
    if current is None:
        abort(404)
    token = request.form.get("jeton", "")
    if current.submitted_at is None and secrets.compare_digest(current.token, token):
        questions = rules.drawn_questions(current, found.bank)
        answers = rules.read_form(questions, request.form)
        unanswered = [d.position for d in questions if not answers.get(d.question.id)]
        if unanswered:
            selected = {d.field: request.form.getlist(d.field) for d in questions}
            return _render_form(found, kind_, current, selected, unanswered)
    else:
        answers = {}
    try:
        rules.submit(db, current_user.id, kind_, found.bank, number, token, answers)
    except rules.AttemptRefused as refused:
        flash(refused.message, "warning")
        return redirect(url_for("assessment.attempt", kind=kind_.value, number=number))
    return redirect(url_for("assessment.attempt", kind=kind_.value, number=number))
