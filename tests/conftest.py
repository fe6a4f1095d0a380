"""Shared fixtures: an app on a fresh database per test, its client and CLI runner, and users.

Browser tests (tests/e2e) add a live server; their fixtures live in tests/e2e/conftest.py.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from elearn import create_app, migrate
from elearn.accounts import create_user
from elearn.db import get_engine, make_engine, session_scope
from elearn.models import ActiveTime, ModuleProgress, Role, User
from tests import pgserver

TESTS_DIR = Path(__file__).parent
FIXTURE_MODULES = TESTS_DIR / "fixtures" / "modules"
FIXTURE_MEDIA = TESTS_DIR / "fixtures" / "media"
PASSWORD = "correct horse battery"


def make_test_app(tmp_path: Path, **overrides: object):
    """An application on its own SQLite file, schema created through the real migrations."""
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
    app = create_app(config)
    migrate.upgrade(get_engine(app))
    return app


#: Database with the migrated schema that each PostgreSQL test database is copied from.
TEMPLATE_DATABASE = "elearn_template"


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (see tests/pgserver.py).

    In CI a server that cannot start fails the PostgreSQL tests; elsewhere they are skipped with the reason.
    """
    try:
        server = pgserver.start()
    except pgserver.PostgresUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
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
    """A fresh, migrated database per test: a SQLite file, or a copy of the PostgreSQL template."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(template=TEMPLATE_DATABASE)
    yield server.url(name)
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
