"""Reflection routes: autosave (JSON and beacon form), the no-JS form, sharing, and the trainers' pages."""

from __future__ import annotations

from html import unescape

import pytest

from elearn.db import session_scope
from elearn.reflection import answers
from elearn.reflection.shared import shared_answers

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

SLUG, RID = "atelier", "pratique-reflexion-1"
SAVE = f"/reflexions/{SLUG}/{RID}"
AUTOSAVE = f"/reflexions/{SLUG}/{RID}/autosave"


def stored(app, user):
    with app.app_context(), session_scope() as session:
        return answers.get_answer(session, user.id, SLUG, RID)


def test_autosave_json_saves_and_says_when(app, client, auth, learner):
    auth.login(learner.email)
    response = client.post(AUTOSAVE, json={"text": "Des refus de rendez-vous."})
    data = response.get_json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["message"].startswith("Enregistré à ") and " h " in data["message"]
    assert data["share_blockers"] == []
    assert stored(app, learner).text == "Des refus de rendez-vous."


def test_autosave_form_data_from_a_beacon(app, client, auth, learner):
    auth.login(learner.email)
    assert client.post(AUTOSAVE, data={"text": "Envoyé à la fermeture"}).status_code == 200
    assert stored(app, learner).text == "Envoyé à la fermeture"


def test_autosave_reports_what_blocks_sharing(client, auth, learner):
    auth.login(learner.email)
    data = client.post(AUTOSAVE, json={"text": "J'ai reçu Karim."}).get_json()
    assert [m.replace("\u00a0", " ") for m in data["share_blockers"]] == ["« Karim » ressemble à un prénom. Remplacez-le par une initiale ou une description (« le patient », « une mère de famille »)."]


def test_autosave_refuses_bad_requests(client, auth, learner):
    auth.login(learner.email)
    assert client.post(AUTOSAVE, json={"texte": "x"}).status_code == 400
    assert client.post(AUTOSAVE, json={"text": "x" * 10_001}).get_json()["ok"] is False
    assert client.post(f"/reflexions/{SLUG}/inconnue/autosave", json={"text": "x"}).status_code == 404
    assert client.post(f"/reflexions/inconnu/{RID}/autosave", json={"text": "x"}).status_code == 404


def test_autosave_requires_login(client):
    assert client.post(AUTOSAVE, json={"text": "x"}).status_code == 302


