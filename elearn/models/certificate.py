"""Certificates of completion (« attestations de suivi de formation »).

A certificate stores the signed credential exactly as it was embedded in the learner's PDF: that JSON
document is the single source of every printed field, so re-downloading a certificate months later
reproduces the same data even after modules, names or the training path have changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow


class Certificate(SQLModel, table=True):
    """One issued certificate.

    One learner holds at most one certificate per path version and ``sequence``: the first issue is
    sequence 1 and a reissue after revocation takes the next number. Two concurrent first issues
    therefore collide on the unique constraint instead of creating two certificates.
    """

    __table_args__ = (UniqueConstraint("user_id", "path_version", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    #: Unguessable, human-typable code, canonical form (``XXXXX-XXXXX-XXXXX-XXXXX-XXXXX``).
    code: str = Field(max_length=32, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    path_version: str = Field(max_length=64)
    sequence: int = Field(default=1)
    issued_at: datetime = Field(default_factory=utcnow, index=True)
    #: The signed Open Badges 3.0 / Verifiable Credential document, as embedded in the PDF.
    credential: str = Field(sa_column=Column(Text, nullable=False))
    revoked_at: datetime | None = None
    revoked_reason: str = Field(default="", max_length=500)
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id")
    #: The certificate this one replaces (reissue), if any.
    replaces_id: int | None = Field(default=None, foreign_key="certificate.id")

