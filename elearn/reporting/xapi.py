"""Completion records as xAPI 1.0.3 statements, for learning record stores.

Three kinds of statement, with the ADL verbs:

- ``completed`` a module (result: completion, success and score when the module has quizzes, duration =
  active time on the module);
- ``passed`` / ``failed`` a quiz attempt (result: score scaled/raw/min/max, success, completion);
- ``experienced`` a module on a given day (result: duration = active time that day).

Statement ids are UUIDs derived (uuid5) from what the statement is about, so exporting twice yields the
same ids and a learning record store recognises statements it already holds. The actor is identified by
an account on the platform (``homePage`` + learner number), not by e-mail, unless configured otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.models import ActiveTime, ModuleProgress, QuizAttempt, User
from elearn.reporting.catalog import Catalog
from elearn.reporting.conditions import day_in_period, learner_conditions, moment_in_period
from elearn.reporting.durations import iso8601
from elearn.reporting.filters import ReportFilters
from elearn.reporting.records import same_learner_module, stream, time_totals

XAPI_VERSION = "1.0.3"

VERBS = {
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "a terminé"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "a réussi"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "a échoué à"),
    "experienced": ("http://adlnet.gov/expapi/verbs/experienced", "a suivi"),
}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"

#: ``ELEARN_XAPI_ACTOR`` values.
ACTOR_ACCOUNT = "account"
ACTOR_MBOX = "mbox"


@dataclass(frozen=True)
class StatementContext:
    """What every statement of one export shares: where activities live and how actors are named."""

    base_url: str
    catalog: Catalog
    actor_mode: str = ACTOR_ACCOUNT

    @property
    def root(self) -> str:
        return self.base_url.rstrip("/")

    @property
    def namespace(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, self.root)

    def statement_id(self, *key: object) -> str:
        return str(uuid.uuid5(self.namespace, "/".join(str(part) for part in key)))

    def actor(self, user_id: int, full_name: str, email: str) -> dict[str, Any]:
        if self.actor_mode == ACTOR_MBOX:
            return {"objectType": "Agent", "name": full_name, "mbox": f"mailto:{email}"}
        return {"objectType": "Agent", "account": {"homePage": self.root + "/", "name": str(user_id)}}

    def module_activity(self, slug: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.root}/modules/{quote(slug)}",
            "definition": {"name": {"fr-FR": self.catalog.title(slug)}, "type": MODULE_TYPE},
        }

    def quiz_activity(self, slug: str, quiz_id: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.root}/modules/{quote(slug)}/quiz/{quote(quiz_id)}",
            "definition": {"name": {"fr-FR": f"{self.catalog.title(slug)} — quiz {quiz_id}"}, "type": ASSESSMENT_TYPE},
        }


def timestamp(moment: datetime) -> str:
    """ISO 8601 with an explicit UTC offset (stored datetimes are UTC, naive from SQLite)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def verb(name: str) -> dict[str, Any]:
    iri, french = VERBS[name]
    return {"id": iri, "display": {"en-US": name, "fr-FR": french}}


def score(raw: float, maximum: float) -> dict[str, float]:
    """An xAPI score: raw between min (0) and max, scaled = raw / max in [0, 1]."""
    raw = min(max(raw, 0.0), maximum)
    return {"scaled": round(raw / maximum, 4), "raw": raw, "min": 0, "max": maximum}


def _statement(ctx: StatementContext, key: tuple, actor: dict, verb_name: str, obj: dict, result: dict, at: datetime) -> dict:
    return {
        "id": ctx.statement_id(*key),
        "actor": actor,
        "verb": verb(verb_name),
        "object": obj,
        "result": result,
        "context": {"platform": "elearn", "language": "fr-FR"},
        "timestamp": timestamp(at),
        "version": XAPI_VERSION,
    }


def _learners(statement: Any, user_id: Any, filters: ReportFilters, ctx: StatementContext) -> Any:
    statement = statement.join(User, col(User.id) == user_id).where(*learner_conditions(filters, ctx.catalog))
    return statement


def completed_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[dict]:
    progress, spent = ModuleProgress, time_totals()
    statement = select(
        col(User.id), col(User.full_name), col(User.email), col(progress.module_slug),
        col(progress.completed_at), col(progress.completion_score), spent.c.seconds,
    ).select_from(progress)
    statement = _learners(statement, col(progress.user_id), filters, ctx).outerjoin(spent, same_learner_module(spent))
    statement = statement.where(col(progress.completed_at).is_not(None), *moment_in_period(col(progress.completed_at), filters))
    if filters.module:
        statement = statement.where(col(progress.module_slug) == filters.module)
    for user_id, name, email, slug, completed_at, module_score, seconds in stream(session, statement.order_by(col(User.id))):
        result: dict[str, Any] = {"completion": True, "duration": iso8601(seconds)}
        if module_score is not None:
            result |= {"success": True, "score": score(float(module_score), 100.0)}
        actor = ctx.actor(user_id, name, email)
        yield _statement(ctx, ("completed", user_id, slug), actor, "completed", ctx.module_activity(slug), result, completed_at)


def attempt_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[dict]:
    attempt = QuizAttempt
    statement = select(
        col(User.id), col(User.full_name), col(User.email), col(attempt.module_slug), col(attempt.quiz_id),
        col(attempt.attempt_number), col(attempt.points), col(attempt.max_points), col(attempt.passed),
        col(attempt.submitted_at),
    ).select_from(attempt)
    statement = _learners(statement, col(attempt.user_id), filters, ctx)
    statement = statement.where(*moment_in_period(col(attempt.submitted_at), filters))
    if filters.module:
        statement = statement.where(col(attempt.module_slug) == filters.module)
    order = (col(User.id), col(attempt.submitted_at))
    for user_id, name, email, slug, quiz_id, number, points, maximum, passed, at in stream(session, statement.order_by(*order)):
        result: dict[str, Any] = {"success": bool(passed), "completion": True}
        if maximum and maximum > 0:
            result["score"] = score(float(points), float(maximum))
        key = ("attempt", user_id, slug, quiz_id, number)
        stmt = _statement(ctx, key, ctx.actor(user_id, name, email), "passed" if passed else "failed",
                          ctx.quiz_activity(slug, quiz_id), result, at)
        stmt["context"]["contextActivities"] = {"parent": [ctx.module_activity(slug)]}
        yield stmt


def experienced_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[dict]:
    active = ActiveTime
    statement = select(
        col(User.id), col(User.full_name), col(User.email), col(active.module_slug), col(active.day),
        func.sum(col(active.seconds)), func.max(col(active.last_activity_at)),
    ).select_from(active)
    statement = _learners(statement, col(active.user_id), filters, ctx).where(*day_in_period(col(active.day), filters))
    if filters.module:
        statement = statement.where(col(active.module_slug) == filters.module)
    group = (col(User.id), col(User.full_name), col(User.email), col(active.module_slug), col(active.day))
    statement = statement.group_by(*group).having(func.sum(col(active.seconds)) > 0).order_by(col(User.id), col(active.day))
    for user_id, name, email, slug, day, seconds, last in stream(session, statement):
        at = last or datetime.combine(day, time(0))
        key = ("experienced", user_id, slug, day.isoformat())
        yield _statement(ctx, key, ctx.actor(user_id, name, email), "experienced", ctx.module_activity(slug),
                         {"duration": iso8601(seconds)}, at)


def statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[dict]:
    """Every statement matching ``filters``: completions, then quiz attempts, then days of activity."""
    yield from completed_statements(session, filters, ctx)
    yield from attempt_statements(session, filters, ctx)
    yield from experienced_statements(session, filters, ctx)
