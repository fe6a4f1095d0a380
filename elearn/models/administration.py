"""Settings administrators change in the browser: who sees which module, and identity changes that
wait for an administrator's approval."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class ModuleVisibility(SQLModel, table=True):
    """Who sees a module. A module without a row is visible to everyone (the modules shipped before
    visibility existed); ``elearn new-module`` writes a ``hidden`` row for the skeleton it creates."""

    slug: str = Field(primary_key=True, max_length=120)
    #: ``hidden`` (draft: no learner), ``everyone``, or ``groups`` (the groups of ModuleVisibilityGroup).
    mode: str = Field(default="everyone", max_length=16)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


class ModuleVisibilityGroup(SQLModel, table=True):
    """One training group allowed to see a module whose visibility is ``groups``."""

    slug: str = Field(primary_key=True, max_length=120)
    group_id: int = Field(primary_key=True, foreign_key="traininggroup.id", index=True)


class IdentityChangeRequest(SQLModel, table=True):
    """A learner's change of name, e-mail or profession made after a certificate was issued: the name
    is printed on the certificate funders read, so an administrator approves it first."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    full_name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    profession: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    #: ``approved`` or ``rejected`` once decided.
    decision: str = Field(default="", max_length=16)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
