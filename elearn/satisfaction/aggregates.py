"""What trainers and administrators read of the surveys: counts and means per item, and free answers
without any name, date or order that could point to the person who wrote them.

Learners are chosen with the reports' filters (group, profession, search); the period applies to the
day the survey was answered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from elearn.models import SurveyResponse, TrainingGroup, User
from elearn.reporting.catalog import Catalog
from elearn.reporting.conditions import learner_conditions, moment_in_period
from elearn.reporting.filters import ReportFilters
from elearn.reporting.records import Column
from elearn.satisfaction.surveys import Item, SurveyKind, Surveys


@dataclass(frozen=True)
class ItemSummary:
    item: Item
    #: How many learners chose each level, 1 to 5.
    counts: tuple[int, ...]
    comments: tuple[str, ...] = ()

    @property
    def answers(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.answers:
            return None
        return round(sum(level * n for level, n in enumerate(self.counts, start=1)) / self.answers, 2)

    @property
    def agree_share(self) -> float | None:
        """Share of « plutôt » or « tout à fait d'accord », in percent."""
        return round(100 * (self.counts[3] + self.counts[4]) / self.answers, 1) if self.answers else None


@dataclass(frozen=True)
class SurveySummary:
    kind: SurveyKind
    responses: int
    declined: int
    items: tuple[ItemSummary, ...]

    @property
    def rated(self) -> tuple[ItemSummary, ...]:
        return tuple(i for i in self.items if not i.item.free)

    @property
    def free(self) -> tuple[ItemSummary, ...]:
        return tuple(i for i in self.items if i.item.free)


def _responses(session: Session, filters: ReportFilters, catalog: Catalog, kind: SurveyKind) -> list[Any]:
    """(response, learner's group id) pairs matching the filters."""
    statement = (
        select(SurveyResponse, col(User.group_id))
        .join(User, col(User.id) == col(SurveyResponse.user_id))
        .where(col(SurveyResponse.kind) == kind.value)
        .where(*learner_conditions(replace(filters, date_from=None, date_to=None), catalog))
        .where(*moment_in_period(col(SurveyResponse.submitted_at), filters))
    )
    return list(session.exec(statement))


def summary(session: Session, filters: ReportFilters, catalog: Catalog, surveys: Surveys, kind: SurveyKind) -> SurveySummary:
    """Counts per level and mean for every item of the survey, and its free answers sorted by text."""
    rows = [response for response, _ in _responses(session, filters, catalog, kind)]
    answered = [r for r in rows if not r.declined]
    items = []
    for it in surveys.items(kind):
        if it.free:
            texts = sorted(r.comments[it.id] for r in answered if r.comments.get(it.id))
            items.append(ItemSummary(it, (0, 0, 0, 0, 0), tuple(texts)))
        else:
            levels = [r.ratings[it.id] for r in answered if r.ratings.get(it.id) in (1, 2, 3, 4, 5)]
            items.append(ItemSummary(it, tuple(levels.count(level) for level in range(1, 6))))
    return SurveySummary(kind, len(answered), len(rows) - len(answered), tuple(items))


SATISFACTION_COLUMNS = (
    Column("survey", "Questionnaire", "text"),
    Column("group", "Groupe", "text"),
    Column("submitted_on", "Répondu le", "date"),
    Column("response", "Réponse n°", "int"),
    Column("item", "Question (identifiant)", "text"),
    Column("question", "Question", "text"),
    Column("rating", "Note (1 à 5)", "int"),
    Column("comment", "Réponse libre", "text"),
)


def satisfaction_rows(session: Session, filters: ReportFilters, catalog: Catalog, surveys: Surveys) -> Iterator[tuple[Any, ...]]:
    """One row per answered item, without the learner's identity: a response number, its group and day.

    Response numbers are per export (1, 2, …), not account ids, so free answers stay anonymous.
    """
    groups = {g.id: g.name for g in session.exec(select(TrainingGroup))}
    number = 0
    for kind in SurveyKind:
        for response, group_id in sorted(_responses(session, filters, catalog, kind), key=lambda pair: pair[0].submitted_at):
            if response.declined:
                continue
            number += 1
            group = groups.get(group_id, "")
            day = response.submitted_at.date()
            for it in surveys.items(kind):
                value = response.comments.get(it.id) if it.free else response.ratings.get(it.id)
                if value is not None:
                    yield (kind.value, group, day, number, it.id, it.text, None if it.free else value, value if it.free else None)


