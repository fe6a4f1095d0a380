"""Stored datetimes as exports write them, in UTC.

Datetimes come back from the database in UTC: aware from the models' column type, naive from a raw
SQLite aggregate. Exports write hundreds of thousands of them, so the common case (already aware in
UTC) costs one ``isoformat`` and nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """``moment`` aware in UTC; a naive one is taken as UTC (how SQLite stores them)."""
    if moment.tzinfo is UTC:
        return moment
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def iso_moment(moment: datetime) -> str:
    """ISO 8601 in UTC with its offset: unambiguous for machines and sortable as text."""
    return as_utc(moment).isoformat(timespec="seconds")
