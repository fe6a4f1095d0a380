"""The one place where database engines and sessions are created, opened and closed.

A request gets one :class:`sqlmodel.Session` (``get_session()``). Writes are explicit: the code that
changes data commits it (so a failed commit is an error the request still reports); whatever is left
uncommitted when the request ends is rolled back. Code outside a request uses ``session_scope()``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import event, exc, insert, text, update
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from elearn.models.operations import HealthProbe

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

        _renew_sqlite_connections_after_file_errors(engine, make_url(url).database)
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


#: SQLite result codes after which a connection may stay unusable though the cause has gone (an I/O
#: error, a file that could not be opened or written).
SQLITE_CODES_THAT_RENEW_CONNECTIONS = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR})


def _renew_sqlite_connections_after_file_errors(engine: Engine, database: str | None) -> None:
    """Give up connections that file errors or read-only files left behind, as soon as the cause has gone.

    SQLite opens a file it may not write read-only, and that connection stays read-only for good, even
    once the operator gives write permission back: the pool would keep serving 503 pages for writes. So
    a connection opened on a read-only file is replaced at checkout as soon as the file can be written
    (one ``open`` of the file, only for such connections), and a file error on any connection counts as a
    lost connection, which makes the pool replace them all.
    """

    def writable() -> bool:
        if not database or database == ":memory:":
            return True
        try:
            os.close(os.open(database, os.O_RDWR))
        except OSError:
            return False
        return True

    @event.listens_for(engine, "connect")
    def _opened(_dbapi_connection, record) -> None:  # noqa: ANN001 - pool event
        if not writable():
            record.info["opened_read_only"] = True

    @event.listens_for(engine, "checkout")
    def _taken(_dbapi_connection, record, _proxy) -> None:  # noqa: ANN001 - pool event
        if record.info.get("opened_read_only") and writable():
            raise exc.DisconnectionError("the database file can be written again")

    @event.listens_for(engine, "handle_error")
    def _file_error(context) -> None:  # noqa: ANN001 - SQLAlchemy ExceptionContext
        code = getattr(context.original_exception, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in SQLITE_CODES_THAT_RENEW_CONNECTIONS:
            context.is_disconnect = True


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


#: ``/healthz``'s answers about the database.
HEALTHY, UNREACHABLE, NOT_WRITABLE = "ok", "unreachable", "not-writable"


def database_health(app: Flask | None = None) -> tuple[str, str | None]:
    """Whether the database answers and takes a write: (:data:`HEALTHY`, None) or a state and the reason.

    A ``SELECT 1`` is not enough: a full disk, read-only files or a standby server answer it while every
    write fails. So the single row of ``healthprobe`` is rewritten and committed, which costs one small
    write per check (load balancers check every few seconds).
    """
    engine = get_engine(app)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.rollback()
            try:
                with connection.begin():
                    probe = HealthProbe.__table__
                    now = datetime.now(UTC)
                    if not connection.execute(update(probe).where(probe.c.id == 1).values(checked_at=now)).rowcount:
                        connection.execute(insert(probe).values(id=1, checked_at=now))
            except exc.DBAPIError as error:
                return NOT_WRITABLE, _reason(error)
    except exc.DBAPIError as error:
        return UNREACHABLE, _reason(error)
    return HEALTHY, None


def _reason(error: exc.DBAPIError) -> str:
    """The driver's first line, for operators (no SQL, no parameters)."""
    return str(error.orig).strip().splitlines()[0][:200] if error.orig else type(error).__name__
