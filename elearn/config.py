"""Application configuration, read from ``ELEARN_*`` environment variables with safe defaults.

Everything an operator may change lives here, so a deployment is described by its environment alone.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from elearn.private_files import create_once

#: Project root when running from a checkout: modules/ and media/ live beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Base of xAPI activity ids when ELEARN_BASE_URL is not set (same default as printed reset links).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def load_or_create_secret_key(instance_path: Path) -> str:
    """Return the secret key kept in ``instance/secret_key``, creating it on first use.

    Keeping it on disk (mode 0600) means sessions and remember-me cookies survive a restart without the
    operator having to invent a key; ``ELEARN_SECRET_KEY`` overrides it for multi-machine deployments.
    Several workers starting together must end with the same key, or a session made by one is refused
    by the others: the first complete file to appear wins and everyone reads it.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        create_once(key_file, secrets.token_hex(32).encode("ascii"))
    return _read_key(key_file)


def _read_key(key_file: Path, attempts: int = 50, pause: float = 0.02) -> str:
    """The key in ``key_file``; an empty file (one still being written by older code) is read again."""
    for _ in range(attempts):
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(pause)
    raise RuntimeError(f"{key_file} is empty: delete it (sessions will restart) or set ELEARN_SECRET_KEY.")


#: How long a session lasts after the last visit, and how long the remember-me cookie lasts.
SESSION_LIFETIME = timedelta(days=14)


@dataclass
class Settings:
    """The settings the application factory turns into Flask config keys."""

    instance_path: Path = field(default_factory=lambda: Path(_env("ELEARN_INSTANCE_DIR", str(PROJECT_ROOT / "instance"))))
    database_url: str | None = field(default_factory=lambda: _env("ELEARN_DATABASE_URL"))
    secret_key: str | None = field(default_factory=lambda: _env("ELEARN_SECRET_KEY"))
    modules_dir: Path = field(default_factory=lambda: Path(_env("ELEARN_MODULES_DIR", str(PROJECT_ROOT / "modules"))))
    media_dir: Path = field(default_factory=lambda: Path(_env("ELEARN_MEDIA_DIR", str(PROJECT_ROOT / "media"))))
    admin_email: str = field(default_factory=lambda: _env("ELEARN_ADMIN_EMAIL", "admin@example.org") or "")
    secure_cookies: bool = field(default_factory=lambda: _env("ELEARN_SECURE_COOKIES", "0") == "1")
    #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (rate limits need
    #: the client's real address). 0: none, the app faces clients directly.
    proxy_hops: int = field(default_factory=lambda: int(_env("ELEARN_PROXY_HOPS", "0") or 0))
    base_url: str | None = field(default_factory=lambda: _env("ELEARN_BASE_URL"))
    #: How xAPI exports identify learners: "account" (platform number) or "mbox" (e-mail address).
    xapi_actor: str = field(default_factory=lambda: _env("ELEARN_XAPI_ACTOR", "account") or "account")
    #: Outgoing mail server for account invitations (``smtp://user:password@host:587``, ``smtps://...``);
    #: without it, administrators hand the links over themselves.
    smtp_url: str | None = field(default_factory=lambda: _env("ELEARN_SMTP_URL"))
    mail_from: str | None = field(default_factory=lambda: _env("ELEARN_MAIL_FROM"))

    #: The learning record store that live statements go to (else the one set in Administration).
    xapi_lrs_url: str | None = field(default_factory=lambda: _env("ELEARN_XAPI_LRS_URL"))
    xapi_lrs_username: str | None = field(default_factory=lambda: _env("ELEARN_XAPI_LRS_USERNAME"))
    xapi_lrs_password: str | None = field(default_factory=lambda: _env("ELEARN_XAPI_LRS_PASSWORD"))

    def effective_database_url(self) -> str:
        """``ELEARN_DATABASE_URL``, or the SQLite file of the instance folder."""
        return self.database_url or f"sqlite:///{self.instance_path / 'elearn.sqlite3'}"

    def to_flask(self) -> dict[str, object]:
        """Map the settings onto the Flask config dictionary."""
        instance = self.instance_path
        database_url = self.effective_database_url()
        return {
            "SECRET_KEY": self.secret_key or load_or_create_secret_key(instance),
            "ELEARN_INSTANCE_DIR": str(instance),
            "ELEARN_DATABASE_URL": database_url,
            "ELEARN_MODULES_DIR": str(self.modules_dir),
            "ELEARN_MEDIA_DIR": str(self.media_dir),
            "ELEARN_ADMIN_EMAIL": self.admin_email,
            "ELEARN_BASE_URL": self.base_url,
            "ELEARN_XAPI_ACTOR": self.xapi_actor,
            "ELEARN_XAPI_LRS_URL": self.xapi_lrs_url,
            "ELEARN_XAPI_LRS_USERNAME": self.xapi_lrs_username,
            "ELEARN_XAPI_LRS_PASSWORD": self.xapi_lrs_password,
            "ELEARN_PROXY_HOPS": self.proxy_hops,
            "ELEARN_SMTP_URL": self.smtp_url,
            "ELEARN_MAIL_FROM": self.mail_from,
            "SESSION_COOKIE_HTTPONLY": True,
            # Over HTTPS, sessions must also work inside an LMS's iframe (LTI): a third-party context.
            "SESSION_COOKIE_SAMESITE": "None" if self.secure_cookies else "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "None" if self.secure_cookies else "Lax",
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            # One lifetime for both cookies (docs/security.md): a session ends 14 days after the last
            # visit; « Rester connecté·e » keeps it across browser restarts for as long, not a year.
            "PERMANENT_SESSION_LIFETIME": SESSION_LIFETIME,
            "REMEMBER_COOKIE_DURATION": SESSION_LIFETIME,
            "WTF_CSRF_TIME_LIMIT": None,
            "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        }
