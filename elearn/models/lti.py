"""LTI 1.3: the platforms (LMS) an administrator registered, the people they launched, the nonces they
used, and the gradebook columns (line items) scores go back to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class LtiPlatform(SQLModel, table=True):
    """A platform registration: the values an LMS shows for elearn once it is declared there."""

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    issuer: str = Field(max_length=255, index=True)
    client_id: str = Field(max_length=255)
    deployment_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keyset_url: str = Field(max_length=500)
    auth_url: str = Field(max_length=500)
    token_url: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class LtiIdentity(SQLModel, table=True):
    """An account as a platform knows it: its issuer and the ``sub`` it sends, tied to an elearn user."""

    __tablename__ = "lti_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class LtiNonce(SQLModel, table=True):
    """A launch's nonce, kept so that the same id_token presented again is refused (replay)."""

    __tablename__ = "lti_nonce"
    __table_args__ = (UniqueConstraint("issuer", "nonce"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    nonce: str = Field(max_length=255)
    used_at: datetime = Field(default_factory=utcnow, index=True)


class LtiGradeLink(SQLModel, table=True):
    """Where a learner's score for a module goes: the line item of the launch, and the best score sent."""

    __tablename__ = "lti_grade_link"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "lineitem"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    module_slug: str = Field(max_length=100)
    platform_id: int = Field(foreign_key="lti_platform.id")
    subject: str = Field(max_length=255)
    lineitem: str = Field(max_length=500)
    #: The AGS claim of the launch (scopes, line items URL), as pylti1p3's grade service takes it.
    service: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    best_score: float | None = None
    #: Whether the completion (activity "Completed") was queued for this line item.
    completion_sent: bool = False
