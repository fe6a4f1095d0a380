"""The Espace formateur's package download: trainers and administrators only; a module with errors is refused."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from elearn.models import Role
from tests.conftest import FIXTURE_MODULES, PASSWORD, add_user, make_test_app


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An app on a writable copy of the fixture modules (SQLite: the database plays no part here)."""
    tmp_path = tmp_path_factory.mktemp("download")
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules))
    for email, role in (("f@exemple.fr", Role.TRAINER), ("a@exemple.fr", Role.ADMIN), ("l@exemple.fr", Role.LEARNER)):
        add_user(app, email, role)
    return app, modules


def _client(app, email: str):
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client


@pytest.mark.parametrize("email", ["f@exemple.fr", "a@exemple.fr"])
def test_trainers_and_admins_download_a_package(site, email):
    app, _ = site
    client = _client(app, email)
    assert 'action="/trainer/paquet"' in client.get("/trainer/").get_data(as_text=True)
    response = client.get("/trainer/paquet?module=premiers-pas&format=scorm2004")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "elearn-premiers-pas-scorm2004-" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names[0] == "imsmanifest.xml" and "premiers-pas/index.html" in names
    whole = client.get("/trainer/paquet?module=parcours&format=html")
    assert {"index.html", "suite/index.html"} <= set(zipfile.ZipFile(io.BytesIO(whole.data)).namelist())


def test_learners_cannot_download_packages(site):
    app, _ = site
    assert _client(app, "l@exemple.fr").get("/trainer/paquet?module=premiers-pas&format=scorm12").status_code == 403


def test_a_module_with_errors_is_refused_with_the_checkers_messages(site):
    app, modules = site
    broken = modules / "02-suite.md"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("titre: Pour aller plus loin", "titel: Pour aller plus loin"), encoding="utf-8")
    try:
        app.extensions["elearn.library"].refresh(force=True)
        response = _client(app, "f@exemple.fr").get("/trainer/paquet?module=parcours&format=scorm12", follow_redirects=True)
    finally:
        broken.write_text(good, encoding="utf-8")
        app.extensions["elearn.library"].refresh(force=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Paquet refusé" in page and "02-suite.md:2" in page and "titel" in page


@pytest.mark.parametrize("query", ["module=premiers-pas&format=pdf", "format=scorm12", "module=inconnu&format=scorm12"])
def test_bad_requests_get_a_message_not_an_error_page(site, query):
    app, _ = site
    response = _client(app, "f@exemple.fr").get(f"/trainer/paquet?{query}", follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
