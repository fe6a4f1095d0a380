"""Tables the operators' tools use, not the learners' data."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class HealthProbe(SQLModel, table=True):
    """One row that ``/healthz`` rewrites on each call: a database that can be read but not written
    (full disk, read-only files, a standby server) is then reported as such, not as healthy."""

    id: int = Field(default=1, primary_key=True)
    checked_at: datetime = Field(default_factory=utcnow)
