"""Modules authored in the browser: publications (what learners get) and drafts (what trainers edit).

A publication is immutable and holds the module's full text, file by file, so any version can be
shown, compared, exported or restored. A draft is split into sections, each with a ``version`` that
every save must name: a save made on an older version is refused (optimistic concurrency), so two
trainers editing the same section never overwrite each other silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow

#: ``module_slug`` of the publications of the training path file (``parcours.yml``).
PATH_SLUG = "_parcours"


class ModulePublication(SQLModel, table=True):
    """One published version of a module; ``number`` counts from 1 per module."""

    __table_args__ = (UniqueConstraint("module_slug", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    module_slug: str = Field(max_length=100, index=True)
    number: int
    #: The module's name in ``modules/``: a folder (``02-definition``) or a file (``07-x.md``).
    entry: str = Field(max_length=200)
    #: Every file's text, keyed by its path relative to ``modules/``.
    files: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    message: str = Field(max_length=300)
    #: ``editeur`` (the browser), ``fichiers`` (read from modules/ at start), ``import``, ``retour``.
    source: str = Field(max_length=20)
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    author_name: str = Field(max_length=200)
    published_at: datetime = Field(default_factory=utcnow, index=True)


class ModuleDraft(SQLModel, table=True):
    """A module being edited in the browser; invisible to learners until it is published."""

    id: int | None = Field(default=None, primary_key=True)
    module_slug: str = Field(max_length=100, unique=True)
    entry: str = Field(max_length=200)
    base_publication_id: int | None = Field(default=None, foreign_key="modulepublication.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class DraftSection(SQLModel, table=True):
    """One file of a draft: ``index.md`` (position 0: header and introduction) or a section file."""

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="moduledraft.id", index=True, ondelete="CASCADE")
    position: int
    #: The file name without its number: ``index`` for the header, else ``code-penal`` for ``01-code-penal.md``.
    stem: str = Field(max_length=150)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    version: int = Field(default=1)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow)


class MediaFile(SQLModel, table=True):
    """A media file uploaded from the editor, kept whole so every machine can write it to its media/.

    Replacing a file inserts a new row (a new id): workers notice it by the newest id, as publications.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    content_hash: str = Field(max_length=64)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    uploaded_at: datetime = Field(default_factory=utcnow)
