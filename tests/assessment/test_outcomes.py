"""Knowledge gain and satisfaction as learners, trainers and administrators see them."""

from __future__ import annotations

import csv
import html
import io
import json
import random
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from elearn.assessment import attempts as rules
from elearn.assessment.attempts import Kind
from elearn.assessment.bank import load_bank
from elearn.db import get_engine, session_scope
from elearn.groups import create_group
from elearn.models import Role, SurveyResponse, User
from tests.assessment.conftest import complete_path
from tests.conftest import add_user


def take(app, user_id: int, kind: Kind, right: int) -> None:
    """The learner takes an attempt and answers its first ``right`` questions right, the others wrong."""
    with app.app_context(), session_scope() as session:
        bank = load_bank(app.config["ELEARN_MODULES_DIR"], app.config["ELEARN_MEDIA_DIR"], "_evaluation.md")
        attempt = rules.open_attempt(session, user_id, kind, bank, random.Random(7))
        answers = {}
        for index, drawn in enumerate(rules.drawn_questions(attempt, bank)):
            good = drawn.question.correct_ids
            answers[drawn.question.id] = sorted(good) if index < right else [next(c.id for c in drawn.question.choices if c.id not in good)]
        rules.submit(session, user_id, kind, bank, attempt.attempt_number, attempt.token, answers)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def group_world(app):
    """Two groups: « Atelier Lyon » (a learner who gained, its trainer) and « Atelier Nantes » (a trainer)."""
    with app.app_context(), session_scope() as session:
        lyon = create_group(session, "Atelier Lyon", actor=None).id
        nantes = create_group(session, "Atelier Nantes", actor=None).id
    learner = add_user(app, "lea@exemple.fr", Role.LEARNER, "Léa Fontaine")
    add_user(app, "lyon@exemple.fr", Role.TRAINER, "Formatrice Lyon")
    add_user(app, "nantes@exemple.fr", Role.TRAINER, "Formateur Nantes")
    add_user(app, "admin@exemple.fr", Role.ADMIN, "Alex Admin")
    with app.app_context(), session_scope() as session:
        for email, group in (("lea@exemple.fr", lyon), ("lyon@exemple.fr", lyon), ("nantes@exemple.fr", nantes)):
            session.exec(select(User).where(User.email == email)).one().group_id = group
    take(app, learner.id, Kind.POSITIONING, right=1)
    complete_path(app, learner.id)
    take(app, learner.id, Kind.FINAL, right=3)
    return learner


def test_the_learner_sees_before_and_after(app, client, auth, group_world):
    auth.login("lea@exemple.fr")
    page = text(client.get("/progression"))
    assert "Avant (test de positionnement)" in page and "33 %" in page and "100 %" in page and "+67 points" in page


def test_the_catalog_reads_the_attempts_once_for_its_panels(app, client, auth, group_world):
    """The certificate line (is the final assessment passed?), the assessment panel and the before/after
    all come from one read of the learner's attempts."""
    auth.login("lea@exemple.fr")
    statements: list[str] = []
    listen = lambda _conn, _cursor, statement, *_args: statements.append(statement)  # noqa: E731
    event.listen(get_engine(app), "before_cursor_execute", listen)
    try:
        page = text(client.get("/modules"))
    finally:
        event.remove(get_engine(app), "before_cursor_execute", listen)
    assert "33 %" in page and "100 %" in page and "+67 points" in page
    assert "Obtenir mon attestation" in page  # the final assessment is passed: nothing missing
    assert len([s for s in statements if "FROM assessmentattempt" in s]) == 1


def test_a_trainer_sees_their_group_gain_and_the_per_question_table_only(app, client, auth, group_world):
    auth.login("lyon@exemple.fr")
    page = text(client.get("/trainer/resultats"))
    assert "Groupe « Atelier Lyon »." in page
    assert "progression médiane (points)" in page and "+67" in page
    assert 'role="img"' in page and "Données du graphique (tableau)" in page
    assert "Première question" in page and "Quatrième question" in page
    assert 'href="/trainer/apercu/premiers-pas/accueil"' in page  # the passage that teaches question 1
    auth.logout()
    auth.login("nantes@exemple.fr")
    other = text(client.get("/trainer/resultats?group=Atelier+Lyon"))  # a trainer cannot widen their scope
    assert "Groupe « Atelier Nantes »." in other and "+67" not in other


