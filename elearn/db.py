"""The one place where database engines and sessions are created, opened and closed.

A request gets one :class:`sqlmodel.Session` (``get_session()``). Writes are explicit: the code that
changes data commits it (so a failed commit is an error the request still reports); whatever is left
uncommitted when the request ends is rolled back. Code outside a request uses ``session_scope()``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from functools import lru_cache
from datetime import UTC, datetime
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar
from contextlib import contextmanager

from flask import Flask, current_app, g
from psycopg import ServerCursor
from psycopg.pq import TransactionStatus
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
    _begin_transactions_at_first_write(engine)
    return engine


def _begin_transactions_at_first_write(engine: Engine) -> None:
    """PostgreSQL: open a transaction at the first statement that needs one, not at the first read.

    psycopg sends ``BEGIN`` before a transaction's first statement and waits for its answer, and the
    request's end sends ``ROLLBACK``: a page that only reads paid three round trips for its one query.
    Under PostgreSQL's default isolation (read committed) every statement takes its own snapshot, inside
    a transaction or not, so reads outside one see exactly what they would have seen inside it. Each
    transaction therefore starts on the driver in autocommit mode; before the first statement that
    writes, locks or opens a server-side cursor, autocommit is turned off, so psycopg sends ``BEGIN``
    then, and everything from that statement to the commit or rollback is one transaction as before. A
    request that only read sends its reads and nothing else. This is what Python's ``sqlite3`` module
    has always done (``BEGIN`` before the first INSERT, UPDATE or DELETE).

    A statement executed with the :data:`ONLY_WRITE` option, when no transaction is open yet, runs on
    its own: its caller promises to write nothing else before committing, and one statement is atomic
    without ``BEGIN`` and ``COMMIT`` (two round trips fewer; the heartbeat's credit is one).
    """

    event.listen(engine, "begin", _start_reading)
    event.listen(engine, "before_cursor_execute", _start_writing)


#: Execution option of a statement that is its transaction's only write (see above): the caller commits
#: right after it, or reads only, and never writes again in the same transaction.
ONLY_WRITE = "elearn_only_write"


def _start_reading(connection) -> None:  # noqa: ANN001 - SQLAlchemy event
    """A transaction starts: its reads go out on their own (autocommit) until it first writes."""
    driver = connection.connection.driver_connection
    if not driver.autocommit and driver.info.transaction_status == TransactionStatus.IDLE:
        driver.autocommit = True


def _start_writing(_connection, cursor, statement, _parameters, context, _executemany) -> None:  # noqa: ANN001
    """Before a statement that needs a transaction, leave autocommit: psycopg sends ``BEGIN`` first.

    Not for a statement marked :data:`ONLY_WRITE`, nor on a connection its user put in autocommit
    (``isolation_level="AUTOCOMMIT"``: ``CREATE INDEX CONCURRENTLY``, ``VACUUM``), which must stay out
    of any transaction.
    """
    driver = cursor.connection
    if not driver.autocommit:
        return
    options = context.execution_options if context is not None else {}
    if options.get(ONLY_WRITE) or options.get("isolation_level") == "AUTOCOMMIT":
        return
    if isinstance(cursor, ServerCursor) or needs_transaction(statement):
        driver.autocommit = False


#: What makes a SELECT more than a read: row locks, and functions that change or lock something.
_SELECT_THAT_WRITES = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(?:KEY\s+)?SHARE\b"
    r"|\b(?:nextval|setval|pg_advisory\w*|pg_try_advisory\w*|pg_notify|txid_current|pg_current_xact_id)\s*\(",
    re.IGNORECASE,
)


@lru_cache(maxsize=2048)
def needs_transaction(statement: str) -> bool:
    """Whether ``statement`` must run inside a transaction: anything but a plain SELECT (or SHOW)."""
    head = statement.lstrip()[:6].upper()
    if head == "SELECT":
        return _SELECT_THAT_WRITES.search(statement) is not None
    return not head.startswith("SHOW")


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


_Kept = TypeVar("_Kept")


def once_per_transaction(session: Session, key: Hashable, read: Callable[[], _Kept]) -> _Kept:
    """``read()``'s answer, kept in the session for the transaction that read it: a page that asks
    several times (the audiences, a learner's assessment attempts) reads once, and a commit or a
    rollback reads anew. Only for answers that the transaction itself does not change."""
    session.connection()  # the transaction the answer belongs to
    transaction = session.get_transaction()
    kept = session.info.get(key)
    if kept is not None and kept[0] is transaction:
        return kept[1]
    answer = read()
    session.info[key] = (transaction, answer)
    return answer


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
