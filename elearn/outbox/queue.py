"""Writing messages to the outbox and reading its backlog.

``queue`` only adds rows to the caller's session: the caller's commit stores the message together with
the progress it describes, and a rollback drops both. A message whose (channel, key) is already stored
is skipped by the database itself (``INSERT ... ON CONFLICT DO NOTHING``), so recording the same fact
twice, from two tabs at once or from a retried request, queues it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, func
from sqlalchemy import select as sql_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from elearn.models.base import utcnow
from elearn.models.outbox import OutboxMessage


@dataclass(frozen=True)
class Message:
    """A message to queue: what it is about (``key``, unique in its channel) and what it carries."""

    key: str
    payload: dict[str, Any]
    user_id: int | None = None


def row(channel: str, message: Message, now: datetime) -> dict[str, Any]:
    """The outbox row that queues ``message`` in ``channel`` (the one definition of its columns)."""
    return {"channel": channel, "key": message.key[:400], "user_id": message.user_id, "payload": message.payload,
            "created_at": now, "attempts": 0, "last_error": ""}


def queue(session: Session, channel: str, messages: Iterable[Message]) -> None:
    """Add ``messages`` to ``channel`` in the session's transaction (one INSERT, duplicates skipped)."""
    now = utcnow()
    rows = [row(channel, m, now) for m in messages]
    if not rows:
        return
    # Core on the session's connection (same transaction), without the ORM's execution layer.
    connection = session.connection()
    connection.execute(_insert_ignoring_duplicates(connection.dialect.name), rows)


@cache
def _insert_ignoring_duplicates(dialect_name: str) -> Insert:
    """One statement per dialect, parameters apart: SQLAlchemy compiles it once per process, where a
    statement carrying its rows (``values(rows)``) is compiled again on every call."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    return dialect.insert(table).on_conflict_do_nothing(index_elements=["channel", "key"])


def queue_for_each(rows: Any, prefix: str) -> Insert:
    """PostgreSQL: an INSERT that queues one message per row of ``rows`` (a CTE of the same statement),
    its columns bound as ``{prefix}channel``, ``{prefix}key``... (:func:`bound`), duplicates skipped. A
    write and the message that reports it then go in one statement, the message only if the write
    happened."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    names = tuple(row("", Message("", {}), utcnow()))  # the columns :func:`row` fills
    values = sql_select(*(bindparam(prefix + name, type_=table.c[name].type) for name in names)).select_from(rows)
    return postgresql.insert(table).from_select(names, values).on_conflict_do_nothing(index_elements=["channel", "key"])


def bound(channel: str, message: Message, now: datetime, prefix: str) -> dict[str, Any]:
    """The parameters of :func:`queue_for_each` for ``message``."""
    return {prefix + name: value for name, value in row(channel, message, now).items()}


@dataclass(frozen=True)
class Backlog:
    """Where a channel stands: messages waiting, the oldest of them, the last error and delivery."""

    channel: str
    pending: int
    oldest_pending_at: datetime | None
    last_error: str
    attempts: int
    next_attempt_at: datetime | None
    rejected: int
    last_sent_at: datetime | None


def backlog(session: Session, channel: str) -> Backlog:
    """The channel's backlog, for ``elearn xapi status`` and the administration dashboard."""
    pending_filter = (col(OutboxMessage.channel) == channel, col(OutboxMessage.sent_at).is_(None))
    pending, oldest = session.exec(
        select(func.count(), func.min(OutboxMessage.created_at)).where(*pending_filter)
    ).one()
    head = session.exec(select(OutboxMessage).where(*pending_filter).order_by(col(OutboxMessage.id)).limit(1)).first()
    rejected = session.exec(
        select(func.count()).where(
            col(OutboxMessage.channel) == channel, col(OutboxMessage.sent_at).is_not(None), col(OutboxMessage.last_error) != ""
        )
    ).one()
    last_sent = session.exec(select(func.max(OutboxMessage.sent_at)).where(col(OutboxMessage.channel) == channel)).one()
    return Backlog(
        channel=channel,
        pending=pending,
        oldest_pending_at=oldest,
        last_error=head.last_error if head else "",
        attempts=head.attempts if head else 0,
        next_attempt_at=head.next_attempt_at if head else None,
        rejected=rejected,
        last_sent_at=last_sent,
    )
