"""PostgreSQL connections are checked before use only when they have been idle, and a restart is survived.

``pg_terminate_backend`` does to the pooled connections what a database restart does: the server side
is gone while the pool still holds them.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from psycopg import sql

from elearn import db
from tests.conftest import PASSWORD
from tests.pgserver import ONLY_POSTGRESQL

pytestmark = ONLY_POSTGRESQL


class FakeClock:
    """Stands for the ``time`` module in elearn.db: its monotonic clock moves only when a test says so.

    It starts at the real clock's reading, so connections returned before it took over look just returned.
    """

    def __init__(self) -> None:
        self.now = time.monotonic()

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(db, "time", fake)
    return fake


def _drop_server_connections(server, app) -> int:  # noqa: ANN001
    """Close every server-side connection of the app's database; how many there were.

    Each call waits (up to 5 s) until its backend has really exited, as after a restart: the test goes on
    against connections that are gone, never against ones still on their way out.
    """
    name = app.config["ELEARN_DATABASE_URL"].rsplit("/", 1)[1]
    statement = sql.SQL(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = {} AND pid <> pg_backend_pid()"
    ).format(sql.Literal(name))
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        return len(connection.execute(statement).fetchall())


@pytest.fixture
def logged_in(client, learner):
    assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    assert client.get("/modules").status_code == 200
    return client


def test_connections_idle_across_a_restart_are_replaced_before_use(app, logged_in, postgres_server, clock):
    assert _drop_server_connections(postgres_server, app) >= 1
    clock.now += db.CHECK_IDLE_CONNECTIONS_AFTER + 5  # a restart takes longer than the idle limit
    assert logged_in.get("/modules").status_code == 200
    assert logged_in.get("/progression").status_code == 200


def test_a_connection_used_moments_before_a_restart_costs_one_request(app, logged_in, postgres_server, monkeypatch):
    """The price of not checking busy connections: one 503 page per worker, then the pool is renewed."""
    monkeypatch.setattr(db, "CHECK_IDLE_CONNECTIONS_AFTER", 60.0)
    assert _drop_server_connections(postgres_server, app) >= 1
    failed = logged_in.get("/modules")
    assert failed.status_code == 503
    assert "Service indisponible" in failed.get_data(as_text=True)
    assert logged_in.get("/modules").status_code == 200
    assert logged_in.get("/progression").status_code == 200


def test_busy_connections_are_not_checked(app, logged_in, monkeypatch, clock):
    """Idle time is measured on a fake clock: requests back to back, then idle exactly the limit, then just over."""
    pings = []
    monkeypatch.setattr(db.get_engine(app).dialect, "do_ping", lambda connection: pings.append(connection) or True)
    for _ in range(5):
        assert logged_in.get("/modules").status_code == 200
    assert pings == []
    clock.now += db.CHECK_IDLE_CONNECTIONS_AFTER
    assert logged_in.get("/modules").status_code == 200
    assert pings == []
    clock.now += db.CHECK_IDLE_CONNECTIONS_AFTER + 0.001
    assert logged_in.get("/modules").status_code == 200
    assert len(pings) == 1
