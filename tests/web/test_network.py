"""The network's pages: submission with the identifying-details check, and the trainers' triage."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import AuditEvent, Situation

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

GOOD = {
    "what_happened": "Un cabinet dentaire a refusé un rendez-vous à une patiente bénéficiaire de la C2S.",
    "care_stage": "soins",
    "criterion": "vulnerabilite",
    "action_taken": "Orientation vers la PASS.",
}


def situations(app) -> list[Situation]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(Situation)))


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/reseau/signaler")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_learner_sees_the_rule_and_the_form(client, auth, learner):
    auth.login(learner.email)
    page = client.get("/reseau/signaler").get_data(as_text=True)
    assert "Règle de confidentialité" in page and "Votre nom n'est pas enregistré" in page


def test_clean_situation_is_stored_without_author(app, client, auth, learner):
    auth.login(learner.email)
    response = client.post("/reseau/signaler", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/reseau/merci")
    (stored,) = situations(app)
    assert stored.what_happened == GOOD["what_happened"]
    assert learner.email not in repr(stored.model_dump()) and str(learner.id) != stored.what_happened


def test_identifying_details_are_shown_and_the_text_is_kept(app, client, auth, learner):
    auth.login(learner.email)
    typed = "Karim, joignable au 06 12 34 56 78, a été refusé."
    response = client.post("/reseau/signaler", data={**GOOD, "what_happened": typed})
    page = unescape(response.get_data(as_text=True)).replace("\u00a0", " ")
    assert response.status_code == 200
    assert "Votre situation n'a pas été envoyée" in page
    assert "« Karim » ressemble à un prénom" in page
    assert "« 06 12 34 56 78 » ressemble à un numéro de téléphone" in page
    assert typed in page  # the textarea keeps what was typed
    assert re.search(r'<input checked id="care_stage-1"[^>]*value="soins"', page)
    assert situations(app) == []


def test_missing_choices_are_reported(app, client, auth, learner):
    auth.login(learner.email)
    page = unescape(client.post("/reseau/signaler", data={"what_happened": GOOD["what_happened"]}).get_data(as_text=True))
    assert "Choisissez l'étape du parcours de soins concernée." in page
    assert situations(app) == []


def test_trainer_triages_and_publication_is_audited(app, client, auth, learner, trainer):
    auth.login(learner.email)
    client.post("/reseau/signaler", data=GOOD)
    auth.logout()
    auth.login(trainer.email)
    (stored,) = situations(app)
    listing = client.get("/reseau/situations?filtre=nouvelles").get_data(as_text=True)
    assert f"Situation n° {stored.id}" in listing
    detail = client.get(f"/reseau/situations/{stored.id}").get_data(as_text=True)
    assert GOOD["what_happened"] in detail
    assert client.post(f"/reseau/situations/{stored.id}/notes", data={"text": "À relire"}).status_code == 302
    client.post(f"/reseau/situations/{stored.id}/etiquettes", data={"criteria": ["vulnerabilite"], "levels": ["institutionnel"]})
    client.post(f"/reseau/situations/{stored.id}/cas-d-etude", data={"candidate": "1"})
    refused = client.post(f"/reseau/situations/{stored.id}/publication", data={"decision": "Accord du réseau"})
    assert refused.status_code == 400 and "Cochez la case pour confirmer." in refused.get_data(as_text=True)
    client.post(f"/reseau/situations/{stored.id}/publication", data={"decision": "Accord du réseau", "confirm": "y"})
    (stored,) = situations(app)
    assert stored.reviewed and stored.case_study_candidate and stored.published_at is not None
    assert stored.tag_levels == ["institutionnel"]
    with app.app_context(), session_scope() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-4:] == ["network.note_added", "network.tagged", "network.candidate_marked", "network.published"]


def test_learner_sees_no_link_to_received_situations(client, auth, learner):
    auth.login(learner.email)
    assert "Situations reçues" not in client.get("/reseau/").get_data(as_text=True)
