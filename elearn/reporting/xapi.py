"""Completion records as xAPI 1.0.3 statements, for learning record stores.

The statements' shapes are defined here once, for the export and for the live statements of the outbox
(:mod:`elearn.xapi`): verbs, activities, results, ids. The export writes four kinds of statement, with
the ADL verbs:

- ``completed`` a module (result: completion, success and score when the module has quizzes, duration =
  active time on the module);
- ``passed`` / ``failed`` a quiz attempt (result: score scaled/raw/min/max, success, completion);
- ``experienced`` a module on a given day (result: duration = active time that day);
- ``scored`` an attempt at the path's positioning test or final assessment (result: score, completion,
  and success for the final assessment, which has a pass mark); the « Acquis » export sends these.

Statement ids are UUIDs derived (uuid5) from what the statement is about, so exporting twice yields the
same ids and a learning record store recognises statements it already holds. The actor is identified by
an account on the platform (``homePage`` + learner number), not by e-mail, unless configured otherwise.

The live statements (:mod:`elearn.xapi.statements`) add ``launched`` (a module opened for the first
time), ``experienced`` a section (read), ``answered`` a question of a quiz attempt and ``earned`` a
certificate; their ``completed``, ``passed`` and ``failed`` statements are the export's, same id included.

An export holds hundreds of thousands of statements that differ in a few values only, so each statement
is written as JSON text (what :func:`json.dumps` would give for the same dict, byte for byte) around
parts serialised once per export: the verb, object and context of each verb and activity (a
:class:`Shape`), the actor's home page. Encoding a nested dict per statement, and the ``uuid`` module's
objects, took most of the export's time.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, null
from sqlmodel import Session, col, select

from elearn.models import ActiveTime, AssessmentAttempt, ModuleProgress, QuizAttempt, User
from elearn.visibility import VisibilityRules
from elearn.reporting.catalog import Catalog
from elearn.reporting.conditions import day_in_period, learner_conditions, moment_in_period
from elearn.reporting.durations import iso8601
from elearn.reporting.filters import ReportFilters
from elearn.reporting.moments import as_utc
from elearn.reporting.records import same_learner_module, stream, time_totals

XAPI_VERSION = "1.0.3"

VERBS = {
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "a terminé"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "a réussi"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "a échoué à"),
    "experienced": ("http://adlnet.gov/expapi/verbs/experienced", "a suivi"),
    "scored": ("http://adlnet.gov/expapi/verbs/scored", "a obtenu un score à"),
    "launched": ("http://adlnet.gov/expapi/verbs/launched", "a commencé"),
    "answered": ("http://adlnet.gov/expapi/verbs/answered", "a répondu à"),
    "earned": ("http://id.tincanapi.com/verb/earned", "a obtenu"),
}
#: The path's assessments (``AssessmentAttempt.kind``) and their names in statements.
ASSESSMENT_NAMES = {"positionnement": "Test de positionnement", "finale": "Évaluation finale"}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
SECTION_TYPE = "http://adlnet.gov/expapi/activities/lesson"
QUESTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
CREDENTIAL_TYPE = "https://w3id.org/xapi/tla/activity-types/credential"

#: ``ELEARN_XAPI_ACTOR`` values.
ACTOR_ACCOUNT = "account"
ACTOR_MBOX = "mbox"


def _json(value: Any) -> str:
    """JSON as the export writes it: accents kept, :func:`json.dumps`' default separators."""
    return json.dumps(value, ensure_ascii=False)


#: The variant digit of a uuid5 (RFC 4122: the two high bits of byte 8 are ``10``) from the hash's digit.
_VARIANT = {digit: format(int(digit, 16) & 0x3 | 0x8, "x") for digit in "0123456789abcdef"}


@dataclass(frozen=True)
class Shape:
    """The text of a statement around its result that depends only on its verb and activity."""

    before_result: str  # ``"verb": {…}, "object": {…}, "result": ``
    before_timestamp: str  # ``, "context": {…}, "timestamp": "``

    @property
    def without_result(self) -> str:
        """``"verb": {…}, "object": {…}``, for statements that have no result (``launched``)."""
        return self.before_result.removesuffix(', "result": ')


