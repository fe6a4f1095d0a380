"""What trainers see of learners' reflections: shared snapshots only, grouped by module and question.

The queries here select the shared text and where it belongs, never ``user_id`` nor any date, so nothing
handed to a trainer's page can say who wrote an answer or when (a date could point at a person).

``scope`` is the reader's (:func:`elearn.groups.reader_scope`): None reads every shared answer; a group
id, those of the group's learners only (the author's group is used in the query's filter, never returned).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.models import ReflectionAnswer, User

if TYPE_CHECKING:
    from elearn.content.model import Module


@dataclass(frozen=True)
class SharedAnswer:
    """An anonymous shared answer: an opaque id (to quote it in a synthesis), where it belongs, its text."""

    id: int
    module_slug: str
    reflection_id: str
    text: str


@dataclass
class QuestionGroup:
    reflection_id: str
    prompt_html: str  # empty when the question no longer exists in the module
    answers: list[SharedAnswer] = field(default_factory=list)


@dataclass
class ModuleGroup:
    slug: str
    title: str
    questions: list[QuestionGroup] = field(default_factory=list)

    @property
    def answer_count(self) -> int:
        return sum(len(q.answers) for q in self.questions)


def _shared_query(scope: int | None):  # noqa: ANN202 - a SQLModel select
    statement = (
        select(ReflectionAnswer.id, ReflectionAnswer.module_slug, ReflectionAnswer.reflection_id, ReflectionAnswer.shared_text)
        .where(col(ReflectionAnswer.shared_at).is_not(None))
        # By text, not by date or id: the order must not reveal who shared first.
        .order_by(ReflectionAnswer.module_slug, ReflectionAnswer.reflection_id, func.lower(ReflectionAnswer.shared_text))
    )
    if scope is not None:
        statement = statement.join(User, col(User.id) == ReflectionAnswer.user_id).where(User.group_id == scope)
    return statement


def shared_answers(session: Session, module_slug: str | None = None, *, scope: int | None = None) -> list[SharedAnswer]:
    """Every shared answer the reader may see (of one module when ``module_slug`` is given)."""
    statement = _shared_query(scope)
    if module_slug is not None:
        statement = statement.where(ReflectionAnswer.module_slug == module_slug)
    return [SharedAnswer(*row) for row in session.exec(statement)]


def shared_answer(session: Session, answer_id: int, *, scope: int | None = None) -> SharedAnswer | None:
    """One shared answer by id; None when it does not exist, is not shared or is outside ``scope``."""
    row = session.exec(_shared_query(scope).where(ReflectionAnswer.id == answer_id)).first()
    return SharedAnswer(*row) if row else None


def group_by_question(answers: Iterable[SharedAnswer], modules: Sequence[Module]) -> list[ModuleGroup]:
    """Group answers by module (in path order) and question (in module order); unknown ones go last."""
    by_key: dict[tuple[str, str], list[SharedAnswer]] = {}
    for answer in answers:
        by_key.setdefault((answer.module_slug, answer.reflection_id), []).append(answer)
    groups: list[ModuleGroup] = []
    for module in modules:
        questions = [
            QuestionGroup(block.id, block.prompt_html, by_key.pop((module.slug, block.id)))
            for block in module.reflections
            if (module.slug, block.id) in by_key
        ]
        leftovers = sorted(key for key in by_key if key[0] == module.slug)
        questions += [QuestionGroup(key[1], "", by_key.pop(key)) for key in leftovers]
        if questions:
            groups.append(ModuleGroup(module.slug, module.title, questions))
    for slug in sorted({key[0] for key in by_key}):
        keys = sorted(key for key in by_key if key[0] == slug)
        groups.append(ModuleGroup(slug, slug, [QuestionGroup(key[1], "", by_key.pop(key)) for key in keys]))
    return groups
