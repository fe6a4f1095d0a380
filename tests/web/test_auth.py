"""Accounts over HTTP: registration, log-in, log-out, roles, password resets, CSRF."""

from __future__ import annotations

import re

import pytest

from sqlmodel import select

from elearn import accounts
from elearn.db import session_scope
from elearn.models import AuditEvent, Role, User
from tests.conftest import PASSWORD, add_user, make_test_app

GOOD = {
    "full_name": "Camille Martin",
    "email": "Camille.Martin@Exemple.fr",
    "profession": "Infirmière",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


def test_register_creates_learner_and_logs_in(app, client):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 302
    with app.app_context(), session_scope() as session:
        user = session.exec(select(User)).one()
        assert user.email == "camille.martin@exemple.fr"
        assert user.role == Role.LEARNER
        assert user.profession == "Infirmière"
        assert user.password_hash.startswith("$argon2id$")
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "account.created")).one()
    assert client.get("/admin/users").status_code == 403


def test_register_empty_fields_show_french_messages_and_keep_input(client):
    response = client.post("/register", data={**GOOD, "full_name": "", "password": "", "confirm": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in page
    assert 'value="Camille.Martin@Exemple.fr"' in page
    assert 'value="Infirmière"' in page


def test_register_rejects_malformed_email(client):
    page = client.post("/register", data={**GOOD, "email": "pas-une-adresse"}).get_data(as_text=True)
    assert "Adresse e-mail invalide" in page
    assert 'value="pas-une-adresse"' in page


def test_register_rejects_overlong_name(client):
    page = client.post("/register", data={**GOOD, "full_name": "x" * 121}).get_data(as_text=True)
    assert "120 caractères au maximum." in page


def test_register_rejects_duplicate_email_whatever_its_case(app, client, learner):
    response = client.post("/register", data={**GOOD, "email": "APPRENANT@exemple.fr"})
    assert response.status_code == 400
    assert "Un compte existe déjà avec cette adresse" in response.get_data(as_text=True)


def test_register_rejects_mismatched_and_short_passwords(client):
    page = client.post("/register", data={**GOOD, "confirm": "autre chose encore"}).get_data(as_text=True)
    assert "Les deux mots de passe diffèrent." in page
    page = client.post("/register", data={**GOOD, "password": "court", "confirm": "court"}).get_data(as_text=True)
    assert "Entre 10 et 200 caractères." in page


def test_login_wrong_password_and_unknown_email_look_the_same(client, learner):
    wrong = client.post("/login", data={"email": learner.email, "password": "mauvais mot de passe"})
    unknown = client.post("/login", data={"email": "inconnu@exemple.fr", "password": "mauvais mot de passe"})
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.get_data(as_text=True)


def test_login_then_logout(client, auth, learner):
    assert auth.login(learner.email).status_code == 302
    assert client.get("/admin/users").status_code == 403  # logged in, wrong role
    auth.logout()
    assert client.get("/admin/users").status_code == 302  # back to the login page


def test_login_follows_only_local_next(client, learner):
    response = client.post("/login?next=//evil.example/", data={"email": learner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/admin/users", data={"email": learner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users"


def test_deactivated_user_cannot_log_in(app, client, learner):
    with app.app_context(), session_scope() as session:
        user = session.get(User, learner.id)
        user.is_active = False
        session.add(user)
    assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 401


def test_admin_sees_accounts_and_changes_a_role(app, client, auth, admin, learner):
    auth.login(admin.email)
    page = client.get("/admin/users?q=martin").get_data(as_text=True)
    assert "Camille Martin" in page
    client.post(f"/admin/users/{learner.id}", data={"role": "trainer"})
    with app.app_context(), session_scope() as session:
        assert session.get(User, learner.id).role == Role.TRAINER
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.role_changed")).one()
        assert event.details == {"before": "learner", "after": "trainer"}
        assert event.actor_id == admin.id


def test_admin_cannot_demote_themself(app, client, auth, admin):
    auth.login(admin.email)
    page = client.post(f"/admin/users/{admin.id}", data={"role": "learner"}, follow_redirects=True)
    assert "Vous ne pouvez pas retirer votre propre rôle" in page.get_data(as_text=True)


def test_forgotten_password_path_without_email_server(app, client, auth, admin, learner):
    # The learner asks; the answer does not reveal whether the account exists.
    known = client.post("/password/forgot", data={"email": learner.email}).get_data(as_text=True)
    unknown = client.post("/password/forgot", data={"email": "personne@exemple.fr"}).get_data(as_text=True)
    assert known == unknown
    # The administrator sees the request and issues a link.
    auth.login(admin.email)
    assert learner.email in client.get("/admin/users").get_data(as_text=True)
    page = client.post(f"/admin/users/{learner.id}/reset-link").get_data(as_text=True)
    link = re.search(r'value="(http://[^"]+/password/reset/[^"]+)"', page).group(1)
    path = link.split("localhost", 1)[1]
    auth.logout()
    # The learner sets a new password with the link, once.
    assert client.post(path, data={"password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"}).status_code == 302
    assert client.get(path).status_code == 404
    assert auth.login(learner.email).status_code == 401
    assert auth.login(learner.email, "un nouveau mot de passe").status_code == 302


def test_password_reset_logs_out_other_sessions(app, learner):
    other_device = app.test_client()
    other_device.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert other_device.get("/admin/users").status_code == 403  # logged in
    with app.app_context(), session_scope() as session:
        token = accounts.issue_reset_token(session, session.get(User, learner.id), actor=None)
        accounts.reset_password(session, token, "encore un autre mot de passe")
    assert other_device.get("/admin/users").status_code == 302  # sent to log in again


def test_csrf_token_missing_is_refused(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/register", data=GOOD)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    with app.app_context(), session_scope() as session:
        assert session.exec(select(User)).first() is None


def test_sessions_survive_a_restart(tmp_path):
    """The secret key is kept in instance/, so a new process accepts the old session cookie."""
    first = make_test_app(tmp_path, SECRET_KEY=None)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    add_user(first, "x@exemple.fr")
    client = first.test_client()
    client.post("/login", data={"email": "x@exemple.fr", "password": PASSWORD})
    cookie = client.get_cookie("session").value
    second = make_test_app(tmp_path, SECRET_KEY=None)
    assert second.config["SECRET_KEY"] == key_file.read_text()
    other = second.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/admin/users").status_code == 403  # recognised as the logged-in learner


@pytest.mark.sqlite_only
def test_healthz(app, client):
    response = client.get("/healthz")
    assert (response.status_code, response.mimetype, response.get_json()) == (200, "application/json", {"status": "ok", "database": "ok"})


def test_healthz_reports_unreachable_database(tmp_path):
    app = make_test_app(tmp_path)
    app.config["ELEARN_DATABASE_URL"] = "sqlite:////nonexistent/dir/db.sqlite3"
    from elearn.db import make_engine

    app.extensions["elearn.engine"] = make_engine("sqlite:////nonexistent/dir/db.sqlite3")
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (503, {"status": "error", "database": "unreachable"})


@pytest.mark.sqlite_only
def test_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    directives = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";") if part.strip())
    # Scripts and styles from our own files only: a policy without script-src, or one that widens it, fails.
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'self'"


def test_passwords_use_the_production_argon2_parameters_and_older_hashes_are_upgraded(app, client, monkeypatch):
    """The one test on the real parameters (the suite hashes with cheap ones, tests/conftest.py)."""
    from tests.conftest import PRODUCTION_HASHER

    production = "$argon2id$v=19$m=65536,t=3,p=4$"
    user = add_user(app, "ancien@exemple.fr")  # hashed with the cheap parameters, as by an older release
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    monkeypatch.setattr(accounts, "_hasher", PRODUCTION_HASHER)
    assert accounts.hash_password(PASSWORD).startswith(production)
    assert client.post("/login", data={"email": "ancien@exemple.fr", "password": PASSWORD}).status_code == 302
    with app.app_context(), session_scope() as session:
        upgraded = session.get(User, user.id).password_hash
    assert upgraded.startswith(production) and accounts.verify_password(upgraded, PASSWORD)
    assert not accounts.verify_password(upgraded, "mauvais mot de passe")
