"""Learner routes over HTTP: reading, quizzes, heartbeats, and isolation between learners."""

from __future__ import annotations

import html

from sqlmodel import func, select

from elearn.db import session_scope
from elearn.models import ActiveTime, ModuleProgress, QuizAttempt, SectionProgress
from tests.conftest import add_active_seconds, open_module

QUIZ = "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"
RIGHT = {"q1": "c1", "q2": ["c1", "c2"]}
WRONG = {"q1": "c2", "q2": ["c3"]}


def count(app, model, **where) -> int:
    with app.app_context(), session_scope() as session:
        statement = select(func.count()).select_from(model)
        for key, value in where.items():
            statement = statement.where(getattr(model, key) == value)
        return session.exec(statement).one()


def test_catalog_requires_login(client):
    response = client.get("/modules")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_home_leads_learner_to_catalog(client, auth, learner):
    auth.login(learner.email)
    assert client.get("/").headers["Location"].endswith("/modules")
    page = client.get("/modules").get_data(as_text=True)
    assert "Premiers pas" in page and "Pour aller plus loin" in page
    assert "Non commencé" in page and "Verrouillé" in page


def test_section_page_never_contains_the_answers(client, auth, learner):
    auth.login(learner.email)
    page = client.get("/modules/premiers-pas/verifier-ses-acquis").get_data(as_text=True)
    assert "Section 3 sur 3" in page
    assert "D'un refus de soins discriminatoire" in page
    assert "le refus repose sur la situation" not in page  # feedback is shown only after submitting
    assert "couverture maladie est interdit" not in page  # nor the explanation


def test_wrong_then_right_attempts_are_kept_and_best_counts(app, client, auth, learner):
    auth.login(learner.email)
    client.post(QUIZ, data={**WRONG, "tentative": 1})
    response = client.post(QUIZ, data={**RIGHT, "tentative": 2})
    assert response.status_code == 302
    with app.app_context(), session_scope() as session:
        attempts = session.exec(select(QuizAttempt).order_by(QuizAttempt.attempt_number)).all()
        assert [(a.percent, a.passed) for a in attempts] == [(0.0, False), (100.0, True)]
        assert attempts[0].outcome == {"q1": False, "q2": False}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Réussi" in page and "couverture maladie est interdit" in page


def test_same_attempt_number_twice_is_stored_once(app, client, auth, learner):
    auth.login(learner.email)
    first = client.post(QUIZ, data={**WRONG, "tentative": 1})
    again = client.post(QUIZ, data={**RIGHT, "tentative": 1})
    assert first.headers["Location"] == again.headers["Location"]
    assert count(app, QuizAttempt) == 1


def test_attempt_limit_is_enforced(app, client, auth, learner):
    auth.login(learner.email)
    with app.app_context(), session_scope() as session:  # unlock the second module (max 2 attempts)
        from elearn.models.base import utcnow

        session.add(ModuleProgress(user_id=learner.id, module_slug="premiers-pas", completed_at=utcnow()))
    url = "/modules/suite/quiz/seule-section-quiz-1"
    client.post(url, data={"q1": "c2", "tentative": 1})
    client.post(url, data={"q1": "c2", "tentative": 2})
    page = client.post(url, data={"q1": "c1", "tentative": 3}, follow_redirects=True).get_data(as_text=True)
    assert "toutes les tentatives permises" in page
    assert count(app, QuizAttempt) == 2


def test_locked_module_explains_its_prerequisite(client, auth, learner):
    auth.login(learner.email)
    response = client.get("/modules/suite/seule-section")
    assert response.status_code == 403
    assert "Premiers pas" in response.get_data(as_text=True)
    assert client.post("/modules/suite/quiz/seule-section-quiz-1", data={"q1": "c1", "tentative": 1}).status_code == 403


