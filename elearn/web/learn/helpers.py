"""Small request-level helpers shared by the learner routes."""

from __future__ import annotations

from collections.abc import Mapping

from flask_login import current_user
from werkzeug.datastructures import MultiDict

from elearn.content.model import Module, Quiz, Section
from elearn.db import get_session
from elearn.learning import progress as progress_rules
from elearn.web.modules import get_library


def overview() -> list[progress_rules.ModuleState]:
    """States of every module for the current learner, in path order."""
    return progress_rules.learner_overview(get_session(), current_user.id, get_library().modules())


def state_for(module: Module) -> progress_rules.ModuleState:
    return next(s for s in overview() if s.module.slug == module.slug)


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
