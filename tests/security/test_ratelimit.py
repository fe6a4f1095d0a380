"""Rate limits and log-in lock-out: the counters themselves, then as the log-in, registration and
password-reset pages apply them (429, French page, Retry-After)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import RateLimitCounter
from elearn.security import ratelimit
from elearn.security.ratelimit import Limit
from tests.conftest import PASSWORD

SECRET = "test-secret"
T0 = 1_800_000_000  # a multiple of 3600 and of 60: window boundaries fall on round numbers
THREE_PER_MINUTE = Limit("demo", 3, 60)


@pytest.fixture
def db(app):
    with app.app_context(), session_scope() as session:
        yield session


def _count(db, now, subject="192.0.2.1", limit=THREE_PER_MINUTE):
    return ratelimit.count(db, SECRET, limit, subject, now=now)


def test_hits_within_the_limit_pass_and_the_next_is_refused(db):
    assert all(_count(db, T0 + i).allowed for i in range(3))
    refused = _count(db, T0 + 3)
    assert not refused.allowed
    assert refused.retry_after > 0


def test_subjects_and_actions_are_counted_apart(db):
    for i in range(3):
        _count(db, T0 + i)
    assert _count(db, T0 + 4, subject="192.0.2.2").allowed
    assert ratelimit.count(db, SECRET, Limit("other", 3, 60), "192.0.2.1", now=T0 + 5).allowed


def test_window_slides_instead_of_resetting_at_its_boundary(db):
    for i in range(3):
        _count(db, T0 + 50 + i)
    # Just past the boundary most of the previous window still weighs: no burst of twice the limit.
    assert not _count(db, T0 + 61).allowed
    # Half-way through the next window the old hits weigh 1.5; with the refused one above, no room yet.
    assert not ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0 + 90).allowed
    # Two thirds through, they weigh 1: room for one more.
    assert ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0 + 100).allowed


def test_retry_after_is_when_the_next_hit_passes(db):
    for i in range(4):
        _count(db, T0 + i)
    wait = ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0 + 10).retry_after
    assert not ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0 + 10 + wait - 1).allowed
    assert ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0 + 10 + wait).allowed


def test_check_counts_nothing(db):
    for _ in range(10):
        assert ratelimit.check(db, SECRET, THREE_PER_MINUTE, "192.0.2.1", now=T0).allowed
    assert db.exec(select(RateLimitCounter)).all() == []


def test_stored_keys_hold_no_address_in_clear(db):
    _count(db, T0)
    (row,) = db.exec(select(RateLimitCounter)).all()
    assert "192.0.2.1" not in row.key and len(row.key) == 64


def test_expired_rows_are_purged(db):
    _count(db, T0)
    ratelimit.record_failure(db, SECRET, "lock", "someone", now=T0)
    assert ratelimit.purge_expired(db, now=T0 + 119) == 0
    assert ratelimit.purge_expired(db, now=T0 + 121) == 1  # the window row: two windows old
    assert ratelimit.purge_expired(db, now=T0 + ratelimit.FAILURE_MEMORY + 1) == 1


def test_lockout_delay_grows_and_is_capped():
    delays = [ratelimit.lockout_delay(n) for n in range(1, 16)]
    assert delays[: ratelimit.FREE_FAILURES - 1] == [0] * (ratelimit.FREE_FAILURES - 1)
    assert delays[ratelimit.FREE_FAILURES - 1] == ratelimit.FIRST_DELAY
    assert delays == sorted(delays)
    assert max(delays) == ratelimit.MAX_DELAY == 15 * 60
    assert ratelimit.lockout_delay(10_000) == ratelimit.MAX_DELAY


def test_failures_impose_a_wait_that_a_success_clears(db):
    for i in range(ratelimit.FREE_FAILURES - 1):
        assert ratelimit.record_failure(db, SECRET, "lock", "a", now=T0 + i) == 0
    assert ratelimit.record_failure(db, SECRET, "lock", "a", now=T0 + 10) == ratelimit.FIRST_DELAY
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=T0 + 20) == ratelimit.FIRST_DELAY - 10
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=T0 + 10 + ratelimit.FIRST_DELAY) == 0
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "b", now=T0 + 20) == 0
    ratelimit.clear_failures(db, SECRET, "lock", "a")
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=T0 + 20) == 0


def test_failures_are_forgotten_after_a_quiet_day(db):
    for i in range(20):
        ratelimit.record_failure(db, SECRET, "lock", "a", now=T0 + i)
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=T0 + 100) == ratelimit.MAX_DELAY - 81
    later = T0 + 19 + ratelimit.FAILURE_MEMORY + 1
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=later) == 0
    ratelimit.record_failure(db, SECRET, "lock", "a", now=later)
    assert ratelimit.lockout_remaining(db, SECRET, "lock", "a", now=later) == 0  # counting starts again


# Over HTTP --------------------------------------------------------------------------------------------


def _fail_login(client, email, address="192.0.2.10"):
    return client.post(
        "/login", data={"email": email, "password": "mauvais mot de passe"}, environ_base={"REMOTE_ADDR": address}
    )


def _login(client, email, address="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": address})


def test_repeated_failures_get_429_with_retry_after_and_french_page(client, learner):
    statuses = [_fail_login(client, learner.email).status_code for _ in range(ratelimit.FREE_FAILURES)]
    assert statuses == [401] * ratelimit.FREE_FAILURES
    refused = _fail_login(client, learner.email)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= ratelimit.FIRST_DELAY
    page = refused.get_data(as_text=True)
    assert "Trop de tentatives" in page and 'lang="fr"' in page
    # Even the right password waits: otherwise the delay would not slow a guess.
    assert _login(client, learner.email).status_code == 429


def test_attacker_failures_do_not_lock_the_owner_out_elsewhere(app, client, learner):
    for _ in range(ratelimit.FREE_FAILURES + 2):
        _fail_login(client, learner.email, address="203.0.113.66")
    assert _fail_login(client, learner.email, address="203.0.113.66").status_code == 429
    owner = app.test_client()
    assert _login(owner, learner.email, address="198.51.100.7").status_code == 302


def test_lockout_ignores_case_and_spaces_of_the_email(client, learner):
    for variant in ["APPRENANT@exemple.fr", " apprenant@exemple.fr", "Apprenant@Exemple.fr", "apprenant@exemple.fr", "x"]:
        _fail_login(client, variant if variant != "x" else learner.email)
    assert _fail_login(client, learner.email.upper()).status_code == 429


def test_success_clears_the_failures(client, learner):
    for _ in range(ratelimit.FREE_FAILURES - 1):
        _fail_login(client, learner.email)
    assert _login(client, learner.email).status_code == 302
    client.post("/logout")
    assert _fail_login(client, learner.email).status_code == 401  # counting starts again


def test_distributed_guessing_is_slowed_but_a_known_browser_still_logs_in(app, client, learner, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_ACCOUNT", Limit("login-account", 3, 15 * 60))
    owner = app.test_client()
    assert _login(owner, learner.email, address="198.51.100.7").status_code == 302  # sets the device cookie
    owner.post("/logout")
    for i in range(3):
        _fail_login(client, learner.email, address=f"203.0.113.{i}")
    assert _fail_login(client, learner.email, address="203.0.113.99").status_code == 429
    assert _login(app.test_client(), learner.email, address="198.51.100.8").status_code == 429
    assert _login(owner, learner.email, address="198.51.100.9").status_code == 302


def test_guessing_many_accounts_from_one_address_is_limited(client, learner, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_ADDRESS", Limit("login-address", 4, 15 * 60))
    for i in range(4):
        assert _fail_login(client, f"personne{i}@exemple.fr").status_code == 401
    assert _fail_login(client, "encore@exemple.fr").status_code == 429
    assert _fail_login(client, "encore@exemple.fr", address="192.0.2.99").status_code == 401


def test_registrations_per_address_are_limited(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "REGISTRATIONS_PER_ADDRESS", Limit("register-address", 2, 3600))
    form = {"full_name": "Camille Martin", "profession": "", "password": PASSWORD, "confirm": PASSWORD}
    statuses = []
    for i in range(3):
        response = client.post("/register", data={**form, "email": f"c{i}@exemple.fr"}, environ_base={"REMOTE_ADDR": "192.0.2.5"})
        statuses.append(response.status_code)
        client.post("/logout")
    assert statuses == [302, 302, 429]


def test_reset_requests_are_limited_per_account_whether_it_exists_or_not(client, learner, monkeypatch):
    monkeypatch.setattr(ratelimit, "RESET_REQUESTS_PER_ACCOUNT", Limit("reset-account", 2, 3600))
    for email in (learner.email, "inconnu@exemple.fr"):
        statuses = [
            client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}).status_code
            for i in range(3)
        ]
        assert statuses == [200, 200, 429]
