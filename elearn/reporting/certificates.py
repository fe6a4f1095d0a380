"""Certificates as reports see them, while the certificate model may not be installed yet.

The certificates table belongs to the certificate feature (``elearn.models.certificate``). Reports only
count and list certificates, so they read the few attributes they need defensively and show
« non disponible » when the model is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.reporting.conditions import moment_in_period
from elearn.reporting.filters import ReportFilters


@dataclass(frozen=True)
class CertificateLine:
    """One certificate on a learner's detail page."""

    code: str
    issued_at: datetime | None
    revoked_at: datetime | None


def certificate_model() -> Any | None:
    """The certificate table's model, or None while that feature is not installed."""
    try:
        from elearn.models.certificate import Certificate  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Certificate


def _issued_column(model: Any) -> Any:
    return getattr(model, "issued_at", None) or getattr(model, "created_at")


def issued_count(session: Session, filters: ReportFilters) -> int | None:
    """Certificates issued in the period, or None when certificates are not available."""
    model = certificate_model()
    if model is None:
        return None
    issued = _issued_column(model)
    return session.exec(select(func.count()).select_from(model).where(*moment_in_period(col(issued), filters))).one()


def learner_certificates(session: Session, user_id: int) -> list[CertificateLine] | None:
    """A learner's certificates, newest first, or None when certificates are not available."""
    model = certificate_model()
    if model is None:
        return None
    rows = session.exec(select(model).where(model.user_id == user_id).order_by(col(_issued_column(model)).desc())).all()
    return [
        CertificateLine(str(getattr(row, "code", row.id)), getattr(row, "issued_at", None), getattr(row, "revoked_at", None))
        for row in rows
    ]