def test_reading_all_sections_and_passing_completes_the_module(app, client, auth, learner):
    auth.login(learner.email)
    for section in ("accueil", "notions", "verifier-ses-acquis"):
        client.get(f"/modules/premiers-pas/{section}")
    client.post(QUIZ, data={**RIGHT, "tentative": 1})
    assert count(app, ModuleProgress, completed_at=None) == 1  # the last section is not read yet
    for section in ("accueil", "notions", "verifier-ses-acquis"):
        client.post(f"/modules/premiers-pas/{section}/suivant")
    with app.app_context(), session_scope() as session:
        progress = session.exec(select(ModuleProgress)).one()
        assert progress.completed_at is not None
        assert progress.completion_score == 100.0
        assert len(progress.completion_content_hash) >= 8
    assert count(app, SectionProgress) == 3


def test_moving_on_from_the_last_unread_section_completes_the_module_wherever_it_is(app, client, auth, learner):
    """« Suivante » skips the completion check while sections are left unread, and only then."""
    auth.login(learner.email)
    client.post(QUIZ, data={**RIGHT, "tentative": 1})
    for section in ("verifier-ses-acquis", "accueil"):
        client.post(f"/modules/premiers-pas/{section}/suivant")
    assert count(app, ModuleProgress, completed_at=None) == 1  # « Notions » is left
    response = client.post("/modules/premiers-pas/notions/suivant")  # the middle section, read last
    assert response.headers["Location"].endswith("/modules/premiers-pas/verifier-ses-acquis")
    assert count(app, ModuleProgress, completed_at=None) == 0
    assert count(app, SectionProgress, read_at=None) == 0


def test_heartbeat_credits_only_the_logged_in_learner(app, client, auth, learner, other_learner):
    auth.login(learner.email)
    open_module(app, learner.id, "premiers-pas")
    response = client.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 15, "user_id": other_learner.id})
    assert response.get_json() == {"credited": 15}
    assert count(app, ActiveTime, user_id=other_learner.id) == 0
    assert client.post("/activite", json={"module": "premiers-pas", "section": "nope", "seconds": 15}).status_code == 404
    assert client.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": "x"}).status_code == 400


def test_heartbeat_accepts_beacon_form_data(app, client, auth, learner):
    auth.login(learner.email)
    open_module(app, learner.id, "premiers-pas")
    response = client.post("/activite", data={"module": "premiers-pas", "section": "accueil", "seconds": "12"})
    assert response.get_json() == {"credited": 12}


def test_heartbeat_requires_login(client):
    assert client.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 15}).status_code == 302


def test_learner_cannot_see_another_learners_attempt(app, client, auth, learner, other_learner):
    auth.login(learner.email)
    location = client.post(QUIZ, data={**WRONG, "tentative": 1}).headers["Location"]
    auth.logout()
    auth.login(other_learner.email)
    assert client.get(location).status_code == 404
    assert "Tentative 1" not in client.get("/progression").get_data(as_text=True)


def test_progress_page_shows_scores_and_time(app, client, auth, learner):
    auth.login(learner.email)
    open_module(app, learner.id, "premiers-pas")
    client.post(QUIZ, data={**RIGHT, "tentative": 1})
    client.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 15})
    add_active_seconds(app, learner.id, 120)  # 2 min 15 s: whole minutes, rounded down
    page = html.unescape(client.get("/progression").get_data(as_text=True))
    assert "Premiers pas" in page and "100 %" in page and "2 min" in page and "2 min 15" not in page


def test_incomplete_quiz_is_sent_back_with_answers_kept_and_no_attempt_used(app, client, auth, learner):
    auth.login(learner.email)
    response = client.post(QUIZ, data={"q2": ["c1"], "tentative": 1})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert 'Répondez à toutes les questions avant de valider : <a href="#verifier-ses-acquis-quiz-1-q1">question 1</a>.' in page
    assert 'value="c1" id="verifier-ses-acquis-quiz-1-q2-c1" checked' in page
    assert count(app, QuizAttempt) == 0