def test_form_without_javascript_saves_and_returns_to_the_question(app, client, auth, learner):
    auth.login(learner.email)
    response = client.post(SAVE, data={"text": "Sans JavaScript", "action": "enregistrer"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/modules/{SLUG}/pratique#{RID}")
    assert stored(app, learner).text == "Sans JavaScript"


def test_share_and_withdraw_through_the_form(app, client, auth, learner):
    auth.login(learner.email)
    client.post(SAVE, data={"text": "Un constat partagé", "action": "partager"})
    with app.app_context(), session_scope() as session:
        assert [a.text for a in shared_answers(session)] == ["Un constat partagé"]
    client.post(SAVE, data={"text": "Un constat partagé", "action": "retirer"})
    with app.app_context(), session_scope() as session:
        assert shared_answers(session) == []


def test_share_with_a_name_is_refused_but_the_text_is_saved(app, client, auth, learner):
    auth.login(learner.email)
    client.post(SAVE, data={"text": "J'ai reçu Karim.", "action": "partager"})
    assert stored(app, learner).text == "J'ai reçu Karim." and stored(app, learner).shared_at is None


def test_partial_renders_answer_status_and_share_control(app, learner):
    """The partial as the section page includes it: with block and module only (answer looked up)."""
    from flask import render_template_string
    from flask_login import login_user

    from elearn.web.modules import get_library

    with app.app_context(), session_scope() as session:
        answers.save_answer(session, learner.id, SLUG, RID, "Mon brouillon avec Karim")
    with app.test_request_context():
        login_user(learner)
        module = get_library().get(SLUG)
        html = unescape(render_template_string('{% include "learn/_reflection.html" %}', module=module, block=module.reflections[0]))
    html = html.replace("\u00a0", " ")
    assert "Mon brouillon avec Karim</textarea>" in html
    assert 'role="status"' in html and "Enregistré le " in html
    assert "sans votre nom" in html and "Partager anonymement" in html
    assert "« Karim » ressemble à un prénom" in html
    assert 'data-reflection-autosave="/reflexions/atelier/pratique-reflexion-1/autosave"' in html
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_trainer_sees_shared_answers_grouped_without_names(app, client, auth, learner, trainer):
    auth.login(learner.email)
    client.post(SAVE, data={"text": "Les délais de la CPAM", "action": "partager"})
    client.post(f"/reflexions/{SLUG}/pratique-reflexion-2", data={"text": "Réponse privée", "action": "enregistrer"})
    auth.logout()
    auth.login(trainer.email)
    page = unescape(client.get("/trainer/reflexions").get_data(as_text=True))
    assert "Atelier de réflexion" in page and "Quel type de situation problématique" in page
    assert "Les délais de la CPAM" in page
    assert "Réponse privée" not in page
    assert learner.full_name not in page.replace(trainer.full_name, "")


def test_trainer_builds_and_exports_a_synthesis(app, client, auth, learner, trainer):
    auth.login(learner.email)
    client.post(SAVE, data={"text": "Les délais de la CPAM", "action": "partager"})
    auth.logout()
    auth.login(trainer.email)
    created = client.post("/trainer/syntheses", data={"title": "Atelier de Metz", "territory": "Metz", "held_on": "2022-03-14"})
    assert created.status_code == 302
    page_url = created.headers["Location"]
    synthesis_id = int(page_url.rstrip("/").split("/")[-1])
    client.post(f"/trainer/syntheses/{synthesis_id}/elements", data={"part": "enjeux", "text": "La continuité des soins"})
    with app.app_context(), session_scope() as session:
        (shared,) = shared_answers(session)
    client.post(f"/trainer/syntheses/{synthesis_id}/elements/reponse", data={"part": "constats", "answer_id": shared.id})
    page = unescape(client.get(page_url).get_data(as_text=True))
    assert "La continuité des soins" in page and "Repris d'une réponse partagée (anonyme)" in page
    markdown = client.get(f"/trainer/syntheses/{synthesis_id}/synthese.md")
    assert markdown.mimetype == "text/markdown"
    assert "## Constats\n\n- Les délais de la CPAM" in markdown.get_data(as_text=True)
    pdf = client.get(f"/trainer/syntheses/{synthesis_id}/synthese.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert 'filename="synthese-' in pdf.headers["Content-Disposition"]


def test_unshared_answer_cannot_be_quoted(app, client, auth, learner, trainer):
    auth.login(learner.email)
    client.post(SAVE, data={"text": "Privée", "action": "enregistrer"})
    auth.logout()
    auth.login(trainer.email)
    client.post("/trainer/syntheses", data={"title": "S"})
    with app.app_context(), session_scope() as session:
        private_id = answers.get_answer(session, learner.id, SLUG, RID).id
    client.post("/trainer/syntheses/1/elements/reponse", data={"part": "constats", "answer_id": private_id})
    assert "Privée" not in client.get("/trainer/syntheses/1/synthese.md").get_data(as_text=True)


def test_a_synthesis_date_out_of_range_is_refused_with_a_clear_message(app, client, auth, trainer):
    auth.login(trainer.email)
    response = client.post("/trainer/syntheses", data={"title": "Atelier de Metz", "held_on": "0224-03-14"})
    assert response.status_code == 400
    assert "Date hors limites : indiquez une date entre le 01/01/2000 et le 31/12/2100." in unescape(response.get_data(as_text=True))
    assert client.post("/trainer/syntheses", data={"title": "Atelier de Metz", "held_on": "2026-03-14"}).status_code == 302
