"""Insert-or-update helpers that are safe under concurrency on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def upsert(session: Session, table: Table, values: dict[str, Any], keys: list[str], update: dict[str, Any]) -> None:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE SET update`` in the session's transaction.

    The database resolves the race between two requests creating the same row, which a
    "select then insert" in Python cannot do.
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
    session.exec(statement)  # type: ignore[call-overload]
