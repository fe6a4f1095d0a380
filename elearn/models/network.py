"""The vigilance network: situations shared by professionals, and the trainers' notes on them.

A situation carries no link to its author (no user id, no hash of one): see docs/network.md. It is not
part of any learner's record, so exports of learner data never reach it and erasing an account leaves it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from elearn.i18n import N_
from elearn.models.base import LabelledEnum, utcnow

MAX_SITUATION_TEXT = 5_000


class CareStage(LabelledEnum):
    """Where in the care path the situation happened (the three stakes of the workshops)."""

    RIGHTS = "droits", N_("Accès aux droits")
    CARE = "soins", N_("Accès aux soins")
    RELATIONSHIP = "relation", N_("Relation soignant-soigné")


class Criterion(LabelledEnum):
    """The discrimination criterion that may be involved (the four of the guide, plus the rest)."""

    ORIGIN = "origine", N_("Origine")
    SEX = "sexe", N_("Sexe")
    RESIDENCE = "residence", N_("Lieu de résidence")
    POVERTY = "vulnerabilite", N_("Vulnérabilité économique")
    OTHER = "autre", N_("Autre / je ne sais pas")


class ProblemLevel(LabelledEnum):
    """The level a problem sits at, as the network's charter names them."""

    INDIVIDUAL = "individuel", N_("Individuel")
    INSTITUTIONAL = "institutionnel", N_("Institutionnel")
    SYSTEMIC = "systemique", N_("Systémique")


class Situation(SQLModel, table=True):
    """A situation witnessed by a professional, checked for identifying details before it was stored."""

    id: int | None = Field(default=None, primary_key=True)
    #: The day only: a precise time could be matched against log-in times to find the author.
    submitted_on: date = Field(default_factory=lambda: utcnow().date(), index=True)
    what_happened: str = Field(max_length=MAX_SITUATION_TEXT)
    care_stage: str = Field(max_length=16)
    criterion: str = Field(max_length=16)
    action_taken: str = Field(default="", max_length=MAX_SITUATION_TEXT)
    # Trainers' triage ------------------------------------------------------------------------------
    reviewed: bool = Field(default=False, index=True)
    tag_criteria: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tag_stages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tag_levels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    case_study_candidate: bool = Field(default=False, index=True)
    #: Set only by an explicit, audited publication decision.
    published_at: datetime | None = None


class SituationNote(SQLModel, table=True):
    """A trainer's or administrator's annotation on a situation."""

    id: int | None = Field(default=None, primary_key=True)
    situation_id: int = Field(foreign_key="situation.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = Field(max_length=MAX_SITUATION_TEXT)
    created_at: datetime = Field(default_factory=utcnow)
