"""What the administrators' pages show: dashboard figures, the learners table, one learner's record.

Each function takes the database session, the filters and the module catalog, and returns plain
dataclasses; the web layer only renders them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from elearn.models import ActiveTime, ModuleProgress, QuizAttempt, Role, User
from elearn.reporting.catalog import Catalog, ModuleInfo
from elearn.reporting.certificates import CertificateLine, issued_count, learner_certificates
from elearn.reporting.conditions import ERASED_EMAIL_DOMAIN, day_in_period, is_erased, learner_conditions, moment_in_period
from elearn.reporting.filters import LearnerStatus, ReportFilters
from elearn.reporting.paging import Page
from elearn.reporting.records import attendance_records, time_totals

LEARNERS_PER_PAGE = 50


# Dashboard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleFigures:
    """One module's figures over the period."""

    module: ModuleInfo
    active_learners: int = 0
    completions: int = 0
    attempts: int = 0
    passed_attempts: int = 0
    median_seconds: int | None = None

    @property
    def pass_rate(self) -> float | None:
        """Share of quiz attempts passed, in percent (None without attempts)."""
        return round(100 * self.passed_attempts / self.attempts, 1) if self.attempts else None


@dataclass(frozen=True)
class Dashboard:
    """The figures of the dashboard for ``filters``' period."""

    filters: ReportFilters
    learner_accounts: int
    new_learners: int
    active_learners: int
    completions: int
    certificates_issued: int
    modules: list[ModuleFigures] = field(default_factory=list)


def _learners() -> list[Any]:
    return [col(User.role) == Role.LEARNER.value]


def _count(session: Session, statement: Any) -> int:
    return int(session.exec(statement).one() or 0)


def _per_module(session: Session, statement: Any) -> dict[str, Any]:
    return {slug: values for slug, *values in session.exec(statement)}


def _median_seconds(session: Session, filters: ReportFilters) -> dict[str, int]:
    """Median over learners of their active time on each module during the period."""
    spent = time_totals(filters)
    per_learner = select(spent.c.module_slug, spent.c.seconds).join(User, col(User.id) == spent.c.user_id).where(*_learners())
    values: dict[str, list[int]] = defaultdict(list)
    for slug, seconds in session.exec(per_learner):
        values[slug].append(int(seconds or 0))
    return {slug: int(statistics.median(seconds)) for slug, seconds in values.items()}


def dashboard(session: Session, filters: ReportFilters, catalog: Catalog) -> Dashboard:
    """Learners, completions, pass rates, median time and certificates over the period."""
    progress, attempt, active = ModuleProgress, QuizAttempt, ActiveTime
    accounts = select(func.count()).select_from(User).where(*_learners(), col(User.is_active))
    accounts = accounts.where(~col(User.email).endswith("@" + ERASED_EMAIL_DOMAIN))
    new = select(func.count()).select_from(User).where(*_learners(), *moment_in_period(col(User.created_at), filters))
    learner_join = (User, col(User.id) == col(active.user_id))
    active_count = select(func.count(func.distinct(col(active.user_id)))).join(*learner_join)
    active_count = active_count.where(*_learners(), *day_in_period(col(active.day), filters))
    completed = (
        select(col(progress.module_slug), func.count())
        .join(User, col(User.id) == col(progress.user_id))
        .where(*_learners(), *moment_in_period(col(progress.completed_at), filters), col(progress.completed_at).is_not(None))
        .group_by(col(progress.module_slug))
    )
    attempts = (
        select(col(attempt.module_slug), func.count(), func.sum(case((col(attempt.passed), 1), else_=0)))
        .join(User, col(User.id) == col(attempt.user_id))
        .where(*_learners(), *moment_in_period(col(attempt.submitted_at), filters))
        .group_by(col(attempt.module_slug))
    )
    learners_per_module = (
        select(col(active.module_slug), func.count(func.distinct(col(active.user_id))))
        .join(*learner_join)
        .where(*_learners(), *day_in_period(col(active.day), filters))
        .group_by(col(active.module_slug))
    )
    completions, attempt_counts = _per_module(session, completed), _per_module(session, attempts)
    actives, medians = _per_module(session, learners_per_module), _median_seconds(session, filters)
    slugs = set(catalog.slugs) | set(completions) | set(attempt_counts) | set(actives)
    modules = [
        ModuleFigures(
            module,
            active_learners=actives.get(module.slug, [0])[0],
            completions=completions.get(module.slug, [0])[0],
            attempts=attempt_counts.get(module.slug, [0, 0])[0],
            passed_attempts=int(attempt_counts.get(module.slug, [0, 0])[1] or 0),
            median_seconds=medians.get(module.slug),
        )
        for module in catalog.ordered(slugs)
    ]
    return Dashboard(
        filters=filters,
        learner_accounts=_count(session, accounts),
        new_learners=_count(session, new),
        active_learners=_count(session, active_count),
        completions=sum(figures.completions for figures in modules),
        certificates_issued=issued_count(session, filters),
        modules=modules,
    )


