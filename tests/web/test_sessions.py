"""Session cookies slide (14 days after the last visit) without being rewritten on every response."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from elearn.web.sessions import REWRITE_AFTER
from tests.conftest import PASSWORD, add_user, make_test_app


@pytest.fixture
def app(tmp_path):
    app = make_test_app(tmp_path)
    add_user(app, "lea@exemple.fr")
    return app


def _log_in(client, signed_seconds_ago: float = 0, monkeypatch=None) -> None:
    """Log in, the session cookie being signed ``signed_seconds_ago`` seconds in the past."""
    if signed_seconds_ago:
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: int(time.time() - signed_seconds_ago))
    response = client.post("/login", data={"email": "lea@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    if signed_seconds_ago:
        monkeypatch.undo()


def _sets_session_cookie(response) -> bool:
    return any(header.startswith("session=") for header in response.headers.getlist("Set-Cookie"))


def test_page_views_do_not_rewrite_a_recent_session_cookie(app):
    client = app.test_client()
    _log_in(client)
    client.get("/modules")  # the first page may store the form token in the session
    for path in ("/modules", "/progression", "/healthz", "/static/css/elearn.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not _sets_session_cookie(response), path


def test_an_old_cookie_is_rewritten_once_so_the_session_keeps_sliding(app, monkeypatch):
    client = app.test_client()
    _log_in(client, REWRITE_AFTER.total_seconds() + 60, monkeypatch)
    old = client.get_cookie("session").value
    first = client.get("/modules")
    assert first.status_code == 200
    assert _sets_session_cookie(first)
    assert client.get_cookie("session").value != old
    assert not _sets_session_cookie(client.get("/modules"))


def test_the_session_still_ends_fourteen_days_after_the_last_visit(app, monkeypatch):
    client = app.test_client()
    _log_in(client, 15 * 24 * 3600, monkeypatch)
    response = client.get("/modules")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_changed_session_is_written_at_once(app):
    client = app.test_client()
    _log_in(client)
    client.get("/modules")
    response = client.post("/logout")
    assert _sets_session_cookie(response)
    assert client.get("/modules").status_code == 302


def test_a_cookie_verified_before_still_expires(app, monkeypatch):
    """Each worker keeps the cookies it verified (elearn.web.sessions): a kept one still has its age
    checked on every request."""
    client = app.test_client()
    _log_in(client)
    assert client.get("/modules").status_code == 200
    assert client.get("/modules").status_code == 200  # from the kept cookies
    later = time.time() + 15 * 24 * 3600
    monkeypatch.setattr("elearn.web.sessions.time.time", lambda: later)
    response = client.get("/modules")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_signing_key_refuses_cookies_verified_with_the_old_one(app):
    client = app.test_client()
    _log_in(client)
    assert client.get("/modules").status_code == 200
    app.secret_key = "une autre clé, après une fuite"
    response = client.get("/modules")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_session_holding_a_list_is_verified_each_time(app):
    """Flashed messages are a list the request may change in place: such a session is not kept."""
    client = app.test_client()
    _log_in(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Bonjour")]
    cookie = client.get_cookie("session").value
    client.get("/progression")
    kept = app.extensions["elearn.verified_sessions"][1]
    assert cookie not in kept
    client.get("/modules")  # the message was shown: the new cookie holds plain values only
    assert client.get_cookie("session").value in kept
