"""Rate limits and log-in lock-out, counted in the database so every worker process shares them.

Why the database: several gunicorn workers (or machines) serve the same people; counters in memory
would multiply an attacker's budget by the number of workers. SQLite and PostgreSQL both run
``INSERT ... ON CONFLICT DO UPDATE`` atomically, so two requests counting at once never lose a hit.

Two tools, both keyed by an action and a subject (an IP address, an e-mail address):

- :func:`count` and :func:`check`: at most ``limit`` hits per sliding window, estimated from the
  current fixed window and the previous one weighted by how much of it still overlaps (no burst of
  twice the limit across a window boundary, two rows per key at most).
- :func:`record_failure`, :func:`lockout_remaining`, :func:`clear_failures`: after a few failed log-ins
  for one account *from one address*, each further attempt must wait a delay that doubles, capped at
  15 minutes. Never a permanent lock, and an attacker elsewhere does not delay the real person.

Subjects are stored as keyed hashes (HMAC with the app's secret key): the table can recognise a client
but holds no address in clear, and rows are purged once they no longer matter.

The last part of the module applies these to the current Flask request (:func:`enforce`,
:func:`guard_login` ...), answering 429 with a ``Retry-After`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
import time
from dataclasses import dataclass
from typing import NoReturn

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import case, delete
from sqlmodel import Session, select
from werkzeug.exceptions import TooManyRequests

from elearn.db import get_session
from elearn.learning.upsert import upsert
from elearn.models import RateLimitCounter


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits of ``action`` per subject in any ``window`` seconds."""

    action: str
    limit: int
    window: int


@dataclass(frozen=True)
class Verdict:
    """Whether the hit is allowed and, if not, how many seconds until one more would be."""

    allowed: bool
    retry_after: int = 0


#: Failed log-ins for one account from one address that cost nothing; then the delay doubles.
FREE_FAILURES = 5
FIRST_DELAY = 30
MAX_DELAY = 15 * 60
#: Failure counts are forgotten after a day without failure.
FAILURE_MEMORY = 24 * 60 * 60
#: Share of hits that also delete expired rows (cheap, and no scheduler is needed).
PURGE_CHANCE = 0.02
#: Lock-out rows use this window start: they count failures without time windows.
_NO_WINDOW = 0


def subject_key(secret: str, action: str, subject: str) -> str:
    """The stored key: an HMAC, so the table never holds an address or e-mail in clear."""
    return hmac.new(secret.encode(), f"{action}\0{subject}".encode(), hashlib.sha256).hexdigest()


def _now(now: float | None) -> int:
    return int(time.time() if now is None else now)


def _bump(session: Session, key: str, window_start: int, now: int, expires_at: int) -> None:
    table = RateLimitCounter.__table__  # type: ignore[attr-defined]
    upsert(
        session,
        table,
        {"key": key, "window_start": window_start, "count": 1, "last_hit": now, "expires_at": expires_at},
        ["key", "window_start"],
        # A row past its expiry that was not purged yet starts again from one.
        {"count": case((table.c.expires_at < now, 1), else_=table.c.count + 1), "last_hit": now, "expires_at": expires_at},
    )


def _window_counts(session: Session, key: str, start: int, window: int) -> tuple[int, int]:
    """Hits in the current window and in the previous one."""
    rows = session.exec(
        select(RateLimitCounter.window_start, RateLimitCounter.count).where(
            RateLimitCounter.key == key,
            RateLimitCounter.window_start.in_([start, start - window]),  # type: ignore[attr-defined]
        )
    ).all()
    counts = dict(rows)
    return counts.get(start, 0), counts.get(start - window, 0)


def seconds_until_room(current: int, previous: int, elapsed: int, limit: Limit) -> int:
    """Seconds until the sliding estimate leaves room for one more hit (``<= limit - 1``)."""
    room = limit.limit - 1
    window = limit.window
    if current > room:
        # Only the next window can help: its estimate is ``current`` weighted by the remaining overlap.
        return window - elapsed + math.ceil(window * (1 - room / current))
    # Within this window the previous one's weight decays until the estimate fits.
    return max(1, math.ceil(window * (1 - (room - current) / previous)) - elapsed)