# Learners table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerRow:
    """One line of the learners table."""

    user_id: int
    full_name: str
    email: str
    profession: str
    is_active: bool
    modules_started: int
    modules_completed: int
    active_seconds: int
    last_activity_at: datetime | None

    @property
    def erased(self) -> bool:
        return is_erased(self.email)


def learners_page(session: Session, filters: ReportFilters, catalog: Catalog, number: int = 1) -> Page[LearnerRow]:
    """The learners matching ``filters``, by name, one page at a time (active time within the period)."""
    progress = ModuleProgress
    summary = (
        select(
            col(progress.user_id).label("user_id"),
            func.count().label("started"),
            func.count(col(progress.completed_at)).label("completed"),
            func.max(col(progress.last_activity_at)).label("last"),
        )
        .group_by(col(progress.user_id))
        .subquery()
    )
    spent = (
        select(col(ActiveTime.user_id).label("user_id"), func.sum(col(ActiveTime.seconds)).label("seconds"))
        .where(*day_in_period(col(ActiveTime.day), filters))
        .group_by(col(ActiveTime.user_id))
        .subquery()
    )
    conditions = learner_conditions(filters, catalog)
    total = _count(session, select(func.count()).select_from(User).where(*conditions))
    page: Page[LearnerRow] = Page.within(number, LEARNERS_PER_PAGE, total)
    rows = session.exec(
        select(
            col(User.id), col(User.full_name), col(User.email), col(User.profession), col(User.is_active),
            summary.c.started, summary.c.completed, spent.c.seconds, summary.c.last,
        )
        .outerjoin(summary, summary.c.user_id == col(User.id))
        .outerjoin(spent, spent.c.user_id == col(User.id))
        .where(*conditions)
        .order_by(col(User.full_name), col(User.id))
        .offset(page.offset)
        .limit(page.size)
    )
    items = [LearnerRow(r[0], r[1], r[2], r[3], r[4], r[5] or 0, r[6] or 0, int(r[7] or 0), r[8]) for r in rows]
    return replace(page, items=items)


def professions(session: Session) -> list[str]:
    """Professions learners gave, for the filter's choices."""
    statement = select(col(User.profession)).where(*_learners(), col(User.profession) != "").distinct()
    return sorted(session.exec(statement), key=str.casefold)


# One learner -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleLine:
    """One module on a learner's detail page."""

    module: ModuleInfo
    status: LearnerStatus
    started_at: datetime | None = None
    completed_at: datetime | None = None
    score: float | None = None
    attempts: int = 0
    active_seconds: int = 0


@dataclass(frozen=True)
class LearnerDetail:
    """Everything an administrator sees about one person's training."""

    user: User
    modules: list[ModuleLine]
    attempts: list[QuizAttempt]
    days: list[dict[str, Any]]
    certificates: list[CertificateLine]
    catalog: Catalog = field(default_factory=Catalog)

    @property
    def erased(self) -> bool:
        return is_erased(self.user.email)

    @property
    def active_seconds(self) -> int:
        return sum(day["active_seconds"] for day in self.days)

    def module_title(self, slug: str) -> str:
        return self.catalog.title(slug)

    def module_titles(self, slugs: str) -> str:
        """« premiers-pas, suite » (as the attendance log lists them) with the modules' titles."""
        return ", ".join(self.catalog.title(slug) for slug in slugs.split(", ") if slug)


def learner_detail(session: Session, user: User, catalog: Catalog) -> LearnerDetail:
    """Modules, quiz attempts, active time per day and certificates of ``user``."""
    progress = {p.module_slug: p for p in session.exec(select(ModuleProgress).where(ModuleProgress.user_id == user.id))}
    attempts = list(
        session.exec(select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(col(QuizAttempt.submitted_at)))
    )
    seconds = dict(
        session.exec(
            select(col(ActiveTime.module_slug), func.sum(col(ActiveTime.seconds)))
            .where(ActiveTime.user_id == user.id)
            .group_by(col(ActiveTime.module_slug))
        ).all()
    )
    counts: dict[str, int] = defaultdict(int)
    for attempt in attempts:
        counts[attempt.module_slug] += 1
    modules = []
    for module in catalog.ordered([*catalog.slugs, *progress]):
        row = progress.get(module.slug)
        status = _module_status(row)
        modules.append(
            ModuleLine(
                module, status, row.started_at if row else None, row.completed_at if row else None,
                row.completion_score if row else None, counts[module.slug], int(seconds.get(module.slug) or 0),
            )
        )
    days = list(attendance_records(session, ReportFilters(), catalog, user_id=user.id))
    return LearnerDetail(user, modules, attempts, days, learner_certificates(session, user.id), catalog)


def _module_status(row: ModuleProgress | None) -> LearnerStatus:
    if row is None:
        return LearnerStatus.NOT_STARTED
    return LearnerStatus.COMPLETED if row.completed_at else LearnerStatus.IN_PROGRESS
