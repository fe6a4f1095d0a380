"""Log-out that really logs out, and « Mon compte »: name, password, data file, erasure request, sessions.

Two application objects on one database stand for two worker processes: what one worker ends, the
other must refuse too.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlmodel import select

from elearn import create_app
from elearn.accounts import authenticate, issue_reset_token, reset_password, verify_password
from elearn.db import get_engine, session_scope
from elearn.models import ActiveTime, AuditEvent, ErasureRequest, Role, User
from elearn.security import ratelimit
from elearn.visibility import Audience, set_visibility
from tests.conftest import PASSWORD, add_user, make_test_app, open_module

NEW_PASSWORD = "une autre phrase de passe"


@pytest.fixture
def app(tmp_path):
    app = make_test_app(tmp_path)
    add_user(app, "lea@exemple.fr", full_name="Léa Martin", profession="Infirmière")
    yield app
    get_engine(app).dispose()


@pytest.fixture
def other_worker(app):
    """A second application on the same database and secret key: another worker process."""
    worker = create_app(dict(app.config))
    yield worker
    get_engine(worker).dispose()


def log_in(app, remember: bool = False):  # noqa: ANN201 - a FlaskClient
    client = app.test_client()
    data = {"email": "lea@exemple.fr", "password": PASSWORD, **({"remember": "y"} if remember else {})}
    assert client.post("/login", data=data).status_code == 302
    return client


def logged_in(client) -> bool:
    return client.get("/progression").status_code == 200


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def user(app) -> User:
    with app.app_context(), session_scope() as session:
        return session.exec(select(User).where(User.email == "lea@exemple.fr")).one()


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def set_cookie_header(response, name: str) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))


# Log-out -------------------------------------------------------------------------------------------


def test_log_out_deletes_the_remember_cookie_and_really_logs_out(app):
    client = log_in(app, remember=True)
    assert client.get_cookie("remember_token") is not None
    response = client.post("/logout")
    assert set_cookie_header(response, "remember_token").startswith("remember_token=;")
    assert client.get_cookie("remember_token") is None
    assert not logged_in(client)


def test_the_remember_cookie_lasts_as_long_as_the_session(app):
    response = app.test_client().post("/login", data={"email": "lea@exemple.fr", "password": PASSWORD, "remember": "y"})
    expires = parsedate_to_datetime(set_cookie_header(response, "remember_token").split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(UTC) <= app.permanent_session_lifetime == timedelta(days=14)
    assert expires - datetime.now(UTC) > timedelta(days=13)


def test_without_remember_me_the_session_cookie_ends_with_the_browser(app):
    response = app.test_client().post("/login", data={"email": "lea@exemple.fr", "password": PASSWORD})
    session_cookie = set_cookie_header(response, "session")
    assert "Expires=" not in session_cookie and "Max-Age" not in session_cookie
    remembered = app.test_client().post("/login", data={"email": "lea@exemple.fr", "password": PASSWORD, "remember": "y"})
    assert "Expires=" in set_cookie_header(remembered, "session")


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_cookies_saved_before_log_out_do_not_work_after_it_on_any_worker(app, other_worker, cookie):
    client = log_in(app, remember=True)
    saved = client.get_cookie(cookie).value
    assert client.post("/logout").status_code == 302
    replay = other_worker.test_client()
    replay.set_cookie(cookie, saved)
    assert not logged_in(replay)
    again = log_in(app)  # the account itself is untouched: a new log-in works
    assert logged_in(again)


def test_logging_out_one_browser_leaves_the_others_logged_in(app):
    first, second = log_in(app), log_in(app)
    first.post("/logout")
    assert logged_in(second) and not logged_in(first)


def test_log_out_everywhere_ends_every_session_of_the_account(app, other_worker):
    here, phone = log_in(app), log_in(other_worker, remember=True)
    response = here.post("/compte/deconnexion")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not logged_in(here) and not logged_in(phone)
    stolen = app.test_client()
    stolen.set_cookie("remember_token", phone.get_cookie("remember_token").value)
    assert not logged_in(stolen)
    assert len(events(app, "account.logged_out_everywhere")) == 1


# The heartbeat checks the log-in in its own read: the same rule as every page ---------------------------

BEAT = {"module": "premiers-pas", "section": "accueil", "seconds": 30}


def seconds_credited(app) -> int:
    with app.app_context(), session_scope() as session:
        return sum(row.seconds for row in session.exec(select(ActiveTime)).all())


def end_by_deactivation(app, client) -> None:
    with app.app_context(), session_scope() as session:
        session.exec(select(User)).one().is_active = False


def end_by_password_change(app, client) -> None:
    with app.app_context(), session_scope() as session:
        account = session.exec(select(User)).one()
        token = issue_reset_token(session, account, actor=None)
        reset_password(session, token, NEW_PASSWORD)


def end_everywhere(app, client) -> None:
    log_in(app).post("/compte/deconnexion")


@pytest.mark.parametrize("end", [end_by_deactivation, end_by_password_change, end_everywhere])
def test_a_heartbeat_from_an_ended_log_in_is_sent_to_log_in_and_credits_nothing(app, other_worker, end):
    client = log_in(app)
    open_module(app, user(app).id, "premiers-pas")
    saved = client.get_cookie("session").value
    end(app, client)
    replay = other_worker.test_client()
    replay.set_cookie("session", saved)
    for body in (BEAT, {**BEAT, "module": "inconnu"}):  # a refused request says « log in » too
        response = replay.post("/activite", json=body)
        assert response.status_code == 302 and "/login" in response.headers["Location"], body
    assert seconds_credited(app) == 0


def test_a_heartbeat_after_log_out_with_a_saved_cookie_credits_nothing(app, other_worker):
    client = log_in(app)
    open_module(app, user(app).id, "premiers-pas")
    saved = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    replay = other_worker.test_client()
    replay.set_cookie("session", saved)
    assert replay.post("/activite", json=BEAT).status_code == 302
    assert seconds_credited(app) == 0


def test_a_heartbeat_with_only_the_remember_cookie_is_credited(app):
    client = log_in(app, remember=True)
    open_module(app, user(app).id, "premiers-pas")
    client.delete_cookie("session")  # the browser was closed: « Rester connecté·e » logs in again
    assert client.post("/activite", json=BEAT).get_json() == {"credited": 30}
    assert seconds_credited(app) == 30


def test_a_heartbeat_for_a_module_hidden_from_the_learner_is_unknown_and_credits_nothing(app):
    client = log_in(app)
    open_module(app, user(app).id, "premiers-pas")
    with app.app_context(), session_scope() as session:
        set_visibility(session, "premiers-pas", Audience.HIDDEN, actor=None)
    response = client.post("/activite", json=BEAT)
    assert response.status_code == 404 and response.get_json()["message"] == "Module ou section inconnu."
    assert seconds_credited(app) == 0


# « Mon compte » --------------------------------------------------------------------------------------


def test_the_account_page_is_in_the_menu_and_shows_every_action(app):
    client = log_in(app)
    page = text_of(client.get("/compte"))
    assert 'href="/compte"' in client.get("/modules").get_data(as_text=True)
    for text in ("Mes informations", "Changer le mot de passe", "Se déconnecter de tous mes appareils",
                 "Télécharger mes données", "Demander l'effacement de mon compte", "Léa Martin"):
        assert text in page, text


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, other_worker):
    here, elsewhere = log_in(app, remember=True), log_in(other_worker, remember=True)
    response = here.post("/compte/mot-de-passe", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert logged_in(here) and not logged_in(elsewhere)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", here.get_cookie("remember_token").value)  # this browser's new cookie
    assert logged_in(fresh)
    with app.app_context(), session_scope() as session:
        assert authenticate(session, "lea@exemple.fr", NEW_PASSWORD) is not None
    assert [e.actor_id for e in events(app, "account.password_changed")] == [user(app).id]


def test_the_current_password_is_asked_first(app):
    client = log_in(app)
    response = client.post("/compte/mot-de-passe", data={"current_password": "pas le bon", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert "Mot de passe actuel incorrect." in response.get_data(as_text=True)
    assert verify_password(user(app).password_hash, PASSWORD)
    assert logged_in(client) and events(app, "account.password_changed") == []


def test_guessing_the_current_password_is_rate_limited(app):
    client = log_in(app)
    limit = ratelimit.PASSWORD_CHECKS_PER_ACCOUNT
    with app.app_context(), session_scope() as session:
        for _ in range(limit.limit):  # the attempts already made (each costs an Argon2 check)
            ratelimit.count(session, app.secret_key, limit, f"user:{user(app).id}")
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/compte/mot-de-passe", data=data).status_code == 429
    assert verify_password(user(app).password_hash, PASSWORD)


def test_name_and_profession_can_be_changed_and_the_trail_says_which(app):
    client = log_in(app)
    response = client.post("/compte/identite", data={"full_name": "  Léa   Martin-Durand ", "profession": "Sage-femme"})
    assert response.status_code == 302
    assert (user(app).full_name, user(app).profession) == ("Léa Martin-Durand", "Sage-femme")
    [event] = events(app, "account.identity_changed")
    assert event.details == {"fields": ["full_name", "profession"]}
    empty = client.post("/compte/identite", data={"full_name": "   ", "profession": ""})
    assert empty.status_code == 400 and "Ce champ est obligatoire." in empty.get_data(as_text=True)
    assert user(app).full_name == "Léa Martin-Durand"


def test_my_data_is_the_file_an_administrator_would_get_and_is_audited(app):
    client = log_in(app)
    response = client.post("/compte/donnees")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="donnees-personnelles-{user(app).id}.json"'
    assert json.loads(response.get_data())["account"]["email"] == "lea@exemple.fr"
    assert [(e.actor_id, e.target) for e in events(app, "account.data_exported")] == [(user(app).id, f"user:{user(app).id}")]


def test_an_erasure_request_reaches_the_administrators_who_decide(app):
    client = log_in(app)
    assert client.post("/compte/effacement").status_code == 302
    assert "déjà en attente" in text_of(client.post("/compte/effacement", follow_redirects=True))
    assert "Vous avez demandé l'effacement" in text_of(client.get("/compte"))
    add_user(app, "admin@exemple.fr", Role.ADMIN, "Alex Bernard")
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@exemple.fr", "password": PASSWORD})
    page = text_of(admin.get("/admin/users"))
    assert "Demandes d'effacement en attente" in page and "lea@exemple.fr" in page
    assert user(app).is_active  # nothing is erased until an administrator decides
    admin.post(f"/admin/users/{user(app).id}/erase/decline")
    assert "Demandes d'effacement en attente" not in text_of(admin.get("/admin/users"))
    with app.app_context(), session_scope() as session:
        assert session.exec(select(ErasureRequest)).one().handled_at is not None
    assert len(events(app, "account.erasure_requested")) == 1 and len(events(app, "account.erasure_declined")) == 1


def test_account_actions_need_the_csrf_token(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    add_user(app, "lea@exemple.fr")
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        session["_user_id"] = user(app).get_id()
    for path, data in [
        ("/compte/identite", {"full_name": "Autre Nom"}),
        ("/compte/mot-de-passe", {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        ("/compte/donnees", {}),
        ("/compte/effacement", {}),
        ("/compte/deconnexion", {}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400 and "Le formulaire a expiré" in text_of(response), path
    assert logged_in(client) and user(app).full_name == "Camille Martin"
    with app.app_context(), session_scope() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action != "account.created")).all() == []


def test_once_a_certificate_is_issued_a_change_of_name_waits_for_an_administrator(tmp_path):
    """The name is printed on the certificate funders read: « Mon compte » files a request (issue 23)."""
    from elearn.models import IdentityChangeRequest
    from tests.certificates.support import certificate_app, complete_path, obtain_certificate

    app = certificate_app(tmp_path)
    learner = add_user(app, "lea@exemple.fr", full_name="Léa Martin", profession="Infirmière")
    complete_path(app, learner.id)
    client = log_in(app)
    obtain_certificate(client)
    response = client.post("/compte/identite", data={"full_name": "Léa Martin-Durand", "profession": "Infirmière"}, follow_redirects=True)
    assert "votre demande de modification est transmise" in html.unescape(response.get_data(as_text=True))
    assert user(app).full_name == "Léa Martin"  # unchanged until approved
    with app.app_context(), session_scope() as session:
        [pending] = session.exec(select(IdentityChangeRequest)).all()
        assert (pending.full_name, pending.decided_at) == ("Léa Martin-Durand", None)
    get_engine(app).dispose()
