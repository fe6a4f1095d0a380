"""What a learner has done: sections read, quiz attempts, completions and active time.

Modules are files, not rows: they are referred to by slug, and every record that depends on a module's
text keeps the module's ``content_hash`` so history stays meaningful when a trainer edits a module.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class SectionProgress(SQLModel, table=True):
    """A section a learner has opened; ``read_at`` is set when they move on from it."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "section_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    module_slug: str = Field(max_length=100)
    section_id: str = Field(max_length=150)
    first_visited_at: datetime = Field(default_factory=utcnow)
    last_visited_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


class ModuleProgress(SQLModel, table=True):
    """Where a learner stands in a module: started, last position, completion."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    module_slug: str = Field(max_length=100, index=True)
    started_at: datetime = Field(default_factory=utcnow)
    last_section_id: str | None = Field(default=None, max_length=150)
    last_activity_at: datetime = Field(default_factory=utcnow)
    #: Set once, when all sections are read and every quiz passed (never unset by later edits).
    completed_at: datetime | None = Field(default=None, index=True)
    completion_score: float | None = None
    completion_content_hash: str | None = Field(default=None, max_length=64)


class QuizAttempt(SQLModel, table=True):
    """One submitted quiz. ``attempt_number`` makes a double submission a constraint violation."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "quiz_id", "attempt_number"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    module_slug: str = Field(max_length=100, index=True)
    quiz_id: str = Field(max_length=150)
    attempt_number: int
    content_hash: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=utcnow, index=True)
    points: float
    max_points: float
    percent: float
    passed: bool
    #: {question_id: [choice_id, ...]} as submitted.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: {question_id: true/false}: kept so the history survives later edits of the module.
    outcome: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ActiveTime(SQLModel, table=True):
    """Active time of a learner on one section on one day, plus first and last activity.

    ``day`` is the French calendar day (Europe/Paris) of the activity, the day the attendance log shows
    beside Paris times and the one report periods filter on.
    """

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "section_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    module_slug: str = Field(max_length=100, index=True)
    section_id: str = Field(max_length=150)
    day: date = Field(index=True)
    seconds: int = Field(default=0)
    first_activity_at: datetime = Field(default_factory=utcnow)
    last_activity_at: datetime = Field(default_factory=utcnow)


class ActivityClock(SQLModel, table=True):
    """Per learner, the moment up to which active time has been credited.

    One clock per person (not per tab) is what guarantees that two tabs, a replayed heartbeat or a
    client sending faster than real time can never credit more than the wall-clock time that passed.
    """

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    credited_until: datetime
