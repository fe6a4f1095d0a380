"""The audit trail: who did what to whom, kept for administrators and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class AuditEvent(SQLModel, table=True):
    """One recorded action (account created, role changed, export, revocation, erasure, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=255)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
