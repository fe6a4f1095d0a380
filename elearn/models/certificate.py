"""Certificates of completion (« attestations de suivi de formation »).

A certificate stores the signed credential exactly as it was embedded in the learner's PDF: that JSON
document is the single source of every printed field, so re-downloading a certificate months later
reproduces the same data even after modules, names or the training path have changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
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



class CertificateDocument(SQLModel, table=True):
    """A signed PDF issued for a certificate (« attestation », « certificat de réalisation »), kept as issued.

    A signed PDF cannot be rendered twice to the same bytes (the signature holds its time), so the file
    handed out is stored, with its SHA-256: a second download is the very same file, and a PDF brought
    back for verification can be recognised byte for byte. After the holder's erasure ``pdf`` is
    emptied (it prints their name) and only the fingerprint remains.
    """

    __table_args__ = (UniqueConstraint("certificate_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id", index=True)
    #: ``attestation`` or ``realisation``.
    kind: str = Field(max_length=16)
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sha256: str = Field(max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow)
