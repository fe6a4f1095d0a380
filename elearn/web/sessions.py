"""Session cookies that slide without being rewritten on every response.

A logged-in session ends ``PERMANENT_SESSION_LIFETIME`` (14 days) after the cookie was last written, so
it lasts as long as the learner keeps coming back; without « Rester connecté·e » its cookie is also a
browser-session cookie, gone when the browser closes (the 14 days still apply to a browser left open). Flask slides that date by rewriting
the cookie on every response (``SESSION_REFRESH_EACH_REQUEST``): serialising, compressing and signing
the session and sending it again on every page, heartbeat and media file, whose cost the benchmark shows
on the server and on the client. Here a cookie nobody changed is rewritten only once it is
:data:`REWRITE_AFTER` old: the session still ends 14 days after the last visit, give or take that delay.
A changed session (log-in, log-out, a flashed message) is written at once, as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

#: How old an unchanged session cookie gets before it is written again to push its expiry back.
REWRITE_AFTER = timedelta(hours=1)


class SlidingSession(SecureCookieSession):
    """A cookie session that knows when its cookie was signed (None: no valid cookie came in)."""

    signed_at: datetime | None = None


class SlidingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, rewritten when changed or when :data:`REWRITE_AFTER` old."""

    session_class = SlidingSession

    def open_session(self, app: Flask, request: Request) -> SlidingSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not app.config["SESSION_REFRESH_EACH_REQUEST"]:  # permanent or not: the signing date slides
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REWRITE_AFTER
