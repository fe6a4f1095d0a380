"""The audit trail as administrators read it: newest first, filtered by kind of action, by page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from elearn.i18n import N_, _
from elearn.models import AuditEvent, User
from elearn.reporting.paging import Page

EVENTS_PER_PAGE = 50

#: French names of the actions recorded across the application (others are shown as recorded),
#: translated when shown.
ACTION_LABELS = {
    "export": N_("Export"),
    "account.created": N_("Compte créé"),
    "account.role_changed": N_("Rôle modifié"),
    "account.reset_link_issued": N_("Lien de réinitialisation créé"),
    "account.password_reset": N_("Mot de passe réinitialisé"),
    "account.deactivated": N_("Compte désactivé"),
    "account.reactivated": N_("Compte réactivé"),
    "account.data_exported": N_("Données personnelles exportées"),
    "account.erased": N_("Compte effacé (anonymisé)"),
    "account.group_changed": N_("Groupe modifié"),
    "group.created": N_("Groupe créé"),
    "group.renamed": N_("Groupe renommé"),
    "group.deleted": N_("Groupe supprimé"),
    "group.code_renewed": N_("Code de groupe renouvelé"),
    "certificate.issued": N_("Attestation délivrée"),
    "certificate.revoked": N_("Attestation révoquée"),
    "xapi.lrs_configured": N_("LRS (xAPI) réglé"),
}


#: French names of the details' keys and of the values they commonly hold.
DETAIL_LABELS = {
    "before": N_("avant"), "after": N_("après"), "role": N_("rôle"), "via": N_("depuis"), "dataset": N_("données"),
    "format": N_("format"), "filters": N_("filtres"), "dates": N_("dates"), "reason": N_("motif"),
    "system_user": N_("compte système"),
    "name": N_("nom"), "members": N_("membres"),
}
VALUE_LABELS = {
    "web": N_("le site"), "cli": N_("la ligne de commande"), "completions": N_("suivi des modules"),
    "attendance": N_("relevé de connexion"), "learner": N_("apprenant·e"), "trainer": N_("formateur·rice"),
    "admin": N_("administrateur·rice"),
}
FILTER_LABELS = {
    "from": N_("du"), "to": N_("au"), "module": N_("module"), "status": N_("statut"), "profession": N_("profession"),
    "q": N_("recherche"), "group": N_("groupe"),
}


def _label(labels: dict[str, str], key: str) -> str:
    """The translated label of ``key``, or ``key`` itself when it has none."""
    return _(labels[key]) if key in labels else key


def action_label(action: str) -> str:
    return _label(ACTION_LABELS, action)


def describe_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """An event's details as (label, text) pairs in the interface's language; unknown keys and values are shown as stored."""
    described = []
    for key, value in details.items():
        if isinstance(value, dict):
            text = ", ".join(f"{_label(FILTER_LABELS, k)} {v}" for k, v in value.items()) or _("aucun")
        else:
            text = _label(VALUE_LABELS, str(value))
        described.append((_label(DETAIL_LABELS, key), text))
    return described


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

    @property
    def described_details(self) -> list[tuple[str, str]]:
        return describe_details(self.details)

    @property
    def user_id(self) -> int | None:
        """The account the event is about, when it is about one (``user:<id>``)."""
        kind, _, number = self.target.partition(":")
        return int(number) if kind == "user" and number.isdigit() else None

    @property
    def group_id(self) -> int | None:
        """The training group the event is about, when it is about one (``group:<id>``)."""
        kind, _, number = self.target.partition(":")
        return int(number) if kind == "group" and number.isdigit() else None

    @property
    def target_text(self) -> str:
        kind, _, name = self.target.partition(":")
        return VALUE_LABELS.get(name, name) if kind == "export" else self.target


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
    page: Page[AuditLine] = Page.within(number, EVENTS_PER_PAGE, total)
    rows = session.exec(
        select(AuditEvent, col(User.full_name))
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id))
        .where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset(page.offset)
        .limit(page.size)
    )
    items = [AuditLine(event.at, event.action, name, event.target, event.details or {}) for event, name in rows]
    return replace(page, items=items)
