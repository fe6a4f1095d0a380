"""Certificate tests run on their own fixture modules (tests/certificates/fixtures) and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.certificates import signing
from elearn.certificates.issue import Issuer
from elearn.certificates.path import load_path
from elearn.db import get_engine, session_scope
from elearn.models import User
from elearn.web.modules import get_library
from tests.certificates.support import BASE_URL, MEDIA, MODULES, certificate_app, complete_path


@pytest.fixture
def app(tmp_path, database_url):
    app = certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url)
    yield app
    get_engine(app).dispose()


@pytest.fixture
def issuer(app) -> Issuer:
    with app.app_context():
        key = signing.load_or_create_private_key(Path(app.config["ELEARN_INSTANCE_DIR"]))
        return Issuer(load_path(MODULES, MEDIA), get_library(), key, BASE_URL)  # type: ignore[arg-type]


@pytest.fixture
def session(app):
    """A session inside an app context, committed at the end like a request's work."""
    with app.app_context(), session_scope() as session:
        yield session


@pytest.fixture
def finished(app, learner) -> User:
    """The fixture learner, having completed the whole path."""
    complete_path(app, learner.id)
    return learner