@dataclass(frozen=True)
class StatementContext:
    """What every statement of one export shares: where activities live and how actors are named.

    It also keeps the export's statement shapes, serialised once each: there are as many as verbs times
    modules and quizzes, not as statements.
    """

    base_url: str
    catalog: Catalog
    actor_mode: str = ACTOR_ACCOUNT
    #: Who sees which module: statements about a module that is not for the learner are left out.
    visibility: VisibilityRules = field(default_factory=lambda: VisibilityRules({}), compare=False)
    _shapes: dict[tuple[str, str, str | None], Shape] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def root(self) -> str:
        return self.base_url.rstrip("/")

    @cached_property
    def namespace(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, self.root)

    @cached_property
    def _namespace_hash(self) -> Any:
        return hashlib.sha1(self.namespace.bytes, usedforsecurity=False)

    @cached_property
    def _account_start(self) -> str:
        return f'{{"objectType": "Agent", "account": {{"homePage": {_json(self.root + "/")}, "name": "'

    def statement_id(self, key: str) -> str:
        """``str(uuid.uuid5(namespace, key))``, computed from the namespace's SHA-1 state: the same id,
        without hashing the namespace again and building two ``UUID`` objects per statement.

        ``key`` names what the statement is about, its parts joined by ``/`` (``completed/12/slug``).
        """
        digest = self._namespace_hash.copy()
        digest.update(key.encode())
        h = digest.hexdigest()
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"

    def actor(self, user_id: int, full_name: str, email: str) -> str:
        """The actor as JSON: an account on the platform (the learner number), or name and mailbox."""
        if self.actor_mode == ACTOR_MBOX:
            return _json({"objectType": "Agent", "name": full_name, "mbox": f"mailto:{email}"})
        return f'{self._account_start}{user_id}"}}}}'

    def shape(self, verb_name: str, slug: str, quiz_id: str | None = None, *, section_id: str | None = None,
              question_id: str | None = None) -> Shape:
        """Verb, object and context of a statement. The object is the module, one of its quizzes (the
        module is then the parent activity), one of its sections (likewise) or one question of a quiz
        (the quiz is its parent, the module its grouping)."""
        key = (verb_name, slug, quiz_id, section_id, question_id)
        found = self._shapes.get(key)
        if found is None:
            module = self.module_activity(slug)
            if section_id is not None:
                obj, context = self.section_activity(slug, section_id), {**CONTEXT, "contextActivities": {"parent": [module]}}
            elif quiz_id is None:
                obj, context = module, CONTEXT
            elif question_id is None:
                obj, context = self.quiz_activity(slug, quiz_id), {**CONTEXT, "contextActivities": {"parent": [module]}}
            else:
                obj = self.question_activity(slug, quiz_id, question_id)
                parents = {"parent": [self.quiz_activity(slug, quiz_id)], "grouping": [module]}
                context = {**CONTEXT, "contextActivities": parents}
            found = self._shapes[key] = self._shape(verb_name, obj, context)
        return found

    def assessment_shape(self, kind: str) -> Shape:
        """Verb ``scored`` and the path's assessment ``kind`` as object."""
        key = ("scored", "evaluation", kind)
        found = self._shapes.get(key)
        if found is None:
            obj = {
                "objectType": "Activity",
                "id": f"{self.root}/evaluation/{quote(kind)}",
                "definition": {"name": {"fr-FR": ASSESSMENT_NAMES.get(kind, kind)}, "type": ASSESSMENT_TYPE},
            }
            found = self._shapes[key] = Shape(
                f'"verb": {_json(verb("scored"))}, "object": {_json(obj)}, "result": ',
                f', "context": {_json(CONTEXT)}, "timestamp": "',
            )
        return found

    def certificate_shape(self, verification_url: str, path_title: str) -> Shape:
        """``earned`` a certificate: the object is the certificate, named by its verification address."""
        obj = {
            "objectType": "Activity",
            "id": verification_url,
            "definition": {"name": {"fr-FR": f"Attestation de suivi — {path_title}"}, "type": CREDENTIAL_TYPE},
        }
        return self._shape("earned", obj, CONTEXT)

    @staticmethod
    def _shape(verb_name: str, obj: dict[str, Any], context: dict[str, Any]) -> Shape:
        return Shape(
            f'"verb": {_json(verb(verb_name))}, "object": {_json(obj)}, "result": ',
            f', "context": {_json(context)}, "timestamp": "',
        )

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

    def section_activity(self, slug: str, section_id: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.root}/modules/{quote(slug)}/{quote(section_id)}",
            "definition": {"name": {"fr-FR": f"{self.catalog.title(slug)} — section {section_id}"}, "type": SECTION_TYPE},
        }

    def question_activity(self, slug: str, quiz_id: str, question_id: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.root}/modules/{quote(slug)}/quiz/{quote(quiz_id)}/{quote(question_id)}",
            "definition": {
                "name": {"fr-FR": f"{self.catalog.title(slug)} — quiz {quiz_id}, question {question_id}"},
                "type": QUESTION_TYPE,
                "interactionType": "choice",
            },
        }