def test_finishing_a_module_with_a_failed_quiz_says_what_is_left(app, client, auth, learner):
    auth.login(learner.email)
    client.post(QUIZ, data={**WRONG, "tentative": 1})
    client.post("/modules/premiers-pas/accueil/suivant")
    response = client.post("/modules/premiers-pas/verifier-ses-acquis/suivant", follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "Le module n'est pas encore terminé. Il reste :" in page
    assert "la section « Notions » à lire" in page and "« Accueil »" not in page
    assert "à réussir (70 % au moins)" in page
    assert count(app, ModuleProgress, completed_at=None) == 1


def test_finishing_a_completed_module_again_says_nothing_is_left(app, client, auth, learner):
    auth.login(learner.email)
    client.post(QUIZ, data={**RIGHT, "tentative": 1})
    for section in ("accueil", "notions", "verifier-ses-acquis"):
        client.post(f"/modules/premiers-pas/{section}/suivant")
    page = client.post("/modules/premiers-pas/verifier-ses-acquis/suivant", follow_redirects=True).get_data(as_text=True)
    assert "pas encore terminé" not in html.unescape(page)


def test_thirty_seconds_on_a_section_count_it_as_read_and_may_complete_the_module(app, client, auth, learner):
    auth.login(learner.email)
    open_module(app, learner.id, "premiers-pas")  # an hour ago: the first heartbeat may credit its 30 s
    client.post(QUIZ, data={**RIGHT, "tentative": 1})
    client.post("/modules/premiers-pas/notions/suivant")
    finish = html.unescape(client.post("/modules/premiers-pas/verifier-ses-acquis/suivant", follow_redirects=True).get_data(as_text=True))
    assert "la section « Accueil » à lire" in finish
    assert "Une section compte comme lue après 30 secondes de lecture active sur sa page, quel que soit le lien" in finish
    section = html.unescape(client.get("/modules/premiers-pas/accueil").get_data(as_text=True))
    assert "Une section compte comme lue après 30 secondes" in section and "read-state" not in section

    beat = {"module": "premiers-pas", "section": "accueil", "seconds": 30}
    assert client.post("/activite", json=beat).get_json() == {"credited": 30}  # left by any link, or none
    assert count(app, ModuleProgress, completed_at=None) == 0  # its last unread section: the module is complete
    section = html.unescape(client.get("/modules/premiers-pas/accueil").get_data(as_text=True))
    assert "Section 1 sur 3 · <span class=\"read-state\">lue" in section and "Une section compte comme lue" not in section


def test_progress_page_names_each_quiz_and_counts_attempts_per_quiz(app, client, auth, learner):
    auth.login(learner.email)
    client.post(QUIZ, data={**WRONG, "tentative": 1})
    client.post(QUIZ, data={**RIGHT, "tentative": 2})
    page = html.unescape(client.get("/progression").get_data(as_text=True))
    detail = page[page.index("Tentatives aux quiz"):]
    assert "<strong>Quiz de fin de module</strong>" in detail
    assert "2 tentatives · meilleur score : 100 % (réussi)" in detail
    assert detail.count("— Quiz de fin de module</span></a>") == 2
    assert '<td data-label="Quiz réussis">1 sur 1</td>' in page and "Tentatives</th>" not in page
def test_time_is_never_credited_to_a_module_the_learner_cannot_open(app, client, auth, learner):
    """« suite » needs « premiers-pas » completed: heartbeats naming it credit nothing and show nowhere."""
    auth.login(learner.email)
    client.get("/modules/premiers-pas/accueil")  # module 1 opened: its clock runs
    assert client.get("/modules/suite/seule-section").status_code == 403
    for _ in range(3):
        response = client.post("/activite", json={"module": "suite", "section": "seule-section", "seconds": 15})
        assert response.get_json() == {"credited": 0}
    open_module(app, learner.id, "suite")  # even once opened (a row left by an earlier path), it stays locked
    assert client.post("/activite", json={"module": "suite", "section": "seule-section", "seconds": 15}).get_json() == {"credited": 0}
    assert count(app, ActiveTime, module_slug="suite") == 0
