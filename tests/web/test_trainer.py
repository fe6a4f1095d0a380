"""Trainer area: validation status of every module, previews with answers that record nothing."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import func, select

from elearn.db import session_scope
from elearn.models import ActiveTime, ModuleProgress, SectionProgress
from elearn.models import Role
from tests.conftest import FIXTURE_MODULES, add_user, make_test_app

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


def test_learners_cannot_open_the_trainer_area(client, auth, learner):
    auth.login(learner.email)
    assert client.get("/trainer/").status_code == 403
    assert client.get("/trainer/apercu/premiers-pas/accueil").status_code == 403


def test_trainer_sees_every_module_valid(client, auth, trainer):
    auth.login(trainer.email)
    page = client.get("/trainer/").get_data(as_text=True)
    assert "Premiers pas" in page and "Pour aller plus loin" in page
    assert "Tous les modules sont valides." in page


def test_preview_shows_answers_and_records_nothing(app, client, auth, trainer):
    auth.login(trainer.email)
    page = client.get("/trainer/apercu/premiers-pas/verifier-ses-acquis").get_data(as_text=True)
    assert "bonne réponse" in page
    assert "le refus repose sur la situation de la personne" in page
    assert "couverture maladie est interdit" in page
    with app.app_context(), session_scope() as session:
        for model in (SectionProgress, ModuleProgress, ActiveTime):
            assert session.exec(select(func.count()).select_from(model)).one() == 0


def test_broken_module_keeps_last_good_version_and_shows_errors(tmp_path):
    """The module library is the subject, not the database: one run, on SQLite."""
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules))

    add_user(app, "f@exemple.fr", Role.TRAINER)
    client = app.test_client()
    client.post("/login", data={"email": "f@exemple.fr", "password": "correct horse battery"})
    assert "Tous les modules sont valides." in client.get("/trainer/").get_data(as_text=True)

    broken = modules / "02-suite.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("titre: Pour aller plus loin", "titel: Pour aller plus loin"), encoding="utf-8")
    app.extensions["elearn.library"].refresh(force=True)
    page = client.get("/trainer/").get_data(as_text=True)
    assert "titel" in page and "02-suite.md:2" in page
    assert "version précédente en ligne" in page
    # Learners keep the last good version.
    assert "Pour aller plus loin" in client.get("/modules").get_data(as_text=True)


def test_trainer_downloads_the_quizzes_as_gift(client, auth, trainer):
    auth.login(trainer.email)
    assert 'href="/trainer/modules/suite/gift"' in client.get("/trainer/").get_data(as_text=True)
    response = client.get("/trainer/modules/suite/gift")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"] == 'attachment; filename="suite.gift.txt"'
    text = response.get_data(as_text=True)
    assert text.startswith("// Questions du module") and "$CATEGORY: $course$/top/" in text and "::[markdown]" in text
    assert client.get("/trainer/modules/inconnu/gift").status_code == 404


def test_gift_export_of_a_module_with_errors_is_refused_with_a_reason(tmp_path, auth):
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules))
    add_user(app, "f@exemple.fr", Role.TRAINER)
    client = app.test_client()
    client.post("/login", data={"email": "f@exemple.fr", "password": "correct horse battery"})
    broken = modules / "02-suite.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("- (x)", "- [x]", 1), encoding="utf-8")
    app.extensions["elearn.library"].refresh(force=True)
    response = client.get("/trainer/modules/suite/gift", follow_redirects=True)
    assert "corrigez-les avant de l&#39;exporter en GIFT" in response.get_data(as_text=True)
