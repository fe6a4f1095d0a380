"""Certifying attempts over HTTP: drawn once, submitted once, never answered from an earlier correction."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from elearn.db import get_engine, session_scope
from elearn.models import AssessmentAttempt
from tests.assessment.conftest import assessment_modules, complete_path
from tests.certificates.support import MEDIA
from tests.conftest import make_test_app


@pytest.fixture
def app(tmp_path, database_url):
    """SQLite and PostgreSQL: closing an attempt once rests on the database's conditional update."""
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=database_url, ELEARN_MODULES_DIR=str(assessment_modules(tmp_path)),
                        ELEARN_MEDIA_DIR=str(MEDIA))
    yield app
    get_engine(app).dispose()


@pytest.fixture(autouse=True)
def _readable_responses(monkeypatch):
    """``response.text``: the page with its entities decoded, as a reader sees it."""
    from werkzeug.test import TestResponse

    monkeypatch.setattr(TestResponse, "text", property(lambda r: html.unescape(r.get_data(as_text=True))), raising=False)


@pytest.fixture
def logged_in(app, client, learner, auth):
    auth.login(learner.email)
    return learner


def _open(client, kind: str = "finale") -> tuple[str, str]:
    """Start an attempt; its page's HTML and URL."""
    response = client.post(f"/evaluation/{kind}/commencer")
    assert response.status_code == 302, response.data
    url = response.headers["Location"]
    return client.get(url).text, url


def _form(html: str) -> dict[str, list[str]]:
    """Every question answered with its first choice, and the hidden token."""
    token = re.search(r'name="jeton" value="([^"]+)"', html).group(1)
    fields = sorted(set(re.findall(r'name="(q\d+)"', html)))
    return {"jeton": token, **{field: "1" for field in fields}}


def _right_answers(app, user_id: int, number: int, right: bool = True) -> dict[str, list[str]]:
    """The form that scores 100 % on attempt ``number`` (positions of the right choices), or 0 %."""
    from elearn.assessment.bank import load_bank

    with app.app_context(), session_scope() as session:
        attempt = session.exec(select(AssessmentAttempt).where(AssessmentAttempt.user_id == user_id,
                                                               AssessmentAttempt.attempt_number == number)).one()
        bank = load_bank(app.config["ELEARN_MODULES_DIR"], app.config["ELEARN_MEDIA_DIR"], "_evaluation.md")
        form: dict[str, list[str]] = {"jeton": attempt.token}
        for position, entry in enumerate(attempt.drawn, start=1):
            question = bank.quiz.question(entry["q"])
            form[f"q{position}"] = [
                str(i) for i, cid in enumerate(entry["c"], start=1) if (cid in question.correct_ids) == right
            ][:1 if not right else None]
        return form


def _attempts(app, user_id: int) -> list[AssessmentAttempt]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(AssessmentAttempt).where(AssessmentAttempt.user_id == user_id)
                                 .order_by(AssessmentAttempt.attempt_number)))


def test_the_final_assessment_opens_only_once_the_modules_are_completed(app, client, logged_in):
    assert "s'ouvre quand vous aurez terminé les 2 modules" in client.get("/evaluation/finale").text
    assert client.post("/evaluation/finale/commencer").status_code == 302
    assert _attempts(app, logged_in.id) == []
    complete_path(app, logged_in.id)
    html, _ = _open(client)
    assert len(set(re.findall(r'name="(q\d+)"', html))) == 3  # tirage=3 out of four questions


def test_a_draw_is_stored_and_reloading_shows_the_same_one(app, client, logged_in):
    complete_path(app, logged_in.id)
    first, url = _open(client)
    again, url_again = _open(client)  # « Commencer » again: the open attempt, not a second one
    assert url == url_again and first == again
    assert len(_attempts(app, logged_in.id)) == 1


def test_a_certifying_attempt_cannot_be_submitted_twice(app, client, logged_in):
    complete_path(app, logged_in.id)
    html, url = _open(client)
    form = _form(html)
    client.post(url, data=form)
    closed = _attempts(app, logged_in.id)[0]
    assert closed.submitted_at is not None
    replay = client.post(url, data=_right_answers(app, logged_in.id, 1), follow_redirects=True)
    assert "déjà close" in replay.text
    after = _attempts(app, logged_in.id)
    assert len(after) == 1 and after[0].percent == closed.percent and after[0].answers == closed.answers


def test_an_earlier_attempts_form_cannot_be_replayed_into_the_next_one(app, client, logged_in):
    complete_path(app, logged_in.id)
    html, url = _open(client)
    old_form = _form(html)
    # Attempt 1 closed, failed for sure (answering at random could pass it: then no attempt 2 would open).
    client.post(url, data=_right_answers(app, logged_in.id, 1, right=False))
    _open(client)  # attempt 2 is open
    second_url = url.replace("/tentative/1", "/tentative/2")
    replay = client.post(second_url, data=old_form, follow_redirects=True)  # attempt 1's token on attempt 2
    assert "ne correspond pas à votre tentative en cours" in replay.text
    assert _attempts(app, logged_in.id)[1].submitted_at is None


def test_no_correction_is_shown_while_an_attempt_remains(app, client, logged_in):
    complete_path(app, logged_in.id)
    html, url = _open(client)
    client.post(url, data=_right_answers(app, logged_in.id, 1, right=False))
    page = client.get(url).text
    assert "La correction s'affichera quand l'évaluation sera terminée" in page
    assert "bonne réponse" not in page and "Juste" not in page and "Explication A" not in page
    # The second attempt's form names choices by their position only: nothing from the first carries over.
    second, _ = _open(client)
    assert not re.search(r'value="c\d+"', second) and "Juste" in second  # choice texts are shown, ids are not


def test_the_correction_appears_once_the_assessment_is_closed_and_the_certificate_requires_it(app, client, logged_in):
    complete_path(app, logged_in.id)
    certificate = client.get("/attestation").text
    assert "il vous reste à réussir l'" in certificate and 'href="/evaluation/finale"' in certificate
    html, url = _open(client)
    client.post(url, data=_right_answers(app, logged_in.id, 1, right=False))
    _open(client)
    second_url = url.replace("/tentative/1", "/tentative/2")
    result = client.post(second_url, data=_right_answers(app, logged_in.id, 2), follow_redirects=True).text
    assert "Réussie" in result and "Correction" in result and "bonne réponse" in result
    assert "Correction" in client.get(url).text  # the first attempt's too, now
    assert client.post("/evaluation/finale/commencer", follow_redirects=True).status_code == 200
    assert len(_attempts(app, logged_in.id)) == 2  # passed: no third attempt
    assert "votre attestation est prête" in client.get("/attestation").text


def test_the_positioning_test_is_taken_once_before_the_modules_and_keeps_its_correction(app, client, logged_in):
    html, url = _open(client, "positionnement")
    client.post(url, data=_form(html))
    page = client.get(url).text
    assert "Votre point de départ est enregistré" in page and "Correction" not in page
    assert client.post("/evaluation/positionnement/commencer").status_code == 302
    assert len(_attempts(app, logged_in.id)) == 1


def test_an_unanswered_question_keeps_the_answers_and_records_nothing(app, client, logged_in):
    complete_path(app, logged_in.id)
    html, url = _open(client)
    form = _form(html)
    del form["q2"]
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "Répondez à toutes les questions" in response.text
    assert _attempts(app, logged_in.id)[0].submitted_at is None


def test_unknown_assessments_and_attempts_are_not_found(app, client, logged_in):
    assert client.get("/evaluation/autre").status_code == 404
    assert client.get("/evaluation/finale/tentative/7").status_code == 404
