"""Certificates as reports see them: how many were issued in a period, and a learner's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.models import Certificate
from elearn.reporting.conditions import moment_in_period
from elearn.reporting.filters import ReportFilters


@dataclass(frozen=True)
class CertificateLine:
    """One certificate on a learner's detail page and in their data file."""

    code: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str = ""


def issued_count(session: Session, filters: ReportFilters) -> int:
    """Certificates issued in the period (revoked ones included: they were issued)."""
    statement = select(func.count()).select_from(Certificate).where(*moment_in_period(col(Certificate.issued_at), filters))
    return int(session.exec(statement).one())


def learner_certificates(session: Session, user_id: int) -> list[CertificateLine]:
    """A learner's certificates, newest first."""
    rows = session.exec(
        select(Certificate).where(Certificate.user_id == user_id).order_by(col(Certificate.issued_at).desc())
    ).all()
    return [CertificateLine(row.code, row.issued_at, row.revoked_at, row.revoked_reason) for row in rows]