CONTEXT = {"platform": "elearn", "language": "fr-FR"}


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z`` (stored datetimes are UTC, naive from SQLite).

    ``isoformat()`` without ``timespec`` costs a third less, and there is one per statement: its
    ``2026-03-10T09:30:00[.123456]+00:00`` is cut to milliseconds here, as ``timespec`` would.
    """
    text = as_utc(moment).isoformat()
    return text[:23] + "Z" if text[19] == "." else text[:19] + ".000Z"


def verb(name: str) -> dict[str, Any]:
    iri, french = VERBS[name]
    return {"id": iri, "display": {"en-US": name, "fr-FR": french}}


@lru_cache(maxsize=1024, typed=True)
def score(raw: float, maximum: float) -> str:
    """An xAPI score as JSON: raw between min (0) and max, scaled = raw / max in [0, 1].

    ``repr`` of a float is how :mod:`json` writes it. Cached: quiz points and maxima (sums of question
    points) and module percentages take few distinct values across an export.
    """
    raw = min(max(raw, 0.0), maximum)
    return f'{{"scaled": {round(raw / maximum, 4)!r}, "raw": {raw!r}, "min": 0, "max": {maximum!r}}}'


def statement_text(statement_id: str, actor: str, shape: Shape, result: str | None, at: datetime) -> str:
    """One statement as JSON text, its keys in the order the export has always written them: id, actor,
    verb, object, result (when there is one), context, timestamp, version."""
    middle = shape.without_result if result is None else shape.before_result + result
    return (
        f'{{"id": "{statement_id}", "actor": {actor}, {middle}{shape.before_timestamp}'
        f'{timestamp(at)}", "version": "{XAPI_VERSION}"}}'
    )


def completed_result(seconds: int | None, module_score: float | None) -> str:
    """A module's completion: the active time on it, and its score when it has quizzes."""
    result = f'{{"completion": true, "duration": "{iso8601(seconds)}"'
    if module_score is not None:
        result += f', "success": true, "score": {score(float(module_score), 100.0)}'
    return result + "}"


def attempt_result(passed: bool, points: float, maximum: float) -> str:
    """A quiz attempt: success, completion, and the score when the quiz has points."""
    result = f'{{"success": {"true" if passed else "false"}, "completion": true'
    if maximum and maximum > 0:
        result += f', "score": {score(float(points), float(maximum))}'
    return result + "}"


def completed_key(user_id: int, slug: str) -> str:
    return f"completed/{user_id}/{slug}"


def attempt_key(user_id: int, slug: str, quiz_id: str, number: int) -> str:
    return f"attempt/{user_id}/{slug}/{quiz_id}/{number}"


def _learners(statement: Any, user_id: Any, filters: ReportFilters, ctx: StatementContext, slug: Any = None) -> Any:
    """Learners matching ``filters``; with ``slug`` (a module column), in modules that are for them
    (:mod:`elearn.visibility`). The path's assessments are not a module: every learner may take them."""
    statement = statement.join(User, col(User.id) == user_id).where(*learner_conditions(filters, ctx.catalog))
    return statement if slug is None else statement.where(*ctx.visibility.conditions(slug, col(User.group_id)))


def _actor_columns(ctx: StatementContext) -> tuple[Any, Any, Any]:
    """The learner's number, name and e-mail address; the last two are read only when the actor is
    named by them (account actors would send 100,000 names and addresses through the cursor for nothing)."""
    if ctx.actor_mode == ACTOR_MBOX:
        return col(User.id), col(User.full_name), col(User.email)
    return col(User.id), null(), null()


