"""The one place where database engines and sessions are created, opened and closed.

A request gets one :class:`sqlmodel.Session` (``get_session()``). Writes are explicit: the code that
changes data commits it (so a failed commit is an error the request still reports); whatever is left
uncommitted when the request ends is rolled back. Code outside a request uses ``session_scope()``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

#: A pooled PostgreSQL connection left unused for longer than this (seconds) is checked with a
#: ``SELECT 1`` before a request gets it, and the pool is renewed if the check fails. A database
#: restart takes longer than this, so connections left idle across one are always checked; under load
#: connections go out again within milliseconds and skip the round trip that checking each time
#: (``pool_pre_ping``) cost every request. Requests made during an outage fail (the 503 page), and the
#: first failure makes the pool replace all its connections.
CHECK_IDLE_CONNECTIONS_AFTER = 1.0


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_engine(url)
    _check_idle_connections(engine)
    return engine


def _check_idle_connections(engine: Engine) -> None:
    """``pool_pre_ping``, for connections idle for more than :data:`CHECK_IDLE_CONNECTIONS_AFTER` only."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:  # noqa: ANN001 - pool event
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:  # noqa: ANN001 - pool event
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since <= CHECK_IDLE_CONNECTIONS_AFTER:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The server went away (restart, idle timeout): every pooled connection is dead too. The
            # pool drops them all and hands out a new connection for this request.
            raise exc.InvalidatePoolError(str(error)) from error


def init_app(app: Flask) -> None:
    """Attach the engine to ``app`` and close each request's session at teardown."""
    url = app.config["ELEARN_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.extensions["elearn.engine"] = make_engine(url)
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The application's engine."""
    return (app or current_app).extensions["elearn.engine"]


def get_session() -> Session:
    """The session of the current request (or app context), created on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.rollback()
    finally:
        session.close()


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A transaction outside a request: commit on success, roll back on error."""
    session = Session(get_engine(app), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def database_is_reachable(app: Flask | None = None) -> bool:
    """True when a trivial query succeeds (used by ``/healthz``)."""
    try:
        with get_engine(app).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
