"""Shared fixtures: an app on a fresh database per test, its client and CLI runner, and users.

Databases. ``database_url`` (and so ``app``, ``client``, ``runner`` and the user fixtures) runs each test
twice, on SQLite and on PostgreSQL, unless the test or its module says otherwise:

- ``@pytest.mark.sqlite_only`` (or ``pytestmark = pytest.mark.sqlite_only``): SQLite only, for tests
  whose database work is incidental (headers, page text, key files, CLI output);
- ``pytestmark = ONLY_POSTGRESQL`` (tests/pgserver.py): PostgreSQL only.

A test belongs on both databases when what it checks goes through SQL the two engines may run
differently: constraints and races, upserts, date and JSON queries, sorting and case rules, reports.

Speed without weaker tests (docs/testing.md): a SQLite database is a copy of one migrated at the start
of the run, a PostgreSQL one a copy of a migrated template; passwords are hashed with cheap Argon2
parameters (``tests/web/test_auth.py`` keeps one test on the real ones); a database a test leaves
connections to is not waited for.

Browser tests (tests/e2e) add a live server; their fixtures live in tests/e2e/conftest.py.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import tempfile
import weakref
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sqlmodel import select

from elearn import accounts, create_app, migrate
from elearn.accounts import create_user
from elearn.db import get_engine, make_engine, session_scope
from elearn.models import ActiveTime, ModuleProgress, Role, User
from tests import pgserver

TESTS_DIR = Path(__file__).parent
FIXTURE_MODULES = TESTS_DIR / "fixtures" / "modules"
FIXTURE_MEDIA = TESTS_DIR / "fixtures" / "media"
PASSWORD = "correct horse battery"
#: Under CI (``.ci/run``) a missing real component fails the tests that need it instead of skipping them.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: The application's own hasher (production parameters), for the test that checks them.
PRODUCTION_HASHER = accounts._hasher
#: Argon2id at its cheapest: the suite hashes and checks well over a thousand passwords, and with the
#: production parameters (64 MiB, 3 passes, 4 lanes) that alone took minutes on two cores.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
accounts._hasher = CHEAP_HASHER
accounts._DUMMY_HASH = CHEAP_HASHER.hash("elearn-timing-equaliser")


@functools.cache
def _migrated_sqlite() -> Path:
    """A SQLite file migrated once per run (per xdist worker); each test database starts as a copy of it."""
    folder = Path(tempfile.mkdtemp(prefix="elearn-sqlite-template-"))
    template = folder / "template.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    migrate.upgrade(engine)
    engine.dispose()
    with sqlite3.connect(template) as connection:  # fold the write-ahead log into the file before copies
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return template


#: Engines of the PostgreSQL test apps, so a test database's teardown can close what its apps left open.
_POSTGRES_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def make_test_app(tmp_path: Path, **overrides: object):
    """An application on its own SQLite file, schema created through the real migrations.

    A new SQLite file starts as a copy of the one migrated at the start of the run; an existing one
    (a second app on the same database) and any other database are brought up to date by the migrations.
    """
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "ELEARN_INSTANCE_DIR": str(tmp_path / "instance"),
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "ELEARN_MODULES_DIR": str(FIXTURE_MODULES),
        "ELEARN_MEDIA_DIR": str(FIXTURE_MEDIA),
    }
    config.update(overrides)
    config = {key: value for key, value in config.items() if value is not None}
    url = str(config["ELEARN_DATABASE_URL"])
    database_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    copied = database_file is not None and not database_file.exists()
    if copied:
        database_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_sqlite(), database_file)
    app = create_app(config)
    if not copied:
        migrate.upgrade(get_engine(app))
    if url.startswith("postgresql"):
        _POSTGRES_ENGINES.add(get_engine(app))
    return app


#: Database with the migrated schema that each PostgreSQL test database is copied from.
TEMPLATE_DATABASE = "elearn_template"


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``sqlite_only`` becomes a parametrisation of ``database_url``, which replaces its two databases."""
    if "database_url" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only") is None:
        return
    if any("database_url" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")):
        return
    metafunc.definition.add_marker(pytest.mark.parametrize("database_url", ["sqlite"], indirect=True))

@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (see tests/pgserver.py).

    In CI a server that cannot start fails the PostgreSQL tests; elsewhere they are skipped with the reason.
    """
    try:
        server = pgserver.start()
    except pgserver.PostgresUnavailable as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        server.create_database(TEMPLATE_DATABASE)
        engine = make_engine(server.url(TEMPLATE_DATABASE))
        migrate.upgrade(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, migrated database per test: a SQLite file, or a copy of the PostgreSQL template.

    Both by default; see the module docstring for ``sqlite_only`` and ``ONLY_POSTGRESQL``.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(template=TEMPLATE_DATABASE)
    yield server.url(name)
    for engine in list(_POSTGRES_ENGINES):  # the test's apps, closed so the database can go at once
        if engine.url.database == name:
            engine.dispose()
    server.drop_database(name)


@pytest.fixture
def app(tmp_path, database_url):
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=database_url)
    yield app
    get_engine(app).dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def require_program(name: str) -> str:
    """The path of the program ``name``; skips the test when it is missing, or fails it under CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (make test installs it)"
        if IN_CI:
            pytest.fail(f"{message}; required in CI", pytrace=False)
        pytest.skip(message)
    return path


def add_user(app, email: str, role: Role = Role.LEARNER, full_name: str = "Camille Martin", **extra: str) -> User:
    """Create a user directly through the domain layer."""
    with app.app_context(), session_scope() as session:
        return create_user(session, email=email, full_name=full_name, password=PASSWORD, role=role, **extra)


def open_module(app, user_id: int, slug: str, at: datetime | None = None) -> None:
    """The learner opened module ``slug`` at ``at`` (default: an hour ago), as its first page view does.

    The server credits a learner's very first heartbeat no more than the time since the module was
    opened: tests that send heartbeats without showing the page first start from here.
    """
    at = at or datetime.now(UTC) - timedelta(hours=1)
    with app.app_context(), session_scope() as session:
        exists = session.exec(select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_slug == slug)).first()
        if exists is None:
            session.add(ModuleProgress(user_id=user_id, module_slug=slug, started_at=at, last_activity_at=at))


def add_active_seconds(app, user_id: int, seconds: int) -> None:
    """Add ``seconds`` to the learner's first active time row (a heartbeat credits at most 30 s of real time)."""
    with app.app_context(), session_scope() as session:
        row = session.exec(select(ActiveTime).where(ActiveTime.user_id == user_id).order_by(ActiveTime.id)).first()
        row.seconds += seconds
        session.add(row)


class AuthActions:
    """Log in and out through the real forms (flaskr's pattern)."""

    def __init__(self, client) -> None:  # noqa: ANN001
        self._client = client

    def login(self, email: str, password: str = PASSWORD):  # noqa: ANN201
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):  # noqa: ANN201
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def learner(app):
    return add_user(app, "apprenant@exemple.fr", Role.LEARNER, "Camille Martin", profession="Infirmière")


@pytest.fixture
def other_learner(app):
    return add_user(app, "autre@exemple.fr", Role.LEARNER, "Dominique Petit")


@pytest.fixture
def trainer(app):
    return add_user(app, "formateur@exemple.fr", Role.TRAINER, "Sacha Durand")


@pytest.fixture
def admin(app):
    return add_user(app, "admin@exemple.fr", Role.ADMIN, "Alex Bernard")
