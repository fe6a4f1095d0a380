"""When something underneath fails: a broken module, a missing file, a database that goes away.

The learner gets a clear French page, nothing half-written is kept, and the log says what happened.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import func, select

from elearn.db import get_engine, make_engine, session_scope
from elearn.models import Certificate, QuizAttempt, Role
from elearn.web.modules import get_library
from tests.certificates.support import certificate_app, complete_path, obtain_certificate
from tests.conftest import FIXTURE_MODULES, PASSWORD, add_user, make_test_app, open_module

QUIZ = "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"
RIGHT = {"q1": "c1", "q2": ["c1", "c2"], "tentative": 1}


def test_module_broken_from_the_start_is_absent_for_learners_and_reported_to_trainers(tmp_path):
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    broken = modules / "02-suite.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("titre:", "titel:"), encoding="utf-8")
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules))
    add_user(app, "a@exemple.fr")
    add_user(app, "f@exemple.fr", Role.TRAINER)

    learner = app.test_client()
    learner.post("/login", data={"email": "a@exemple.fr", "password": PASSWORD})
    catalog = learner.get("/modules")
    assert catalog.status_code == 200 and "Premiers pas" in catalog.get_data(as_text=True)
    missing = learner.get("/modules/suite")
    assert missing.status_code == 404 and "Page introuvable" in missing.get_data(as_text=True)
    assert learner.get("/modules/premiers-pas/accueil").status_code == 200

    trainer = app.test_client()
    trainer.post("/login", data={"email": "f@exemple.fr", "password": PASSWORD})
    assert "02-suite.md" in trainer.get("/trainer/").get_data(as_text=True)


def _attempts(app) -> int:
    with app.app_context(), session_scope() as session:
        return session.exec(select(func.count()).select_from(QuizAttempt)).one()


@contextmanager
def writes_fail(app, reason: str = "disk I/O error"):
    """The database refuses every write, as when its disk fails or its server goes away mid-request."""

    def refuse(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise OperationalError(statement, parameters, sqlite3.OperationalError(reason))

    engine = get_engine(app)
    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def test_database_outage_gives_a_clear_page_and_a_log_line(app, client, auth, learner, caplog):
    auth.login(learner.email)
    working = get_engine(app)
    app.extensions["elearn.engine"] = make_engine("sqlite:////nonexistent/dir/db.sqlite3")
    with caplog.at_level(logging.ERROR, logger="elearn"):
        response = client.get("/modules")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Service indisponible" in page and "Traceback" not in page
    assert any("Database unavailable during GET /modules" in r.getMessage() for r in caplog.records)

    app.extensions["elearn.engine"] = working  # the database is back: the learner is still logged in
    assert client.get("/modules").status_code == 200


def test_write_failure_keeps_nothing_half_written_and_the_attempt_can_be_sent_again(app, client, auth, learner, caplog):
    auth.login(learner.email)
    with writes_fail(app), caplog.at_level(logging.ERROR, logger="elearn"):
        response = client.post(QUIZ, data=RIGHT)
    assert response.status_code == 503
    assert "disk I/O error" in caplog.text
    assert _attempts(app) == 0
    again = client.post(QUIZ, data=RIGHT)
    assert again.status_code == 302 and again.headers["Location"].endswith("/tentative/1")
    assert _attempts(app) == 1


def test_heartbeat_during_an_outage_answers_503_not_500(app, client, auth, learner):
    auth.login(learner.email)
    open_module(app, learner.id, "premiers-pas")
    with writes_fail(app):
        response = client.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 30})
    assert response.status_code == 503


def test_full_disk_while_issuing_a_certificate_keeps_nothing_and_a_retry_works(tmp_path, caplog):
    app = certificate_app(tmp_path)
    learner = add_user(app, "a@exemple.fr")
    complete_path(app, learner.id)
    client = app.test_client()
    client.post("/login", data={"email": "a@exemple.fr", "password": PASSWORD})
    with writes_fail(app, "database or disk is full"), caplog.at_level(logging.ERROR, logger="elearn"):
        response = client.post("/attestation")
    assert response.status_code == 503 and "Service indisponible" in response.get_data(as_text=True)
    assert "database or disk is full" in caplog.text
    with app.app_context(), session_scope() as session:
        assert session.exec(select(func.count()).select_from(Certificate)).one() == 0
    code = obtain_certificate(client)
    assert client.get(f"/attestation/{code}.pdf").mimetype == "application/pdf"


def test_missing_media_of_a_module_is_a_french_404_and_a_warning_naming_it(tmp_path, caplog):
    modules, media = tmp_path / "modules", tmp_path / "media"
    shutil.copytree(FIXTURE_MODULES, modules)
    media.mkdir()
    (media / "schema.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    suite = modules / "02-suite.md"
    suite.write_text(
        suite.read_text(encoding="utf-8").replace("Texte du second module.", '![Un schéma](media/schema.svg "Schéma")'),
        encoding="utf-8",
    )
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules), ELEARN_MEDIA_DIR=str(media))
    client = app.test_client()
    assert client.get("/media/schema.svg").status_code == 200
    with app.app_context():
        assert get_library().get("suite") is not None  # loaded while its media was there
    (media / "schema.svg").unlink()

    with caplog.at_level(logging.INFO, logger="elearn"):
        response = client.get("/media/schema.svg")
        probe = client.get("/media/wp-login.php")
    assert response.status_code == 404 and "Page introuvable" in response.get_data(as_text=True)
    assert probe.status_code == 404
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "schema.svg" in warning.getMessage() and "suite" in warning.getMessage()
    (note,) = [r for r in caplog.records if "wp-login.php" in r.getMessage()]
    assert note.levelno == logging.INFO
