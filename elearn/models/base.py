"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from elearn.i18n import _


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (stored naive-UTC by SQLite, aware by PostgreSQL)."""
    return datetime.now(UTC)


class LabelledEnum(StrEnum):
    """A stored string value with its French label: ``MEMBER = "value", N_("Label")``.

    ``label`` is for the interface (translated during a request); ``french_label`` for documents that
    are French whoever downloads them (exports, certificates, syntheses).
    """

    french_label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.french_label = label
        return member

    @property
    def label(self) -> str:
        return _(self.french_label)
