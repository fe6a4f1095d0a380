"""Who may show elearn in a frame: the registered LTI platforms, and nobody else.

Without a platform the pages keep ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY``). With
platforms, ``frame-ancestors`` lists ``'self'`` and each platform's origins (its issuer and its
authorisation endpoint), and ``X-Frame-Options`` is left out (it cannot name several origins; browsers
that know CSP ignore it anyway). The list is read at most every :data:`REFRESH_SECONDS` per process,
and at once in the process where an administrator saved a platform.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Flask
from sqlmodel import Session, select

from elearn.db import get_engine
from elearn.models import LtiPlatform

REFRESH_SECONDS = 30.0
_KEY = "elearn.lti.frame_origins"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def frame_origins(app: Flask) -> tuple[str, ...]:
    """Origins of the registered platforms (cached per process)."""
    cached = app.extensions.get(_KEY)
    now = time.monotonic()
    if cached is not None and now - cached[0] < REFRESH_SECONDS:
        return cached[1]
    try:
        with Session(get_engine(app)) as session:
            rows = session.exec(select(LtiPlatform.issuer, LtiPlatform.auth_url)).all()
    except Exception:  # noqa: BLE001 - no table yet (before migrations) or database down: no framing
        rows = []
    origins = tuple(sorted({o for row in rows for o in map(_origin, row) if o}))
    app.extensions[_KEY] = (now, origins)
    return origins


def forget_frame_origins(app: Flask) -> None:
    app.extensions.pop(_KEY, None)


def content_security_policy(base: str, origins: tuple[str, ...], form_action: str | None = None) -> str:
    """``base`` with frame-ancestors opened to ``origins`` and form-action to ``form_action``."""
    policy = base
    if origins:
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self' " + " ".join(origins))
    if form_action:
        policy = policy.replace("form-action 'self'", f"form-action 'self' {form_action}")
    return policy
