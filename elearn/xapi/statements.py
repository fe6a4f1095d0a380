"""The outbox's xAPI messages as statements, in the shapes of :mod:`elearn.reporting.xapi`.

A ``completed`` or ``passed``/``failed`` statement sent live has the id, and the text, the export gives
the same fact, so a learning record store fed both ways keeps one copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from elearn.models import User
from elearn.models.outbox import OutboxMessage
from elearn.reporting.xapi import (
    ACTOR_ACCOUNT,
    StatementContext,
    attempt_result,
    completed_result,
    statement_text,
)


def _answered_result(success: bool, response: list[str]) -> str:
    return f'{{"success": {"true" if success else "false"}, "response": {json.dumps("[,]".join(response), ensure_ascii=False)}}}'


def render(ctx: StatementContext, message: OutboxMessage, actor: str) -> list[str]:
    """The statements of one queued message, as JSON text: one, or for a quiz attempt an ``answered``
    statement per question followed by the attempt's ``passed``/``failed``."""
    p = message.payload
    at = datetime.fromisoformat(p["at"])
    statement_id = ctx.statement_id(message.key)
    verb = p["verb"]
    if verb == "launched":
        return [statement_text(statement_id, actor, ctx.shape("launched", p["module"]), None, at)]
    if verb == "experienced":
        return [statement_text(statement_id, actor, ctx.shape("experienced", p["module"], section_id=p["section"]), None, at)]
    if verb in ("passed", "failed"):
        return [*_answers(ctx, message, actor, at), statement_text(
            statement_id, actor, ctx.shape(verb, p["module"], p["quiz"]),
            attempt_result(verb == "passed", p["points"], p["max_points"]), at,
        )]
    if verb == "completed":
        result = completed_result(p["seconds"], p["score"])
        return [statement_text(statement_id, actor, ctx.shape("completed", p["module"]), result, at)]
    if verb == "earned":
        return [statement_text(statement_id, actor, ctx.certificate_shape(p["url"], p["path"]), None, at)]
    raise ValueError(f"unknown xAPI message verb {verb!r} (message {message.id})")


def _answers(ctx: StatementContext, message: OutboxMessage, actor: str, at: datetime) -> list[str]:
    """``answered`` statements of a quiz attempt's questions; ids from ``answered/<user>/<module>/<quiz>/<number>/<question>``."""
    p = message.payload
    base = f"answered/{message.user_id}/{p['module']}/{p['quiz']}/{p['number']}"
    return [
        statement_text(ctx.statement_id(f"{base}/{question_id}"), actor,
                       ctx.shape("answered", p["module"], p["quiz"], question_id=question_id),
                       _answered_result(success, response), at)
        for question_id, (success, response) in p.get("responses", {}).items()
    ]


def actors(session: Session, ctx: StatementContext, messages: Sequence[OutboxMessage]) -> Callable[[OutboxMessage], str]:
    """The actor of each message, as JSON; learners' names and addresses are read in one query when the
    actor is named by them."""
    people: dict[int, tuple[str, str]] = {}
    ids = {m.user_id for m in messages if m.user_id is not None}
    if ids and ctx.actor_mode != ACTOR_ACCOUNT:
        rows = session.exec(select(User.id, User.full_name, User.email).where(col(User.id).in_(ids)))
        people = {user_id: (name, email) for user_id, name, email in rows}

    def actor(message: OutboxMessage) -> str:
        user_id = message.user_id or 0
        return ctx.actor(user_id, *people.get(user_id, ("", "")))

    return actor
