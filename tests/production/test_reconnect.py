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


def _drop_server_connections(server, app) -> int:  # noqa: ANN001
    """Close every server-side connection of the app's database; how many there were."""
    name = app.config["ELEARN_DATABASE_URL"].rsplit("/", 1)[1]
    statement = sql.SQL(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {} AND pid <> pg_backend_pid()"
    ).format(sql.Literal(name))
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        return len(connection.execute(statement).fetchall())


@pytest.fixture
def logged_in(client, learner):
    assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    assert client.get("/modules").status_code == 200
    return client


def test_connections_idle_across_a_restart_are_replaced_before_use(app, logged_in, postgres_server, monkeypatch):
    monkeypatch.setattr(db, "CHECK_IDLE_CONNECTIONS_AFTER", 0.1)
    assert _drop_server_connections(postgres_server, app) >= 1
    time.sleep(0.2)
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


def test_busy_connections_are_not_checked(app, logged_in, monkeypatch):
    pings = []
    monkeypatch.setattr(db.get_engine(app).dialect, "do_ping", lambda connection: pings.append(connection) or True)
    for _ in range(5):
        assert logged_in.get("/modules").status_code == 200
    assert pings == []
    monkeypatch.setattr(db, "CHECK_IDLE_CONNECTIONS_AFTER", 0.05)
    time.sleep(0.1)
    assert logged_in.get("/modules").status_code == 200
    assert len(pings) == 1
