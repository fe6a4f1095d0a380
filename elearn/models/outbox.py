"""The outbox: messages to other systems, written in the same transaction as the facts they report.

A learner's progress and the xAPI statement that describes it (or the score an LMS gradebook must
receive) are committed together or not at all; a sender delivers them afterwards, in order, retrying
with backoff until the peer accepts them. Nothing is lost when the peer is down, and nothing is sent
for a change that was rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from elearn.models.base import utcnow

#: Channels of the outbox, each delivered by its own sender in ``id`` order.
XAPI = "xapi"
LTI_SCORE = "lti_score"


class OutboxMessage(SQLModel, table=True):
    """One message waiting for (or past) delivery.

    ``key`` names what the message is about (``completed/12/module-slug``); it is unique per channel, so
    recording the same fact twice (two tabs, a retried request) stores one message. For xAPI it is also
    what the statement's deterministic id is derived from.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (UniqueConstraint("channel", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    #: Queries by channel use the unique (channel, key) index; no index of their own, each costs every insert.
    channel: str = Field(max_length=16)
    key: str = Field(max_length=400)
    user_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = None
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    sent_at: datetime | None = Field(default=None, index=True)


class LrsSettings(SQLModel, table=True):
    """The learning record store set in Administration (one row); ``ELEARN_XAPI_LRS_*`` take precedence."""

    __tablename__ = "lrs_settings"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(default="", max_length=500)
    username: str = Field(default="", max_length=200)
    password: str = Field(default="", max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)
