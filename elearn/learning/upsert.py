"""Insert-or-update helpers that are safe under concurrency on SQLite and PostgreSQL alike."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def upsert(session: Session, table: Table, values: dict[str, Any], keys: list[str], update: dict[str, Any]) -> None:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE SET update`` in the session's transaction.

    The database resolves the race between two requests creating the same row, which a
    "select then insert" in Python cannot do.
    """
    statement = _insert(session.get_bind().dialect.name, table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
    session.exec(statement)  # type: ignore[call-overload]


def _insert(dialect: str, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def on_conflict_count(statement: Any, keys: tuple[str, ...], added: tuple[str, ...], replaced: tuple[str, ...]) -> Any:
    """``statement`` (a dialect's INSERT on some table) with :func:`add_or_insert`'s rule on conflict on
    ``keys``: the ``added`` columns' values added to the row's, the ``replaced`` ones overwritten."""
    table = statement.table
    changes = {name: table.c[name] + statement.excluded[name] for name in added}
    changes.update({name: statement.excluded[name] for name in replaced})
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)


@cache
def _counting_upsert(dialect: str, table: Table, keys: tuple[str, ...], added: tuple[str, ...], replaced: tuple[str, ...]) -> Any:
    return on_conflict_count(_insert(dialect, table), keys, added, replaced)


def add_or_insert(session: Session, table: Table, values: dict[str, Any], keys: tuple[str, ...], added: tuple[str, ...] = (),
                  replaced: tuple[str, ...] = ()) -> None:
    """Insert ``values``, or on conflict on ``keys`` add the ``added`` columns' values to the row's and
    overwrite the ``replaced`` ones, in the session's transaction.

    The statement is built once per shape and sent through the session's connection (SQLAlchemy Core):
    it serves the busiest writes, a heartbeat's time on task and a page view's position.
    """
    connection = session.connection()
    connection.execute(_counting_upsert(connection.dialect.name, table, keys, added, replaced), values)


@cache
def _insert_if_absent(dialect: str, table: Table, keys: tuple[str, ...]) -> Any:
    return _insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))


def insert_if_absent(session: Session, table: Table, values: dict[str, Any], keys: tuple[str, ...]) -> bool:
    """Insert ``values`` unless a row with the same ``keys`` exists (then nothing changes), in the session's
    transaction; True when the row was inserted. Built once per shape, like :func:`add_or_insert`."""
    connection = session.connection()
    return connection.execute(_insert_if_absent(connection.dialect.name, table, keys), values).rowcount == 1
