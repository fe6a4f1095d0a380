"""Small request-level helpers shared by the learner routes."""

from __future__ import annotations

from collections.abc import Mapping

from flask import g
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from elearn.content.model import Module, Quiz, Section
from elearn.db import get_session
from elearn.learning import progress as progress_rules
from elearn.visibility import modules_for
from elearn.web.modules import get_library


def learner_modules() -> list[Module]:
    """The modules the current person may see (:func:`elearn.visibility.modules_for`), once per request."""
    modules = g.get("learner_modules")
    if modules is None:
        modules = g.learner_modules = modules_for(get_session(), current_user, get_library().modules())
    return modules


def overview(with_time: bool = False) -> list[progress_rules.ModuleState]:
    """States of every module for the current learner, in path order, read once per request.

    A page reads them before it writes anything, and shows them as read (a page view's own visit
    changes nothing it shows); a view that changes progress redirects, and the next request reads anew.
    ``with_time``: with the time on task and activity dates, for the pages that show them.
    """
    timed, states = g.get("learner_states", (False, None))
    if states is None or (with_time and not timed):
        states = progress_rules.learner_overview(get_session(), current_user.id, learner_modules(), with_time=with_time)
        g.learner_states = (with_time, states)
    return states


def state_for(module: Module, with_time: bool = False) -> progress_rules.ModuleState:
    return next(s for s in overview(with_time) if s.module.slug == module.slug)


def find_quiz(module: Module, quiz_id: str) -> tuple[Section, Quiz] | None:
    for section in module.sections:
        for quiz in section.quizzes:
            if quiz.id == quiz_id:
                return section, quiz
    return None


def parse_answers(quiz: Quiz, form: MultiDict | Mapping) -> dict[str, list[str]]:
    """Selected choice ids per question; unknown ids are dropped, unanswered questions are empty."""
    answers: dict[str, list[str]] = {}
    for question in quiz.questions:
        valid = {choice.id for choice in question.choices}
        picked = form.getlist(question.id) if hasattr(form, "getlist") else [form.get(question.id)]
        answers[question.id] = sorted({value for value in picked if value in valid})
    return answers
