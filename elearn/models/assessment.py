"""Attempts at the path's assessments and answers to its satisfaction surveys.

An assessment attempt is opened (the draw is stored) before it is answered and closed once, by a
single conditional update; the unique constraints make a second opening or a replayed form a
no-op, never a second attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class AssessmentAttempt(SQLModel, table=True):
    """One attempt at the positioning test or the final assessment; every attempt is kept."""

    __table_args__ = (UniqueConstraint("user_id", "kind", "attempt_number"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: « positionnement » or « finale » (:class:`elearn.assessment.attempts.Kind`).
    kind: str = Field(max_length=20, index=True)
    attempt_number: int
    #: Secret the form carries: only the open attempt's form can close it.
    token: str = Field(max_length=64, unique=True)
    bank_hash: str = Field(max_length=64)
    started_at: datetime = Field(default_factory=utcnow)
    #: Set once, when the answers are recorded (the attempt is then closed).
    submitted_at: datetime | None = Field(default=None, index=True)
    #: The draw, in the order shown: [{"q": question id, "c": [choice ids in the order shown]}].
    drawn: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: {question_id: [choice_id, ...]} as submitted.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: {question_id: true/false}
    outcome: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    points: float | None = None
    max_points: float | None = None
    percent: float | None = None
    #: None for the positioning test, which has no pass mark.
    passed: bool | None = None


class SurveyResponse(SQLModel, table=True):
    """A learner's answers to a satisfaction survey (« chaud » at the path's end, « froid » later).

    Free answers are shown to trainers without the learner's name; ``declined`` records a learner who
    chose not to answer the « froid » survey, so it is not offered again.
    """

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=20)
    submitted_at: datetime = Field(default_factory=utcnow, index=True)
    declined: bool = False
    #: {item id: 1..5}
    ratings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: {item id: text}
    comments: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
