"""Ralph started once for the session; apps that send their live statements to it."""

from __future__ import annotations

import os

import pytest

from elearn.db import get_engine
from tests import ralph as ralph_server
from tests.conftest import make_test_app

BASE_URL = "https://formation.exemple.fr"


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    """One Ralph LRS for the whole run. In CI a Ralph that cannot start fails the tests; elsewhere they
    are skipped with the reason."""
    try:
        server = ralph_server.Ralph(tmp_path_factory.mktemp("ralph"))
        server.start()
    except ralph_server.RalphUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Ralph is required in CI: {exc}", pytrace=False)
        pytest.skip(f"xAPI tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def lrs(ralph):
    """Ralph, running and empty."""
    if ralph.process is None:
        ralph.start()
    ralph.forget()
    yield ralph
    if ralph.process is None:
        ralph.start()


@pytest.fixture
def app(tmp_path, database_url, lrs):
    app = make_test_app(
        tmp_path, ELEARN_DATABASE_URL=database_url, ELEARN_BASE_URL=BASE_URL, ELEARN_XAPI_LRS_URL=lrs.url,
        ELEARN_XAPI_LRS_USERNAME=ralph_server.USERNAME, ELEARN_XAPI_LRS_PASSWORD=ralph_server.PASSWORD,
    )
    yield app
    get_engine(app).dispose()
