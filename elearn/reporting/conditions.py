"""The filters as SQL conditions, written once and shared by tables, dashboards and exports.

"Active in the period" means at least one day of recorded activity (``ActiveTime.day``) in the period:
the same evidence the attendance log shows, so every report agrees with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.orm import aliased
from sqlmodel import col

from elearn.models import ActiveTime, ModuleProgress, Role, TrainingGroup, User
from elearn.reporting.catalog import Catalog
from elearn.reporting.filters import LearnerStatus, ReportFilters

#: Accounts an erasure has anonymised carry an address in this reserved (RFC 2606) domain.
ERASED_EMAIL_DOMAIN = "efface.invalid"

Clause = ColumnElement[bool]


def day_in_period(day_column: Any, filters: ReportFilters) -> list[Clause]:
    """Conditions keeping ``day_column`` (a date) inside the filters' period."""
    clauses: list[Clause] = []
    if filters.date_from:
        clauses.append(day_column >= filters.date_from)
    if filters.date_to:
        clauses.append(day_column <= filters.date_to)
    return clauses


def moment_in_period(moment_column: Any, filters: ReportFilters) -> list[Clause]:
    """Conditions keeping ``moment_column`` (a stored UTC datetime) inside the period."""
    start, end = filters.moment_bounds()
    clauses: list[Clause] = []
    if start:
        clauses.append(moment_column >= start)
    if end:
        clauses.append(moment_column < end)
    return clauses


# Subqueries use their own aliases: the outer query may read the same table (an export of progress rows
# filtered on the learner's progress), and must not be correlated with it.
_activity = aliased(ActiveTime)
_progress = aliased(ModuleProgress)


def active_in_period(user_id: Any, filters: ReportFilters, module_slug: Any = None) -> Clause:
    """The learner (optionally: on this module) has recorded activity in the period."""
    conditions = [_activity.user_id == user_id, *day_in_period(_activity.day, filters)]
    if module_slug is not None:
        conditions.append(_activity.module_slug == module_slug)
    return exists(select(_activity.id).where(*conditions))


def _progress_exists(*conditions: Clause) -> Clause:
    return exists(select(_progress.id).where(_progress.user_id == col(User.id), *conditions))


def _path_completed(catalog: Catalog) -> Clause:
    """Every module of the path completed (any completion when the path is unknown)."""
    done = _progress.completed_at.is_not(None)
    if not catalog.slugs:
        return _progress_exists(done)
    completed_modules = (
        select(func.count(func.distinct(_progress.module_slug)))
        .where(_progress.user_id == col(User.id), done, _progress.module_slug.in_(catalog.slugs))
        .scalar_subquery()
    )
    return completed_modules >= len(catalog.slugs)


def status_condition(status: LearnerStatus, module: str, catalog: Catalog) -> Clause:
    """The learner's status in ``module``, or in the whole path when no module is chosen."""
    if module:
        in_module = _progress.module_slug == module
        done = _progress.completed_at.is_not(None)
        return {
            LearnerStatus.NOT_STARTED: ~_progress_exists(in_module),
            LearnerStatus.IN_PROGRESS: _progress_exists(in_module, ~done),
            LearnerStatus.COMPLETED: _progress_exists(in_module, done),
        }[status]
    completed = _path_completed(catalog)
    return {
        LearnerStatus.NOT_STARTED: ~_progress_exists(),
        LearnerStatus.IN_PROGRESS: and_(_progress_exists(), ~completed),
        LearnerStatus.COMPLETED: completed,
    }[status]


def search_condition(term: str) -> Clause:
    """Name or e-mail contains ``term``, whatever its case, accented capitals included.

    SQLite only folds ASCII letters, so « élodie » would miss « Élodie »: the term is also tried in
    lower, title and upper case, which covers how names are written.
    """
    variants = {term, term.lower(), term.title(), term.upper()}
    return or_(
        *(col(User.full_name).icontains(v, autoescape=True) for v in variants),
        *(col(User.email).icontains(v, autoescape=True) for v in variants),
    )


def learner_conditions(filters: ReportFilters, catalog: Catalog) -> list[Clause]:
    """Which learners a report covers: role, search, profession, group, status and activity in the period."""
    clauses: list[Clause] = [col(User.role) == Role.LEARNER.value]
    if filters.search:
        clauses.append(search_condition(filters.search))
    if filters.profession:
        clauses.append(col(User.profession) == filters.profession)
    if filters.group:
        clauses.append(col(User.group_id).in_(select(TrainingGroup.id).where(TrainingGroup.name == filters.group)))
    if filters.status is not None:
        clauses.append(status_condition(filters.status, filters.module, catalog))
    if filters.has_period:
        clauses.append(active_in_period(col(User.id), filters, filters.module or None))
    elif filters.module and filters.status is None:
        clauses.append(_progress_exists(_progress.module_slug == filters.module))
    return clauses


def is_erased(email: str) -> bool:
    """True for an account anonymised by an erasure."""
    return email.endswith("@" + ERASED_EMAIL_DOMAIN)
