"""The learning record store: where it is, and sending it statements over HTTP (xAPI 1.0.3).

The LRS is set by ``ELEARN_XAPI_LRS_URL`` (with ``ELEARN_XAPI_LRS_USERNAME`` and
``ELEARN_XAPI_LRS_PASSWORD``), or else in Administration › xAPI. The URL is the xAPI endpoint
(``https://lrs.example.org/xAPI/``); statements are posted to its ``statements`` resource.

Statements are posted in batches. A statement id the LRS already holds is a success: ids are derived
from what the statement is about, so a resend after a lost answer can only be a copy of what the LRS
has. If a batch fails, its statements are posted one by one (an LRS may refuse a whole batch for one
statement, or because part of it was already stored): the ones before the first failure count as sent.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from elearn.models.outbox import LrsSettings, OutboxMessage
from elearn.outbox.delivery import SendResult
from elearn.reporting.xapi import XAPI_VERSION, StatementContext
from elearn.xapi.statements import actors, render

TIMEOUT_SECONDS = 15
#: Answers after which resending the same statement cannot succeed.
REFUSED_FOR_GOOD = {400}
#: Answers that mean the LRS holds the statement(s) already.
ALREADY_STORED = {409}


@dataclass(frozen=True)
class LrsConfig:
    url: str
    username: str = ""
    password: str = ""
    #: "environment" or "administration": where the settings come from.
    source: str = "environment"

    @property
    def statements_url(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/statements") else url + "/statements"


def lrs_config(session: Session, config: Mapping[str, Any]) -> LrsConfig | None:
    """The LRS to send to, or None when none is set: the environment first, then Administration."""
    if config.get("ELEARN_XAPI_LRS_URL"):
        return LrsConfig(
            config["ELEARN_XAPI_LRS_URL"], config.get("ELEARN_XAPI_LRS_USERNAME") or "",
            config.get("ELEARN_XAPI_LRS_PASSWORD") or "", "environment",
        )
    stored = session.exec(select(LrsSettings).order_by(LrsSettings.id)).first()  # type: ignore[arg-type]
    if stored is None or not stored.url:
        return None
    return LrsConfig(stored.url, stored.username, stored.password, "administration")


@dataclass(frozen=True)
class Answer:
    status: int  # 0 when no HTTP answer came (connection refused, time-out)
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 or self.status in ALREADY_STORED


def post_statements(lrs: LrsConfig, statements: Sequence[str]) -> Answer:
    """POST a JSON array of statements; never raises for the LRS's failure."""
    body = ("[" + ", ".join(statements) + "]").encode()
    request = urllib.request.Request(lrs.statements_url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", XAPI_VERSION)
    if lrs.username or lrs.password:
        token = base64.b64encode(f"{lrs.username}:{lrs.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the operator's URL
            return Answer(response.status, response.read(2000).decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(2000).decode(errors="replace"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Answer(0, str(getattr(error, "reason", error)))


def _describe(answer: Answer) -> str:
    if answer.status == 0:
        return f"LRS injoignable : {answer.text}"
    if answer.status in (401, 403):
        return f"LRS : identifiants refusés (HTTP {answer.status})"
    return f"LRS : HTTP {answer.status} {answer.text.strip()[:300]}"


class LrsTransport:
    """Sends outbox messages to an LRS as statements (an :data:`elearn.outbox.delivery.Transport`)."""

    def __init__(self, session: Session, lrs: LrsConfig, ctx: StatementContext) -> None:
        self._session, self._lrs, self._ctx = session, lrs, ctx

    def __call__(self, messages: Sequence[OutboxMessage]) -> SendResult:
        names = actors(self._session, self._ctx, messages)
        rendered: list[list[str]] = []
        for message in messages:
            try:
                rendered.append(render(self._ctx, message, names(message)))
            except (KeyError, TypeError, ValueError) as error:  # a malformed message never blocks the queue
                if rendered:
                    break
                return SendResult(0, rejected=f"message illisible : {error}")
        if not rendered:
            return SendResult(0)
        answer = post_statements(self._lrs, [text for statements in rendered for text in statements])
        if answer.ok:
            return SendResult(len(rendered))
        if len(rendered) == 1:
            return self._failed(0, answer)
        for index, statements in enumerate(rendered):
            answer = post_statements(self._lrs, statements)
            if not answer.ok:
                return self._failed(index, answer)
        return SendResult(len(rendered))

    @staticmethod
    def _failed(index: int, answer: Answer) -> SendResult:
        if answer.status in REFUSED_FOR_GOOD:
            return SendResult(index, rejected=f"refusé par le LRS : {_describe(answer)}")
        return SendResult(index, error=_describe(answer))


class LrsSettingsError(ValueError):
    """Settings an administrator typed that cannot be used; the message is for them."""


def save_lrs_settings(session: Session, url: str, username: str, password: str | None, *, actor: Any = None) -> LrsSettings:
    """Store the LRS set in Administration (an empty URL turns sending off); ``password`` None keeps the
    stored one. Recorded in the audit trail, without the password. Commits."""
    from urllib.parse import urlsplit

    from elearn.accounts import record
    from elearn.i18n import _
    from elearn.models.base import utcnow

    url = url.strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise LrsSettingsError(_("L'adresse du LRS doit commencer par https:// (ou http://) et nommer un serveur."))
    stored = session.exec(select(LrsSettings).order_by(LrsSettings.id)).first() or LrsSettings()  # type: ignore[arg-type]
    stored.url, stored.username = url, username.strip()
    if password is not None:
        stored.password = password
    stored.updated_at = utcnow()
    session.add(stored)
    record(session, "xapi.lrs_configured", actor=actor, target="lrs", url=url, username=stored.username)
    session.commit()
    return stored
