"""The two tabular datasets administrators export, as streams of rows read with a server-side cursor.

- completion records: one row per learner and module started (status, dates, score, attempts, time);
- the attendance log (« relevé de connexion »): one row per learner and day of activity.

Exported rows are tuples of values in the order of :data:`COMPLETION_COLUMNS` and
:data:`ATTENDANCE_COLUMNS` (a dict per row cost as much as writing it); the formats in
:mod:`elearn.reporting.exports` decide how each kind of value is written. The learner detail page reads
the attendance log as dicts keyed by column. Nothing here holds more than one batch of rows
(``yield_per``) in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, and_, case, cast, func, or_
from sqlmodel import Session, col, select

from elearn.models import ActiveTime, ModuleProgress, QuizAttempt, TrainingGroup, User
from elearn.reporting.catalog import Catalog
from elearn.reporting.conditions import active_in_period, day_in_period, learner_conditions, moment_in_period
from elearn.reporting.filters import LearnerStatus, ReportFilters
from elearn.visibility import visibility_rules

#: Rows fetched from the database at a time while streaming.
BATCH_SIZE = 1000

Kind = Literal["text", "int", "decimal", "date", "datetime", "duration", "status"]


@dataclass(frozen=True)
class Column:
    """One exported column: machine key (plain CSV, JSON), French label (spreadsheets) and kind."""

    key: str
    label: str
    kind: Kind


LEARNER_COLUMNS = (
    Column("learner_id", "N° apprenant", "int"),
    Column("full_name", "Nom", "text"),
    Column("email", "E-mail", "text"),
    Column("profession", "Profession", "text"),
    Column("group", "Groupe", "text"),
)

COMPLETION_COLUMNS = (
    *LEARNER_COLUMNS,
    Column("module", "Module (identifiant)", "text"),
    Column("module_title", "Module", "text"),
    Column("module_duration_minutes", "Durée prévue (min)", "int"),
    Column("status", "Statut", "status"),
    Column("started_at", "Commencé le", "datetime"),
    Column("last_activity_at", "Dernière activité", "datetime"),
    Column("completed_at", "Terminé le", "datetime"),
    Column("score", "Score final (%)", "decimal"),
    Column("quiz_attempts", "Tentatives de quiz", "int"),
    Column("quizzes_passed", "Quiz réussis", "int"),
    Column("active_seconds", "Temps actif (secondes)", "int"),
    Column("active_time", "Temps actif (h:mm:ss)", "duration"),
    Column("content_version", "Version du contenu", "text"),
)

ATTENDANCE_COLUMNS = (
    *LEARNER_COLUMNS,
    Column("day", "Date", "date"),
    Column("first_activity_at", "Première activité", "datetime"),
    Column("last_activity_at", "Dernière activité", "datetime"),
    Column("active_seconds", "Temps actif (secondes)", "int"),
    Column("active_time", "Temps actif (h:mm:ss)", "duration"),
    Column("modules", "Modules", "text"),
)


def stream(session: Session, statement: Any) -> Iterator[Any]:
    """Iterate a query batch by batch (server-side cursor where the driver has one).

    The statements select columns, not entities, so they run on the session's connection (Core): the
    ORM's result handling would cost more per row than writing the row does.
    """
    yield from session.connection().execute(statement, execution_options={"yield_per": BATCH_SIZE})


def path_order(slug_column: Any, catalog: Catalog) -> Any:
    """An ORDER BY expression putting modules in path order (unknown slugs last)."""
    if not catalog.slugs:
        return slug_column
    return case({slug: index for index, slug in enumerate(catalog.slugs)}, value=slug_column, else_=len(catalog.slugs))


def attempt_totals() -> Any:
    """Per learner and module: quiz attempts, and distinct quizzes passed."""
    passed_quiz = case((col(QuizAttempt.passed), col(QuizAttempt.quiz_id)))
    return (
        select(
            col(QuizAttempt.user_id).label("user_id"),
            col(QuizAttempt.module_slug).label("module_slug"),
            func.count().label("attempts"),
            func.count(func.distinct(passed_quiz)).label("quizzes_passed"),
        )
        .group_by(col(QuizAttempt.user_id), col(QuizAttempt.module_slug))
        .subquery()
    )


def time_totals(filters: ReportFilters | None = None) -> Any:
    """Per learner and module: active seconds (within the period when ``filters`` has one)."""
    return (
        select(
            col(ActiveTime.user_id).label("user_id"),
            col(ActiveTime.module_slug).label("module_slug"),
            func.sum(col(ActiveTime.seconds)).label("seconds"),
        )
        .where(*(day_in_period(col(ActiveTime.day), filters) if filters else []))
        .group_by(col(ActiveTime.user_id), col(ActiveTime.module_slug))
        .subquery()
    )


def same_learner_module(totals: Any) -> Any:
    """Join condition between a per-learner-and-module subquery and ``ModuleProgress``."""
    return and_(
        totals.c.user_id == col(ModuleProgress.user_id), totals.c.module_slug == col(ModuleProgress.module_slug)
    )


def completion_statement(filters: ReportFilters, catalog: Catalog) -> Any:
    """Learner × module rows matching ``filters``, in name then path order."""
    attempts, spent = attempt_totals(), time_totals()
    progress = ModuleProgress
    statement = (
        select(
            col(User.id), col(User.full_name), col(User.email), col(User.profession), col(TrainingGroup.name),
            col(User.group_id), col(progress.module_slug), col(progress.started_at), col(progress.last_activity_at),
            col(progress.completed_at), col(progress.completion_score), col(progress.completion_content_hash),
            attempts.c.attempts, attempts.c.quizzes_passed, spent.c.seconds,
        )
        .join(User, col(User.id) == col(progress.user_id))
        .outerjoin(TrainingGroup, col(TrainingGroup.id) == col(User.group_id))
        .outerjoin(attempts, same_learner_module(attempts))
        .outerjoin(spent, same_learner_module(spent))
        .where(*learner_conditions(filters, catalog))
    )
    if filters.module:
        statement = statement.where(col(progress.module_slug) == filters.module)
    if filters.has_period:
        statement = statement.where(
            or_(
                active_in_period(col(progress.user_id), filters, col(progress.module_slug)),
                and_(*moment_in_period(col(progress.completed_at), filters)),
            )
        )
    return statement.order_by(col(User.full_name), col(User.id), path_order(col(progress.module_slug), catalog))


def completion_rows(session: Session, filters: ReportFilters, catalog: Catalog) -> Iterator[tuple[Any, ...]]:
    """The completion records, one tuple per learner and module started, in :data:`COMPLETION_COLUMNS`
    order. A module that is not (or no longer) for the learner's group is left out
    (:mod:`elearn.visibility`): exports list what learners may see."""
    rules = visibility_rules(session)
    for row in stream(session, completion_statement(filters, catalog)):
        (user_id, name, email, profession, group, group_id, slug, started, last, completed, score, version, attempts,
         passed, seconds) = row
        if not rules.allows(slug, group_id):
            continue
        module = catalog.get(slug)
        status = LearnerStatus.COMPLETED if completed else LearnerStatus.IN_PROGRESS
        yield (
            user_id, name, email, profession, group, slug, module.title, module.duration_minutes, status, started, last,
            completed, score, attempts or 0, passed or 0, seconds or 0, seconds or 0, version,
        )


def attendance_statement(filters: ReportFilters, catalog: Catalog, user_id: int | None = None) -> Any:
    """Learner × day rows of activity: first and last activity, active time, modules worked on.

    With ``user_id``, one person's days whatever their role (the learner detail page).
    """
    conditions = day_in_period(col(ActiveTime.day), filters)
    if filters.module:
        conditions.append(col(ActiveTime.module_slug) == filters.module)
    per_module = (
        select(
            col(ActiveTime.user_id).label("user_id"),
            col(ActiveTime.day).label("day"),
            col(ActiveTime.module_slug).label("module_slug"),
            func.min(col(ActiveTime.first_activity_at)).label("first"),
            func.max(col(ActiveTime.last_activity_at)).label("last"),
            func.sum(col(ActiveTime.seconds)).label("seconds"),
        )
        .where(*conditions)
        .group_by(col(ActiveTime.user_id), col(ActiveTime.day), col(ActiveTime.module_slug))
        .subquery()
    )
    statement = (
        select(
            col(User.id), col(User.full_name), col(User.email), col(User.profession), col(TrainingGroup.name),
            col(User.group_id), per_module.c.day,
            func.min(per_module.c.first), func.max(per_module.c.last),
            # PostgreSQL sums bigints into numeric (Decimal): the day's seconds are a whole number.
            cast(func.sum(per_module.c.seconds), Integer),
            func.aggregate_strings(per_module.c.module_slug, ", "),
        )
        .join(User, col(User.id) == per_module.c.user_id)
        .outerjoin(TrainingGroup, col(TrainingGroup.id) == col(User.group_id))
        .where(*(learner_conditions(filters, catalog) if user_id is None else [col(User.id) == user_id]))
        .group_by(
            col(User.id), col(User.full_name), col(User.email), col(User.profession), col(TrainingGroup.name),
            col(User.group_id), per_module.c.day,
        )
    )
    return statement.order_by(col(User.full_name), col(User.id), per_module.c.day)


def attendance_rows(
    session: Session, filters: ReportFilters, catalog: Catalog, user_id: int | None = None
) -> Iterator[tuple[Any, ...]]:
    """The attendance log, one tuple per learner and day with activity, in :data:`ATTENDANCE_COLUMNS`
    order. Modules that are not for the learner's group are not named (:mod:`elearn.visibility`)."""
    rules = visibility_rules(session)
    for user, name, email, profession, group, group_id, day, first, last, seconds, modules in stream(
        session, attendance_statement(filters, catalog, user_id)
    ):
        slugs = [slug for slug in (modules.split(", ") if modules else []) if rules.allows(slug, group_id)]
        yield user, name, email, profession, group, day, first, last, seconds or 0, seconds or 0, ", ".join(sorted(slugs))


def attendance_records(
    session: Session, filters: ReportFilters, catalog: Catalog, user_id: int | None = None
) -> Iterator[dict[str, Any]]:
    """The attendance log, one dict per learner and day with activity, keyed by column."""
    keys = [column.key for column in ATTENDANCE_COLUMNS]
    for values in attendance_rows(session, filters, catalog, user_id):
        yield dict(zip(keys, values))
