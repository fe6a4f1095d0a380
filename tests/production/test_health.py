"""``/healthz`` tells whether the database takes writes, and a server recovers as soon as it does again.

A database that can be read but not written (full disk, read-only files, a standby) used to pass the
health check, and SQLite connections opened while the files were read-only stayed read-only after the
operator gave write permission back, so the workers kept answering 503.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from elearn.db import get_engine
from elearn.web.modules import get_library
from tests.conftest import AuthActions, add_user, make_test_app, open_module


def probe_time(app) -> datetime:  # noqa: ANN001
    with get_engine(app).connect() as connection:
        return connection.execute(sa.text("SELECT checked_at FROM healthprobe WHERE id = 1")).scalar_one()


def test_healthz_writes_to_the_database(app, client):
    before = probe_time(app)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    after = probe_time(app)
    assert after != before


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` and its files read-only even for root (the tests run as root in CI, where chmod does
    nothing): the immutable attribute; chmod for anyone else."""
    paths = [*folder.iterdir(), folder]
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True, capture_output=True)  # noqa: S603, S607
    else:
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True, capture_output=True)  # noqa: S603, S607
        else:
            for path in paths:
                path.chmod(path.stat().st_mode | 0o200)


@pytest.fixture
def learner_on_a_module(tmp_path):
    """A logged-in learner on a SQLite database of its own folder, with a module open; and the folder."""
    folder = tmp_path / "donnees"
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=f"sqlite:///{folder / 'elearn.sqlite3'}")
    learner = add_user(app, "apprenant@exemple.fr")
    with app.app_context():
        module = get_library().modules()[0]
    open_module(app, learner.id, module.slug)
    client = app.test_client()
    AuthActions(client).login(learner.email)
    heartbeat = {"module": module.slug, "section": module.sections[0].id, "seconds": 15}
    yield app, client, folder, heartbeat
    get_engine(app).dispose()


def test_read_only_database_fails_the_health_check_and_the_server_recovers_with_the_permission(learner_on_a_module):
    app, client, folder, heartbeat = learner_on_a_module
    get_engine(app).dispose()  # the server starts on read-only files: its connections open read-only
    keeper = __import__("sqlite3").connect(folder / "elearn.sqlite3")  # keeps the -wal and -shm files in place
    keeper.execute("SELECT count(*) FROM healthprobe").fetchall()
    try:
        with read_only(folder):
            assert client.get("/healthz").status_code == 503
            assert client.get("/healthz").get_json() == {"status": "error", "database": "not-writable"}
            refused = client.post("/activite", json=heartbeat)
            assert refused.status_code == 503
            assert refused.is_json and refused.get_json()["ok"] is False and "indisponible" in refused.get_json()["message"]
            assert client.get("/progression").status_code == 200  # reading still works
        # Write permission is back: the very next requests succeed, on the same worker.
        assert client.get("/healthz").status_code == 200
        assert client.post("/activite", json=heartbeat).status_code == 200
    finally:
        keeper.close()


def test_postgresql_in_read_only_mode_fails_the_health_check(tmp_path, postgres_server):
    name = postgres_server.create_database(template="elearn_template")
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=postgres_server.url(name))
    try:
        assert app.test_client().get("/healthz").status_code == 200
        with psycopg.connect(postgres_server.conninfo("postgres"), autocommit=True) as connection:
            connection.execute(f'ALTER DATABASE "{make_url(postgres_server.url(name)).database}" SET default_transaction_read_only = on')
        get_engine(app).dispose()  # new connections get the setting, as after a fail-over to a standby
        response = app.test_client().get("/healthz")
        assert response.status_code == 503 and response.get_json()["database"] == "not-writable"
    finally:
        get_engine(app).dispose()
        postgres_server.drop_database(name)
