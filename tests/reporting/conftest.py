"""Fixtures for reporting tests: the seeded database and a session on it."""

from __future__ import annotations

import pytest

from elearn.db import session_scope
from tests.reporting.seed import seed


@pytest.fixture
def seeded(app):
    return seed(app)


@pytest.fixture
def session(app, seeded):
    with app.app_context(), session_scope() as session:
        yield session
