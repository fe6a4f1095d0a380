"""Reflection answers (private by default, optionally shared anonymously) and trainers' workshop syntheses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.i18n import N_
from elearn.models.base import LabelledEnum, utcnow

#: Longest answer or synthesis item accepted, in characters (a few pages of text).
MAX_TEXT_LENGTH = 10_000


class ReflectionAnswer(SQLModel, table=True):
    """A learner's answer to one reflection block of a module.

    Sharing copies the text into ``shared_text`` at that moment: trainers read that snapshot, never
    the author's later drafts, and never the ``user_id`` (the trainer queries do not select it).
    """

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "reflection_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=100, index=True)
    reflection_id: str = Field(max_length=150)
    text: str = Field(default="", max_length=MAX_TEXT_LENGTH)
    updated_at: datetime = Field(default_factory=utcnow)
    shared_text: str | None = Field(default=None, max_length=MAX_TEXT_LENGTH)
    shared_at: datetime | None = Field(default=None, index=True)


class SynthesisPart(LabelledEnum):
    """The four parts of a workshop synthesis, in the order they are printed."""

    FINDINGS = "constats", N_("Constats")
    STAKES = "enjeux", N_("Enjeux")
    ACTIONS = "pistes", N_("Pistes d'action")
    INITIATIVES = "initiatives", N_("Initiatives inspirantes")


class Synthesis(SQLModel, table=True):
    """A trainer's synthesis of a workshop or group: title, territory or group, date."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    territory: str = Field(default="", max_length=200)
    held_on: date | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    #: The group of the trainer who wrote it, whose shared answers it may quote: only trainers who read
    #: that group's answers see it (None: written by a trainer who follows every learner).
    group_id: int | None = Field(default=None, foreign_key="traininggroup.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SynthesisItem(SQLModel, table=True):
    """One point of a synthesis part, written by a trainer or copied from a shared answer."""

    id: int | None = Field(default=None, primary_key=True)
    synthesis_id: int = Field(foreign_key="synthesis.id", index=True, ondelete="CASCADE")
    part: str = Field(max_length=16)
    position: int = Field(default=0)
    text: str = Field(max_length=MAX_TEXT_LENGTH)
    #: True when copied from a learner's shared answer (shown as « Réponse partagée »).
    from_shared_answer: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
