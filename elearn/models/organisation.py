"""The training organisation's identity as set by an administrator (Administration › Organisation).

One row, ``id = 1``. A column left NULL falls back to ``parcours.yml``'s value, so an installation that
configured everything in the file keeps working, and the page only stores what the administrator set.
Images are stored re-encoded as PNG (see :mod:`elearn.organisation.images`), never as uploaded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

SINGLE_ROW_ID = 1


class OrganisationProfile(SQLModel, table=True):
    """The organisation's name, identifiers, signatory, signature and logo."""

    __tablename__ = "organisation"

    id: int = Field(default=SINGLE_ROW_ID, primary_key=True)
    name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    #: SIRET of the establishment (14 digits, stored without spaces).
    siret: str | None = Field(default=None, max_length=14)
    #: « Numéro de déclaration d'activité » (NDA) of the training body, 11 digits.
    registration_number: str | None = Field(default=None, max_length=32)
    signatory_name: str | None = Field(default=None, max_length=200)
    signatory_role: str | None = Field(default=None, max_length=200)
    signature_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    logo_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    updated_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
