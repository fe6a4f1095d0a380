"""When a survey is due, and recording a learner's answers once.

« À chaud » is due once the path is finished (every module, and the final assessment when there is
one); « à froid » once ``cold_delay_days`` have passed since the « à chaud » answers, and it is offered
at the learner's next log-in (no e-mail is needed). A learner may decline « à froid »: the refusal is
stored so it is not offered again. The unique constraint (learner, survey) makes a second submission
a no-op.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from elearn.i18n import _
from elearn.learning.tracking import as_utc
from elearn.models import SurveyResponse
from elearn.models.base import utcnow
from elearn.satisfaction.surveys import Item, SurveyKind, Surveys

#: Longest free answer kept, in characters.
FREE_ANSWER_MAX = 2000


def response_of(session: Session, user_id: int, kind: SurveyKind) -> SurveyResponse | None:
    return session.exec(select(SurveyResponse).where(SurveyResponse.user_id == user_id, SurveyResponse.kind == kind.value)).first()


def cold_due(session: Session, user_id: int, surveys: Surveys, now: datetime | None = None) -> bool:
    """« À froid » is due: « à chaud » answered at least ``cold_delay_days`` ago, « à froid » not yet."""
    hot = response_of(session, user_id, SurveyKind.HOT)
    if hot is None or response_of(session, user_id, SurveyKind.COLD) is not None:
        return False
    return as_utc(hot.submitted_at) + timedelta(days=surveys.cold_delay_days) <= (now or utcnow())


@dataclass(frozen=True)
class ReadAnswers:
    ratings: dict[str, int]
    comments: dict[str, str]
    #: Item ids left unanswered (Likert items are required).
    missing: tuple[str, ...]


def read_answers(items: tuple[Item, ...], form: Mapping) -> ReadAnswers:
    """Ratings 1–5 of the Likert items and the free answers; anything else in the form is ignored."""
    ratings: dict[str, int] = {}
    comments: dict[str, str] = {}
    missing = []
    for it in items:
        raw = str(form.get(it.id, "") or "").strip()
        if it.free:
            if raw:
                comments[it.id] = raw[:FREE_ANSWER_MAX]
        elif raw in ("1", "2", "3", "4", "5"):
            ratings[it.id] = int(raw)
        else:
            missing.append(it.id)
    return ReadAnswers(ratings, comments, tuple(missing))


class AlreadyAnswered(Exception):
    """This survey was already answered (or declined) by the learner."""

    def __init__(self) -> None:
        super().__init__(_("Vous avez déjà répondu à ce questionnaire : merci !"))


def record(session: Session, user_id: int, kind: SurveyKind, answers: ReadAnswers | None) -> SurveyResponse:
    """Store the answers (``None``: the learner declined); raises :class:`AlreadyAnswered` the second time."""
    response = SurveyResponse(
        user_id=user_id,
        kind=kind.value,
        declined=answers is None,
        ratings=answers.ratings if answers else {},
        comments=answers.comments if answers else {},
    )
    session.add(response)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise AlreadyAnswered() from error
    return response
