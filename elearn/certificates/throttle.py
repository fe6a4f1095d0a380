"""Rate limit of the public verification page against code enumeration.

Counters live in the database (one row per client and fixed time window) so that every worker process
sees the same count. Only lookups of unknown codes count: an employer checking many real certificates
is never blocked, someone guessing codes is after ``limit`` misses per window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from sqlalchemy import delete
from sqlmodel import Session, select

from elearn.learning.upsert import upsert
from elearn.models import VerificationThrottle

WINDOW_SECONDS = 15 * 60
DEFAULT_LIMIT = 20
#: Rows older than this are deleted: they no longer matter and an IP address hash is personal data.
KEEP_SECONDS = 24 * 60 * 60


def client_key(address: str, secret: str) -> str:
    """A keyed hash of the client's address: enough to count, useless to identify anyone."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _window(now: float) -> int:
    return int(now) - int(now) % WINDOW_SECONDS


def is_blocked(session: Session, client: str, limit: int = DEFAULT_LIMIT, now: float | None = None) -> bool:
    """True when ``client`` has looked up ``limit`` unknown codes in the current window."""
    row = session.get(VerificationThrottle, (client, _window(time.time() if now is None else now)))
    return row is not None and row.misses >= limit


def record_miss(session: Session, client: str, now: float | None = None) -> None:
    """Count one unknown code for ``client`` (atomically, whatever the number of workers) and commit."""
    now = time.time() if now is None else now
    table = VerificationThrottle.__table__  # type: ignore[attr-defined]
    upsert(
        session,
        table,
        {"client": client, "window_start": _window(now), "misses": 1},
        ["client", "window_start"],
        {"misses": table.c.misses + 1},
    )
    session.exec(delete(VerificationThrottle).where(VerificationThrottle.window_start < int(now) - KEEP_SECONDS))  # type: ignore[call-overload,arg-type]
    session.commit()


def misses(session: Session, client: str, now: float | None = None) -> int:
    """Unknown codes counted for ``client`` in the current window (for tests and operators)."""
    statement = select(VerificationThrottle.misses).where(
        VerificationThrottle.client == client, VerificationThrottle.window_start == _window(time.time() if now is None else now)
    )
    return session.exec(statement).first() or 0