def completed_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[str]:
    progress, spent = ModuleProgress, time_totals()
    statement = select(
        *_actor_columns(ctx), col(progress.module_slug), col(progress.completed_at), col(progress.completion_score),
        spent.c.seconds,
    ).select_from(progress)
    statement = _learners(statement, col(progress.user_id), filters, ctx, col(progress.module_slug)).outerjoin(spent, same_learner_module(spent))
    statement = statement.where(col(progress.completed_at).is_not(None), *moment_in_period(col(progress.completed_at), filters))
    if filters.module:
        statement = statement.where(col(progress.module_slug) == filters.module)
    for user_id, name, email, slug, completed_at, module_score, seconds in stream(session, statement.order_by(col(User.id))):
        yield statement_text(ctx.statement_id(completed_key(user_id, slug)), ctx.actor(user_id, name, email),
                             ctx.shape("completed", slug), completed_result(seconds, module_score), completed_at)


def attempt_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[str]:
    attempt = QuizAttempt
    statement = select(
        *_actor_columns(ctx), col(attempt.module_slug), col(attempt.quiz_id),
        col(attempt.attempt_number), col(attempt.points), col(attempt.max_points), col(attempt.passed),
        col(attempt.submitted_at),
    ).select_from(attempt)
    statement = _learners(statement, col(attempt.user_id), filters, ctx, col(attempt.module_slug))
    statement = statement.where(*moment_in_period(col(attempt.submitted_at), filters))
    if filters.module:
        statement = statement.where(col(attempt.module_slug) == filters.module)
    order = (col(User.id), col(attempt.submitted_at))
    for user_id, name, email, slug, quiz_id, number, points, maximum, passed, at in stream(session, statement.order_by(*order)):
        statement_id = ctx.statement_id(attempt_key(user_id, slug, quiz_id, number))
        yield statement_text(statement_id, ctx.actor(user_id, name, email),
                             ctx.shape("passed" if passed else "failed", slug, quiz_id),
                             attempt_result(passed, points, maximum), at)


def experienced_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[str]:
    active = ActiveTime
    statement = select(
        *_actor_columns(ctx), col(active.module_slug), col(active.day),
        func.sum(col(active.seconds)), func.max(col(active.last_activity_at)),
    ).select_from(active)
    statement = _learners(statement, col(active.user_id), filters, ctx, col(active.module_slug)).where(*day_in_period(col(active.day), filters))
    if filters.module:
        statement = statement.where(col(active.module_slug) == filters.module)
    # Name and e-mail depend on the learner's number (the primary key): grouping by it is enough.
    group = (col(User.id), col(active.module_slug), col(active.day))
    order = (col(User.id), col(active.day), col(active.module_slug))
    statement = statement.group_by(*group).having(func.sum(col(active.seconds)) > 0).order_by(*order)
    for user_id, name, email, slug, day, seconds, last in stream(session, statement):
        statement_id = ctx.statement_id(f"experienced/{user_id}/{slug}/{day.isoformat()}")
        yield statement_text(statement_id, ctx.actor(user_id, name, email), ctx.shape("experienced", slug),
                         f'{{"duration": "{iso8601(seconds)}"}}', last or datetime.combine(day, time(0)))


def scored_statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[str]:
    """One ``scored`` statement per closed attempt at the path's assessments, in the period if any."""
    attempt = AssessmentAttempt
    statement = select(
        *_actor_columns(ctx), col(attempt.kind), col(attempt.attempt_number), col(attempt.points),
        col(attempt.max_points), col(attempt.passed), col(attempt.submitted_at),
    ).select_from(attempt)
    statement = _learners(statement, col(attempt.user_id), filters, ctx)
    statement = statement.where(col(attempt.submitted_at).is_not(None), *moment_in_period(col(attempt.submitted_at), filters))
    order = (col(User.id), col(attempt.submitted_at))
    for user_id, name, email, kind, number, points, maximum, passed, at in stream(session, statement.order_by(*order)):
        result = '{"completion": true'
        if passed is not None:
            result += f', "success": {"true" if passed else "false"}'
        if maximum and maximum > 0:
            result += f', "score": {score(float(points), float(maximum))}'
        yield statement_text(ctx.statement_id(f"scored/{user_id}/{kind}/{number}"), ctx.actor(user_id, name, email),
                             ctx.assessment_shape(kind), result + "}", at)


def statements(session: Session, filters: ReportFilters, ctx: StatementContext) -> Iterator[str]:
    """Every statement matching ``filters``, as JSON text: completions, then quiz attempts, then days of
    activity."""
    yield from completed_statements(session, filters, ctx)
    yield from attempt_statements(session, filters, ctx)
    yield from experienced_statements(session, filters, ctx)
