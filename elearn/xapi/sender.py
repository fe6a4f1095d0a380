"""The xAPI channel of the outbox: queued facts rendered as statements and posted to the LRS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from elearn.config import DEFAULT_BASE_URL
from elearn.outbox.delivery import Transport
from elearn.reporting.catalog import current_catalog
from elearn.reporting.xapi import ACTOR_ACCOUNT, StatementContext
from elearn.xapi.lrs import LrsTransport, lrs_config


def statement_context(config: Mapping[str, Any]) -> StatementContext:
    """Where activities live and how actors are named, as in the export."""
    return StatementContext(
        config.get("ELEARN_BASE_URL") or DEFAULT_BASE_URL, current_catalog(), config.get("ELEARN_XAPI_ACTOR") or ACTOR_ACCOUNT
    )


def xapi_transport(session: Session, config: Mapping[str, Any]) -> Transport | None:
    """The LRS transport, or None while no LRS is set."""
    lrs = lrs_config(session, config)
    if lrs is None:
        return None
    return LrsTransport(session, lrs, statement_context(config))
