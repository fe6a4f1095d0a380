"""Launches from a real LTI 1.3 platform (lti1p3platform over HTTP): accounts, roles, landing, deep
linking, grade passback received by the platform, and every refusal as a French page in the audit trail."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import AuditEvent, LtiIdentity, LtiPlatform, Role, User
from elearn.models.outbox import LTI_SCORE
from elearn.outbox.worker import send_channel
from elearn.lti.scores import score_transport
from tests.lti.conftest import form_fields, launch, platform_get, start_launch
from tests.lti.platform import ADMINISTRATOR, INSTRUCTOR

#: Most tests concern the protocol, not the database: SQLite only. Launch and grade passback run on both.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

QUIZ = "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"
RIGHT = {"q1": "c1", "q2": ["c1", "c2"]}
WRONG = {"q1": "c2", "q2": ["c3"]}


def lti_users(app) -> list[User]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(User).join(LtiIdentity, LtiIdentity.user_id == User.id)))


def refusals(app) -> list[str]:
    with app.app_context(), session_scope() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "lti.launch_refused"))
        return [event.details["reason"] for event in events]


def test_a_learner_lands_logged_in_on_the_linked_module(app, client, platform):
    platform.plan.module = "premiers-pas"
    response = launch(client, platform)
    assert response.status_code == 302 and response.headers["Location"].endswith("/modules/premiers-pas")
    assert "Premiers pas" in client.get("/modules/premiers-pas").get_data(as_text=True)
    (user,) = lti_users(app)
    assert user.role == Role.LEARNER and user.email == "alex.moodle@exemple.fr" and user.full_name == "Alex Moodle"
    client.post("/logout")
    launch(client, platform)  # the second launch finds the same account
    assert len(lti_users(app)) == 1


@SQLITE_ONLY
def test_roles_map_to_trainer_and_never_to_admin(app, client, platform):
    platform.plan.roles = [INSTRUCTOR, ADMINISTRATOR]
    platform.plan.user_id, platform.plan.email = "moodle-teacher", ""
    launch(client, platform)
    (user,) = lti_users(app)
    assert user.role == Role.TRAINER and user.email.endswith("@lti.example")


@SQLITE_ONLY
def test_an_address_already_taken_is_never_merged(app, client, platform, learner):
    platform.plan.email = learner.email  # a platform could send anyone's address
    launch(client, platform)
    (user,) = lti_users(app)
    assert user.id != learner.id and user.email.endswith("@lti.example")


@SQLITE_ONLY
def test_deep_linking_returns_the_chosen_module_to_the_platform(app, client, platform):
    platform.plan.deep_linking, platform.plan.roles = True, [INSTRUCTOR]
    response = launch(client, platform)
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/deep-link")
    page = client.get("/lti/deep-link").get_data(as_text=True)
    assert "Tout le parcours" in page and "Premiers pas" in page
    answer = client.post("/lti/deep-link", data={"choix": "premiers-pas"})
    assert answer.status_code == 200
    assert "form-action 'self' " + platform.url in answer.headers["Content-Security-Policy"]
    action, fields = form_fields(answer.get_data(as_text=True), "lti-deep-link-return")
    request = urllib.request.Request(action, data=urllib.parse.urlencode(fields).encode(), method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.URLError:
        pass  # the platform redirects to its course page, which it does not serve
    (item,) = platform.content_items
    assert item["type"] == "ltiResourceLink" and item["custom"] == {"module": "premiers-pas"}
    assert item["url"].endswith("/lti/launch")


@SQLITE_ONLY
def test_a_learner_cannot_deep_link(app, client, platform):
    platform.plan.deep_linking = True
    assert launch(client, platform).status_code == 403
    assert refusals(app) == ["invalid"]


def test_scores_reach_the_platforms_gradebook_on_completion_and_on_every_better_score(app, client, platform):
    platform.plan.module = "premiers-pas"
    launch(client, platform)
    for section in ("accueil", "notions", "verifier-ses-acquis"):
        client.get(f"/modules/premiers-pas/{section}")
    client.post(QUIZ, data={**WRONG, "tentative": 1})  # score 0: a first score
    client.post(QUIZ, data={**WRONG, "tentative": 2})  # not better: nothing
    client.post(QUIZ, data={**RIGHT, "tentative": 3})  # better
    for section in ("accueil", "notions", "verifier-ses-acquis"):
        client.post(f"/modules/premiers-pas/{section}/suivant")  # completed
    platform.fail_scores = True  # the platform is down: scores wait in the outbox
    first = send_channel(app, LTI_SCORE, score_transport, once=False)
    assert first.sent == 0 and "503" in first.error and platform.scores == []
    platform.fail_scores = False
    report = send_channel(app, LTI_SCORE, score_transport, once=False, force=True)
    assert report.sent == 3 and not report.error
    got = [(s["scoreGiven"], s["activityProgress"], s["gradingProgress"]) for s in platform.scores]
    assert got == [(0.0, "InProgress", "FullyGraded"), (100.0, "InProgress", "FullyGraded"), (100.0, "Completed", "FullyGraded")]
    assert {s["userId"] for s in platform.scores} == {"moodle-user-1"}


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("change", "plan", "reason"),
    [
        ({}, {"wrong_key": True}, "bad_signature"),
        ({}, {"expires_in": -120}, "expired"),
        ({}, {"deployment_id": "deployment-inconnu"}, "unknown_deployment"),
        ({"state": None}, {}, "state"),
        ({"state": "un-autre-etat"}, {}, "state"),
    ],
)
def test_refusals_are_clear_pages_recorded_in_the_audit_trail(app, client, platform, change, plan, reason):
    for name, value in plan.items():
        setattr(platform.plan, name, value)
    response = launch(client, platform, **change)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Lancement refusé" in page
    assert refusals(app) == [reason]
    assert lti_users(app) == []


@SQLITE_ONLY
def test_a_replayed_id_token_is_refused(app, client, platform):
    fields = start_launch(client, platform)
    assert client.post("/lti/launch", data=fields).status_code == 302
    again = client.post("/lti/launch", data=fields)
    assert again.status_code == 400 and "déjà été utilisé" in again.get_data(as_text=True)
    assert refusals(app) == ["replayed"]


@SQLITE_ONLY
def test_an_unknown_issuer_is_refused(app, client, platform):
    fields = start_launch(client, platform)
    with app.app_context(), session_scope() as session:  # the registration is removed meanwhile
        for row in session.exec(select(LtiPlatform)):
            row.issuer = "https://autre-plateforme.exemple.fr"
            session.add(row)
    response = client.post("/lti/launch", data=fields)
    assert response.status_code == 400 and "pas enregistrée" in response.get_data(as_text=True)
    assert refusals(app) == ["unknown_issuer"]
    assert client.get("/lti/login?iss=https://inconnue.exemple.fr&target_link_uri=x").status_code == 400


@SQLITE_ONLY
def test_frames_are_allowed_to_registered_platforms_only(app, client, platform):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.url}" in policy
    assert "X-Frame-Options" not in client.get("/").headers


@SQLITE_ONLY
def test_no_platform_no_framing(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@SQLITE_ONLY
def test_a_registration_with_a_wrong_address_is_refused_with_a_message(app, client, admin, auth):
    auth.login(admin.email)
    form = {"name": "Moodle", "issuer": "https://moodle.exemple.fr", "client_id": "abc", "deployment_ids": "3",
            "keyset_url": "moodle.exemple.fr/mod/lti/certs.php", "auth_url": "https://moodle.exemple.fr/mod/lti/auth.php",
            "token_url": "https://moodle.exemple.fr/mod/lti/token.php"}
    response = client.post("/admin/lti", data=form)
    assert response.status_code == 400 and "https:// est attendue" in response.get_data(as_text=True)
    page = client.get("/admin/lti").get_data(as_text=True)
    assert "http://localhost/lti/jwks" in page and "http://localhost/lti/login" in page


@SQLITE_ONLY
def test_the_lti_page_shows_the_scores_waiting(app, client, platform, admin, auth):
    platform.plan.module = "premiers-pas"
    launch(client, platform)
    client.post(QUIZ, data={**WRONG, "tentative": 1})
    client.post("/logout")
    auth.login(admin.email)
    response = client.get("/admin/lti")
    page = response.get_data(as_text=True)
    assert "Notes envoyées aux carnets de notes" in page and "En attente d'envoi</dt><dd>1 (" in page


@SQLITE_ONLY
def test_a_login_initiation_without_login_hint_is_refused(app, client, platform):
    response = client.get(f"/lti/login?iss={platform.issuer}&target_link_uri=http://elearn.test/lti/launch&cookies=1")
    assert response.status_code == 400 and "Lancement refusé" in response.get_data(as_text=True)
    assert refusals(app) == ["invalid"]


@SQLITE_ONLY
def test_an_unreachable_platform_key_set_is_a_refusal_not_an_error(app, client, platform):
    fields = start_launch(client, platform)
    with app.app_context(), session_scope() as session:
        for row in session.exec(select(LtiPlatform)):
            row.keyset_url = "http://127.0.0.1:9/jwks"  # nothing listens there
            session.add(row)
    response = client.post("/lti/launch", data=fields)
    assert response.status_code == 400 and refusals(app) == ["invalid"]