def _verdict(session: Session, key: str, limit: Limit, now: int, *, counting: bool) -> Verdict:
    start = now - now % limit.window
    elapsed = now - start
    current, previous = _window_counts(session, key, start, limit.window)
    estimate = previous * (limit.window - elapsed) / limit.window + current
    # A counted hit is already in ``current``; a check asks whether one more would still fit.
    allowed = estimate <= limit.limit if counting else estimate + 1 <= limit.limit
    if allowed:
        return Verdict(True)
    return Verdict(False, seconds_until_room(current, previous, elapsed, limit))


def check(session: Session, secret: str, limit: Limit, subject: str, now: float | None = None) -> Verdict:
    """Would one more hit be allowed? Counts nothing (for limits counted only on failure)."""
    return _verdict(session, subject_key(secret, limit.action, subject), limit, _now(now), counting=False)


def count(session: Session, secret: str, limit: Limit, subject: str, now: float | None = None) -> Verdict:
    """Record one hit and commit it, then say whether it was within the limit."""
    moment = _now(now)
    key = subject_key(secret, limit.action, subject)
    start = moment - moment % limit.window
    _bump(session, key, start, moment, expires_at=start + 2 * limit.window)
    verdict = _verdict(session, key, limit, moment, counting=True)
    _maybe_purge(session, moment)
    session.commit()
    return verdict


def lockout_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: 0, then 30 s doubling up to 15 min."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY)


def lockout_remaining(session: Session, secret: str, action: str, subject: str, now: float | None = None) -> int:
    """Seconds before ``subject`` may try ``action`` again (0: now)."""
    moment = _now(now)
    row = session.get(RateLimitCounter, (subject_key(secret, action, subject), _NO_WINDOW))
    if row is None or row.expires_at < moment:
        return 0
    return max(0, row.last_hit + lockout_delay(row.count) - moment)


def record_failure(session: Session, secret: str, action: str, subject: str, now: float | None = None) -> int:
    """Count one failure for ``subject``, commit, and return the delay it now has to wait."""
    moment = _now(now)
    _bump(session, subject_key(secret, action, subject), _NO_WINDOW, moment, expires_at=moment + FAILURE_MEMORY)
    _maybe_purge(session, moment)
    session.commit()
    return lockout_remaining(session, secret, action, subject, moment)


def clear_failures(session: Session, secret: str, action: str, subject: str) -> None:
    """Forget the failures of ``subject`` (after a success) and commit."""
    key = subject_key(secret, action, subject)
    session.exec(delete(RateLimitCounter).where(RateLimitCounter.key == key))  # type: ignore[call-overload,arg-type]
    session.commit()


def purge_expired(session: Session, now: float | None = None) -> int:
    """Delete rows that no longer affect any decision; returns how many (not committed)."""
    result = session.exec(delete(RateLimitCounter).where(RateLimitCounter.expires_at < _now(now)))  # type: ignore[call-overload,arg-type]
    return result.rowcount


def _maybe_purge(session: Session, now: int) -> None:
    if random.random() < PURGE_CHANCE:  # noqa: S311 - not security-relevant, only spreads the cleaning
        purge_expired(session, now)


# The application's limits ----------------------------------------------------------------------------
# Generous for people (a whole class registering from one hospital network), tight for scripts.

LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", 50, 15 * 60)
#: Across all addresses: slows a distributed guess; browsers that logged into the account before skip it.
LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", 30, 15 * 60)
REGISTRATIONS_PER_ADDRESS = Limit("register-address", 30, 60 * 60)
RESET_REQUESTS_PER_ADDRESS = Limit("reset-address", 20, 60 * 60)
RESET_REQUESTS_PER_ACCOUNT = Limit("reset-account", 5, 60 * 60)
#: Only unknown codes count: an employer checking many real certificates is never blocked.
UNKNOWN_CODES_PER_ADDRESS = Limit("verify-miss", 20, 15 * 60)
#: PDFs checked on /verify/<code> (each costs a signature check and a page read): generous for an
#: employer comparing a few files, a wall for a script.
VERIFY_UPLOADS_PER_ADDRESS = Limit("verify-upload", 30, 15 * 60)
#: « Mon compte », per account: the current password typed to change it (guessing it from a session
#: left open), changes of name or profession, log-out everywhere, erasure requests, data downloads.
PASSWORD_CHECKS_PER_ACCOUNT = Limit("password-check", 10, 15 * 60)
ACCOUNT_CHANGES_PER_ACCOUNT = Limit("account-change", 20, 60 * 60)
DATA_DOWNLOADS_PER_ACCOUNT = Limit("data-download", 10, 60 * 60)
LOGIN_LOCKOUT = "login-lockout"
DEVICE_COOKIE = "elearn_device"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60


# Flask glue --------------------------------------------------------------------------------------------


def client_address() -> str:
    """The client's IP address (behind a reverse proxy, set ``ELEARN_PROXY_HOPS`` so this is right)."""
    return request.remote_addr or "unknown"


def _secret() -> str:
    return str(current_app.secret_key)


def too_many(retry_after: int) -> NoReturn:
    """Answer 429; the error page shows the wait and the response carries ``Retry-After``."""
    raise TooManyRequests(retry_after=max(1, retry_after))


def enforce(limit: Limit, subject: str | None = None) -> None:
    """Count a hit for ``subject`` (default: the client's address) and answer 429 past the limit."""
    verdict = count(get_session(), _secret(), limit, subject or client_address())
    if not verdict.allowed:
        too_many(verdict.retry_after)


def note(limit: Limit, subject: str | None = None) -> None:
    """Count a hit for ``subject`` (default: the client's address) without refusing this request."""
    count(get_session(), _secret(), limit, subject or client_address())


def ensure_room(limit: Limit, subject: str | None = None) -> None:
    """Answer 429 if one more hit would pass the limit, without counting one."""
    verdict = check(get_session(), _secret(), limit, subject or client_address())
    if not verdict.allowed:
        too_many(verdict.retry_after)


def account_subject(email: str) -> str:
    """The same account whatever the case or surrounding spaces typed."""
    return email.strip().lower()


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(_secret(), salt="elearn.device")


def is_known_device(account: str) -> bool:
    """True when this browser logged into ``account`` before (signed cookie set at log-in)."""
    try:
        value = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return False
    return hmac.compare_digest(str(value), subject_key(_secret(), "device", account))


def guard_login(email: str) -> None:
    """Refuse (429) a log-in attempt before the password is even checked, when it must wait.

    Three counters, only failures count: per address (guessing many accounts), per account and
    address (guessing one password: growing delay), per account from anywhere (a distributed guess;
    a browser that logged into the account before is exempt, so the owner still gets in).
    """
    account, address = account_subject(email), client_address()
    ensure_room(LOGIN_FAILURES_PER_ADDRESS, address)
    remaining = lockout_remaining(get_session(), _secret(), LOGIN_LOCKOUT, f"{account}\0{address}")
    if remaining:
        too_many(remaining)
    if not is_known_device(account):
        ensure_room(LOGIN_FAILURES_PER_ACCOUNT, account)


def login_failed(email: str) -> None:
    """Count a failed log-in against the three counters of :func:`guard_login`."""
    account, address = account_subject(email), client_address()
    record_failure(get_session(), _secret(), LOGIN_LOCKOUT, f"{account}\0{address}")
    note(LOGIN_FAILURES_PER_ADDRESS, address)
    note(LOGIN_FAILURES_PER_ACCOUNT, account)


def login_succeeded(email: str, response: Response) -> Response:
    """Forget this address's failures for the account and mark the browser as known for it."""
    account = account_subject(email)
    clear_failures(get_session(), _secret(), LOGIN_LOCKOUT, f"{account}\0{client_address()}")
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(subject_key(_secret(), "device", account)),
        max_age=DEVICE_COOKIE_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