def test_the_administrator_exports_the_gain_with_the_filters(app, client, auth, group_world):
    auth.login("admin@exemple.fr")
    data = client.get("/admin/exports/knowledge.csv-fr?group=Atelier+Lyon").data.decode("utf-8-sig")
    assert data.startswith("# ")  # CSV-FR opens with a comment line naming the organisation (issue 23)
    rows = list(csv.DictReader(io.StringIO(data.split("\n", 1)[1]), delimiter=";"))
    assert rows[0]["Groupe"] == "Atelier Lyon"
    assert [(r["Nom"], r["Avant : test de positionnement (%)"], r["Après : évaluation finale (%)"], r["Progression (points)"],
             r["Évaluation finale"]) for r in rows] == [("Léa Fontaine", "33,33", "100", "66,67", "réussie")]
    assert client.get("/admin/exports/knowledge.csv-fr?group=Atelier+Nantes").data.decode("utf-8-sig").count("\n") == 2  # comment, header
    statements = json.loads(client.get("/admin/exports/knowledge.xapi").data)
    assert [s["verb"]["id"] for s in statements] == ["http://adlnet.gov/expapi/verbs/scored"] * 2
    final = next(s for s in statements if s["object"]["id"].endswith("/evaluation/finale"))
    assert final["result"]["success"] is True and final["result"]["score"]["scaled"] == 1.0
    assert client.get("/admin/exports/knowledge.xlsx").status_code == 200
    assert json.loads(client.get("/admin/exports/knowledge.jsonl").data.splitlines()[0])["gain_points"] == 66.67


def _hot_answers(comment: str = "") -> dict[str, str]:
    from elearn.satisfaction.surveys import DEFAULT

    form = {it.id: "4" for it in DEFAULT.hot if not it.free}
    form[DEFAULT.hot[-1].id] = comment
    return form


def test_the_hot_survey_opens_at_the_end_and_is_answered_once(app, client, auth, learner):
    auth.login(learner.email)
    assert "s'ouvre à la fin du parcours" in text(client.get("/evaluation/questionnaire/chaud"))
    complete_path(app, learner.id)
    take(app, learner.id, Kind.FINAL, right=3)
    assert "Votre avis sur la formation" in text(client.get("/modules"))
    incomplete = _hot_answers()
    incomplete.pop(next(iter(incomplete)))
    assert client.post("/evaluation/questionnaire/chaud", data=incomplete).status_code == 400
    client.post("/evaluation/questionnaire/chaud", data=_hot_answers("Très concret."))
    assert "déjà répondu" in text(client.post("/evaluation/questionnaire/chaud", data=_hot_answers("Encore"), follow_redirects=True))
    with app.app_context(), session_scope() as session:
        assert [r.comments for r in session.exec(select(SurveyResponse))] == [{_hot_answers_key(): "Très concret."}]


def _hot_answers_key() -> str:
    from elearn.satisfaction.surveys import DEFAULT

    return DEFAULT.hot[-1].id


def test_free_answers_reach_trainers_and_exports_without_a_name(app, client, auth, group_world):
    auth.login("lea@exemple.fr")
    client.post("/evaluation/questionnaire/chaud", data=_hot_answers("Les cas pratiques m'ont aidée."))
    auth.logout()
    auth.login("lyon@exemple.fr")
    page = text(client.get("/trainer/resultats"))
    assert "Les cas pratiques m'ont aidée." in page and "Léa" not in page and "1 réponse" in page
    auth.logout()
    auth.login("admin@exemple.fr")
    export = client.get("/admin/exports/satisfaction.csv-fr").data.decode("utf-8-sig")
    assert "Les cas pratiques m'ont aidée." in export and "Atelier Lyon" in export
    assert "Léa" not in export and "lea@exemple.fr" not in export


def test_the_cold_survey_is_offered_at_the_next_log_in_after_its_delay(app, client, auth, learner):
    complete_path(app, learner.id)
    take(app, learner.id, Kind.FINAL, right=3)
    auth.login(learner.email)
    client.post("/evaluation/questionnaire/chaud", data=_hot_answers())
    auth.logout()
    auth.login(learner.email)
    assert client.get("/modules").status_code == 200  # too early: no survey
    with app.app_context(), session_scope() as session:
        session.exec(select(SurveyResponse)).one().submitted_at -= timedelta(days=31)
    auth.logout()
    auth.login(learner.email)
    offered = client.get("/progression")
    assert offered.status_code == 302 and "/evaluation/questionnaire/froid" in offered.headers["Location"]
    later = client.post(offered.headers["Location"], data={"action": "plus-tard", "suivant": "/progression"})
    assert later.headers["Location"] == "/progression"
    client.post("/evaluation/questionnaire/froid", data={"action": "refuser"})
    with app.app_context(), session_scope() as session:
        cold = session.exec(select(SurveyResponse).where(SurveyResponse.kind == "froid")).one()
        assert cold.declined
    auth.logout()
    auth.login(learner.email)
    assert client.get("/modules").status_code == 200  # declined: never offered again


def test_the_dashboard_draws_every_chart_with_its_table(app, client, auth, group_world):
    auth.login("admin@exemple.fr")
    page = text(client.get("/admin/dashboard?from=&to="))
    for title in ("Modules terminés, mois par mois", "Apprenant·es par module", "Temps actif médian et durée prévue",
                  "Acquis : scores avant et après la formation"):
        assert title in page
    assert page.count('role="img"') >= 4 and "style=" not in page
