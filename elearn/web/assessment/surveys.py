"""Satisfaction surveys as learners answer them: « à chaud » at the path's end, « à froid » at the next
log-in once its delay has passed (see :mod:`elearn.satisfaction.answers`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, user_logged_in

from elearn.db import get_session
from elearn.i18n import _
from elearn.learning.progress import Status
from elearn.satisfaction import answers as survey_answers
from elearn.satisfaction.surveys import SCALE, SurveyKind, Surveys
from elearn.web.assessment import bp
from elearn.web.assessment.context import current_assessments
from elearn.web.certificates import path_or_problems
from elearn.web.learn.helpers import overview

#: Session key set at log-in when the « à froid » survey is due: the next page shows it first.
COLD_PENDING = "elearn_cold_survey"
#: Endpoints the pending survey never interrupts.
NOT_INTERRUPTED = {"static", "assessment.survey", "auth.logout", "learn.heartbeat", "media"}


def _surveys() -> Surveys | None:
    path, _problems = path_or_problems()
    return path.surveys if path is not None else None


def path_finished() -> bool:
    """Every module of the path completed and, when the path has one, the final assessment finished."""
    path, _problems = path_or_problems()
    if path is None:
        return False
    required = set(path.required_modules)
    states = [s for s in overview() if s.module.slug in required]
    if not states or any(s.status is not Status.COMPLETED for s in states):
        return False
    found = current_assessments()
    final = found.final_standing(current_user.id) if found else None
    return final is None or final.finished


def hot_due() -> bool:
    return path_finished() and survey_answers.response_of(get_session(), current_user.id, SurveyKind.HOT) is None


@user_logged_in.connect
def _offer_cold_survey(_app, user, **_extra) -> None:  # noqa: ANN001
    surveys = _surveys()
    if surveys is not None and survey_answers.cold_due(get_session(), user.id, surveys):
        session[COLD_PENDING] = True


@bp.before_app_request
def _show_pending_cold_survey():  # noqa: ANN202
    """At the first page after a log-in, the « à froid » survey comes first (it can be put off)."""
    if not session.get(COLD_PENDING) or request.method != "GET" or request.endpoint in NOT_INTERRUPTED:
        return None
    session.pop(COLD_PENDING)
    return redirect(url_for("assessment.survey", kind=SurveyKind.COLD.value, suivant=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """A local path to go on to, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("learn.catalog")


def _kind_or_404(kind: str) -> SurveyKind:
    try:
        return SurveyKind(kind)
    except ValueError:
        abort(404)


@bp.route("/questionnaire/<kind>", methods=["GET", "POST"])
@login_required
def survey(kind: str):
    kind_ = _kind_or_404(kind)
    surveys = _surveys() or abort(404)
    db = get_session()
    following = _safe_next(request.values.get("suivant"))
    existing = survey_answers.response_of(db, current_user.id, kind_)
    due = hot_due() if kind_ is SurveyKind.HOT else survey_answers.cold_due(db, current_user.id, surveys)
    if existing is not None or not due:
        return render_template("assessment/survey_closed.html", kind=kind_, answered=existing is not None,
                               delay=surveys.cold_delay_days)
    items = surveys.items(kind_)
    read = None
    if request.method == "POST":
        action = request.form.get("action", "envoyer")
        if action == "plus-tard" and kind_ is SurveyKind.COLD:
            return redirect(following)
        if action == "refuser" and kind_ is SurveyKind.COLD:
            _record(kind_, None)
            flash(_("C'est noté : ce questionnaire ne vous sera plus proposé."), "info")
            return redirect(following)
        read = survey_answers.read_answers(items, request.form)
        if not read.missing:
            _record(kind_, read)
            flash(_("Merci pour vos réponses !"), "success")
            return redirect(following)
    page = render_template("assessment/survey.html", kind=kind_, items=items, scale=SCALE, read=read, following=following)
    return page, 400 if read is not None else 200


def _record(kind: SurveyKind, read: survey_answers.ReadAnswers | None) -> None:
    try:
        survey_answers.record(get_session(), current_user.id, kind, read)
    except survey_answers.AlreadyAnswered as already:
        flash(str(already), "info")
