"""Session cookies that slide without being rewritten on every response.

A logged-in session ends ``PERMANENT_SESSION_LIFETIME`` (14 days) after the cookie was last written, so
it lasts as long as the learner keeps coming back; without « Rester connecté·e » its cookie is also a
browser-session cookie, gone when the browser closes (the 14 days still apply to a browser left open). Flask slides that date by rewriting
the cookie on every response (``SESSION_REFRESH_EACH_REQUEST``): serialising, compressing and signing
the session and sending it again on every page, heartbeat and media file, whose cost the benchmark shows
on the server and on the client. Here a cookie nobody changed is rewritten only once it is
:data:`REWRITE_AFTER` old: the session still ends 14 days after the last visit, give or take that delay.
A changed session (log-in, log-out, a flashed message) is written at once, as before.

Checking a cookie's signature (and decoding, decompressing and parsing it) was a fifth of the stack's
cost under every request, for the same cookie again and again. Each worker keeps the cookies it has
verified lately, with their data and signing date: a cookie seen before, byte for byte, is not
verified again, but its age still is on every request. Only sessions of plain values are kept (a
session holding a list, such as flashed messages, could be changed in place by the request).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

#: How old an unchanged session cookie gets before it is written again to push its expiry back.
REWRITE_AFTER = timedelta(hours=1)
#: How many verified cookies a worker keeps (the oldest go first): about 4 MB for a learner's cookie and
#: session (measured with tracemalloc, 4,096 logged-in sessions); more if sessions grew larger.
VERIFIED_KEPT = 4096
#: Where the verified cookies are kept in ``app.extensions``, per signing keys.
_VERIFIED_KEY = "elearn.verified_sessions"
_PLAIN = (str, int, float, bool, type(None))


class SlidingSession(SecureCookieSession):
    """A cookie session that knows when its cookie was signed (None: no valid cookie came in)."""

    signed_at: datetime | None = None


class SlidingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, rewritten when changed or when :data:`REWRITE_AFTER` old."""

    session_class = SlidingSession

    _lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SlidingSession | None:
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        verified = self._verified(app)
        known = verified.get(value)
        if known is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(  # type: ignore[union-attr]
                    value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            if all(isinstance(item, _PLAIN) for item in data.values()):
                self._keep(verified, value, (data, signed_at))
        else:
            data, signed_at = known
            age = int(time.time()) - int(signed_at.timestamp())
            if age > max_age or age < 0:  # as itsdangerous decides (SignatureExpired)
                return self.session_class()
        session = self.session_class(data)  # a copy: the kept data stays as it was signed
        session.signed_at = signed_at
        return session

    @staticmethod
    def _verified(app: Flask) -> dict[str, tuple[dict[str, Any], datetime]]:
        """The cookies verified with the application's current signing keys."""
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = app.extensions.get(_VERIFIED_KEY)
        if kept is None or kept[0] != keys:
            kept = app.extensions[_VERIFIED_KEY] = (keys, {})
        return kept[1]

    def _keep(self, verified: dict[str, tuple[dict[str, Any], datetime]], value: str, entry: tuple[dict[str, Any], datetime]) -> None:
        with self._lock:
            if len(verified) >= VERIFIED_KEPT:
                del verified[next(iter(verified))]
            verified[value] = entry

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not app.config["SESSION_REFRESH_EACH_REQUEST"]:  # permanent or not: the signing date slides
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REWRITE_AFTER
