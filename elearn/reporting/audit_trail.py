"""The audit trail as administrators read it: newest first, filtered by kind of action, by page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.models import AuditEvent, User
from elearn.reporting.paging import Page

EVENTS_PER_PAGE = 50

#: French names of the actions recorded across the application (others are shown as recorded).
ACTION_LABELS = {
    "export": "Export",
    "account.created": "Compte créé",
    "account.role_changed": "Rôle modifié",
    "account.reset_link_issued": "Lien de réinitialisation créé",
    "account.password_reset": "Mot de passe réinitialisé",
    "account.deactivated": "Compte désactivé",
    "account.reactivated": "Compte réactivé",
    "account.data_exported": "Données personnelles exportées",
    "account.erased": "Compte effacé (anonymisé)",
    "certificate.issued": "Attestation délivrée",
    "certificate.revoked": "Attestation révoquée",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class AuditLine:
    """One event with the name of whoever did it (None: the system or the command line)."""

    at: datetime
    action: str
    actor_name: str | None
    target: str
    details: dict[str, Any]

    @property
    def label(self) -> str:
        return action_label(self.action)


def recorded_actions(session: Session) -> list[str]:
    """Every action present in the trail, for the filter's choices."""
    return sorted(session.exec(select(col(AuditEvent.action)).distinct()))


def audit_page(session: Session, action: str = "", number: int = 1) -> Page[AuditLine]:
    """One page of events, newest first; ``action`` keeps one action, or a family when it ends with a dot."""
    conditions = []
    if action.endswith("."):
        conditions.append(col(AuditEvent.action).startswith(action))
    elif action:
        conditions.append(col(AuditEvent.action) == action)
    total = int(session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one())
    page: Page[AuditLine] = Page([], number, EVENTS_PER_PAGE, total)
    rows = session.exec(
        select(AuditEvent, col(User.full_name))
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id))
        .where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset(page.offset)
        .limit(page.size)
    )
    items = [AuditLine(event.at, event.action, name, event.target, event.details or {}) for event, name in rows]
    return Page(items, number, EVENTS_PER_PAGE, total)
