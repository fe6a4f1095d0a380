"""Module completions month by month (French calendar months), for the dashboard's chart."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, col, select

from elearn.formatting import local
from elearn.models import ModuleProgress, Role, User
from elearn.reporting.conditions import moment_in_period
from elearn.reporting.filters import ReportFilters
from elearn.reporting.records import stream

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def completions_by_month(session: Session, filters: ReportFilters) -> list[tuple[str, int]]:
    """(« mars 2026 », count) for every month from the first completion to the last in the period."""
    statement = (
        select(col(ModuleProgress.completed_at))
        .join(User, col(User.id) == col(ModuleProgress.user_id))
        .where(col(User.role) == Role.LEARNER.value, col(ModuleProgress.completed_at).is_not(None))
        .where(*moment_in_period(col(ModuleProgress.completed_at), filters))
    )
    months = Counter()
    for (moment,) in stream(session, statement):
        at = local(moment)
        months[(at.year, at.month)] += 1
    if not months:
        return []
    (year, month), last = min(months), max(months)
    timeline = []
    while (year, month) <= last:
        timeline.append((f"{MONTHS[month - 1]} {year}", months[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timeline
