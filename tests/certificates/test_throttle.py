"""The verification rate limit counts unknown codes per client and window, in the database."""

from __future__ import annotations

from sqlmodel import select

from elearn.certificates import throttle
from elearn.models import VerificationThrottle

NOW = 1_800_000_000.0  # a fixed moment, at a window boundary or not: the arithmetic decides


def test_client_key_hides_the_address_but_is_stable():
    key = throttle.client_key("203.0.113.7", "secret")
    assert key == throttle.client_key("203.0.113.7", "secret") and "203" not in key
    assert key != throttle.client_key("203.0.113.8", "secret") != throttle.client_key("203.0.113.7", "other")


def test_blocked_after_the_limit_within_a_window(session):
    for _ in range(3):
        assert not throttle.is_blocked(session, "a", limit=3, now=NOW)
        throttle.record_miss(session, "a", now=NOW)
    assert throttle.is_blocked(session, "a", limit=3, now=NOW)
    assert not throttle.is_blocked(session, "b", limit=3, now=NOW)  # another client is not affected
    assert throttle.misses(session, "a", now=NOW) == 3


def test_next_window_starts_afresh(session):
    for _ in range(3):
        throttle.record_miss(session, "a", now=NOW)
    assert not throttle.is_blocked(session, "a", limit=3, now=NOW + throttle.WINDOW_SECONDS)


def test_old_rows_are_deleted(session):
    throttle.record_miss(session, "old", now=NOW)
    throttle.record_miss(session, "new", now=NOW + throttle.KEEP_SECONDS + throttle.WINDOW_SECONDS)
    assert [row.client for row in session.exec(select(VerificationThrottle))] == ["new"]
