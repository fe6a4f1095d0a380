"""Administration without a terminal: an app on the certificate fixture modules (a path with an
organisation, so certificates and export headers are real), on SQLite: these features hold no
database-specific SQL beyond what the reporting tests already run on PostgreSQL."""

from __future__ import annotations

import pytest

from elearn.db import get_engine
from elearn.models import Role
from tests.certificates.support import certificate_app
from tests.conftest import AuthActions, add_user


@pytest.fixture
def app(tmp_path):
    app = certificate_app(tmp_path, ELEARN_DATABASE_URL=f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield app
    get_engine(app).dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_admin(app, client):
    admin = add_user(app, "admin@exemple.fr", Role.ADMIN, "Alex Bernard")
    AuthActions(client).login("admin@exemple.fr")
    return admin
