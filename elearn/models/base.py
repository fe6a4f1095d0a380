"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (stored naive-UTC by SQLite, aware by PostgreSQL)."""
    return datetime.now(UTC)
