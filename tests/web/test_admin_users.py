"""Accounts administration: search, deactivation, a person's data file, erasure with confirmation."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from elearn.db import session_scope
from elearn.models import User
from tests.conftest import PASSWORD, AuthActions


def fresh_user(app, user_id: int) -> User:  # noqa: ANN001
    with app.app_context(), session_scope() as session:
        return session.get(User, user_id)


def test_search_finds_accented_names_whatever_the_case(client, auth, admin, app):
    from tests.conftest import add_user

    add_user(app, "e.andre@exemple.fr", full_name="Émile André")
    auth.login(admin.email)
    assert "Émile André" in client.get("/admin/users?q=%C3%A9mile").get_data(as_text=True)


def test_deactivation_logs_the_person_out_and_reactivation_lets_them_back(app, client, auth, admin, learner):
    learner_client: FlaskClient = app.test_client()
    AuthActions(learner_client).login(learner.email)
    assert learner_client.get("/admin/users").status_code == 403  # logged in (as a learner)
    auth.login(admin.email)
    page = client.post(f"/admin/users/{learner.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "Compte désactivé" in page.get_data(as_text=True)
    assert not fresh_user(app, learner.id).is_active
    assert learner_client.get("/admin/users").status_code == 302  # session no longer valid: sent to log in
    assert AuthActions(app.test_client()).login(learner.email).status_code == 401  # log-in refused
    client.post(f"/admin/users/{learner.id}/active", data={"active": "1"})
    assert fresh_user(app, learner.id).is_active
    assert AuthActions(app.test_client()).login(learner.email, PASSWORD).status_code == 302


def test_an_administrator_cannot_deactivate_themself(app, client, auth, admin):
    auth.login(admin.email)
    page = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "propre compte" in page.get_data(as_text=True)
    assert fresh_user(app, admin.id).is_active


def test_personal_data_download(client, auth, admin, learner):
    auth.login(admin.email)
    response = client.post(f"/admin/users/{learner.id}/data")
    assert response.headers["Content-Disposition"] == f'attachment; filename="donnees-personnelles-{learner.id}.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == learner.email and data["account"]["profession"] == "Infirmière"
    assert "Données personnelles exportées" in client.get("/admin/audit").get_data(as_text=True)


def test_erasure_requires_typing_the_email(app, client, auth, admin, learner):
    auth.login(admin.email)
    form = client.get(f"/admin/users/{learner.id}/erase").get_data(as_text=True)
    assert "définitive" in form and learner.email in form
    wrong = client.post(f"/admin/users/{learner.id}/erase", data={"confirmation": "autre@exemple.fr"})
    assert wrong.status_code == 200 and "Recopiez exactement" in wrong.get_data(as_text=True)
    assert fresh_user(app, learner.id).full_name == "Camille Martin"
    done = client.post(f"/admin/users/{learner.id}/erase", data={"confirmation": learner.email}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "anonymisé" in html and "Camille Martin" not in html
    assert AuthActions(app.test_client()).login(learner.email).status_code == 401  # cannot log in any more
    assert "Camille Martin" not in client.get("/admin/learners").get_data(as_text=True)
    assert "Compte effacé" in client.get("/admin/audit").get_data(as_text=True)
