"""The audit trail as administrators and auditors read it: newest first, filtered by period, by person
(who acted, or whom it was about) and by kind of event, people named (« personne effacée » after an
erasure), by page or exported whole (CSV-FR, XLSX)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from collections.abc import Iterator, Mapping

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from elearn.i18n import N_, _
from elearn.models import AuditEvent, TrainingGroup, User
from elearn.reporting.conditions import is_erased, search_condition
from elearn.reporting.filters import ReportFilters, parse_filters
from elearn.reporting.paging import Page
from elearn.reporting.records import Column

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
    "account.erasure_requested": N_("Effacement demandé par la personne"),
    "account.erasure_declined": N_("Demande d'effacement classée sans effacement"),
    "account.password_changed": N_("Mot de passe changé par la personne"),
    "account.identity_changed": N_("Nom ou profession modifié"),
    "account.logged_out_everywhere": N_("Déconnexion de tous les appareils"),
    "account.group_changed": N_("Groupe modifié"),
    "group.created": N_("Groupe créé"),
    "group.renamed": N_("Groupe renommé"),
    "group.deleted": N_("Groupe supprimé"),
    "group.code_renewed": N_("Code de groupe renouvelé"),
    "certificate.issued": N_("Attestation délivrée"),
    "certificate.revoked": N_("Attestation révoquée"),
    "account.identity_corrected": N_("Identité corrigée"),
    "account.identity_changed": N_("Identité modifiée par la personne"),
    "account.identity_change_requested": N_("Changement d'identité demandé"),
    "account.identity_change_approved": N_("Changement d'identité approuvé"),
    "account.identity_change_rejected": N_("Changement d'identité refusé"),
    "account.email_changed": N_("Adresse e-mail modifiée"),
    "account.password_changed": N_("Mot de passe modifié"),
    "module.published": N_("Module publié"),
    "module.version_published": N_("Version de module publiée"),
    "path.published": N_("Parcours publié"),
    "module.hidden": N_("Module masqué"),
    "module.visibility_changed": N_("Visibilité d'un module modifiée"),
    "xapi.lrs_configured": N_("LRS (xAPI) réglé"),
}

#: Families offered first in the « kind » filter (an action ending with a dot keeps the whole family).
ACTION_FAMILIES = {
    "account.": N_("Tous les événements de compte"),
    "group.": N_("Tous les événements de groupe"),
    "certificate.": N_("Toutes les attestations"),
    "module.": N_("Toutes les publications de modules"),
    "path.": N_("Toutes les publications du parcours"),
}


#: French names of the details' keys and of the values they commonly hold.
DETAIL_LABELS = {
    "before": N_("avant"), "after": N_("après"), "role": N_("rôle"), "via": N_("depuis"), "dataset": N_("données"),
    "format": N_("format"), "filters": N_("filtres"), "dates": N_("dates"), "reason": N_("motif"),
    "system_user": N_("compte système"),
    "name": N_("nom"), "members": N_("membres"),
    "full_name": N_("nom"), "email": N_("e-mail"), "profession": N_("profession"), "certificate": N_("attestation"),
    "groups": N_("groupes"),
}
VALUE_LABELS = {
    "web": N_("le site"), "cli": N_("la ligne de commande"), "completions": N_("suivi des modules"),
    "attendance": N_("relevé de connexion"), "audit": N_("journal d'audit"), "learner": N_("apprenant·e"), "trainer": N_("formateur·rice"),
    "admin": N_("administrateur·rice"),
    "hidden": N_("masqué"), "everyone": N_("tous les apprenants"), "groups": N_("certains groupes"),
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
    #: The name of the person or group the event is about (« personne effacée » after an erasure).
    subject_name: str | None = None

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


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor looks for: a period (French calendar days), a person, a kind of event.

    ``person``: part of a name or e-mail; ``role``: the person ``acted`` (actor), was ``subject`` of
    the event, or ``any`` of the two.
    """

    period: ReportFilters = ReportFilters()
    person: str = ""
    role: str = "any"
    action: str = ""

    def as_query(self) -> dict[str, str]:
        values = {k: v for k, v in self.period.as_query().items() if k in ("from", "to")}
        values.update({"person": self.person, "role": self.role if self.person else "", "action": self.action})
        return {k: v for k, v in values.items() if v and not (k == "role" and v == "any")}


def read_audit_filters(args: Mapping[str, str]) -> tuple[AuditFilters, list[str]]:
    """The filters from a query string, with the French messages of the invalid ones (then ignored)."""
    period, errors = parse_filters({k: args.get(k, "") for k in ("from", "to")})
    role = args.get("role", "any")
    return AuditFilters(period, args.get("person", "").strip()[:120], role if role in PERSON_ROLES else "any",
                        args.get("action", "").strip()[:64]), errors


PERSON_ROLES = {"any": N_("auteur ou personne concernée"), "actor": N_("auteur de l'action"), "subject": N_("personne concernée")}


def _conditions(session: Session, filters: AuditFilters) -> list[Any]:
    conditions: list[Any] = []
    action = filters.action
    if action.endswith("."):
        conditions.append(col(AuditEvent.action).startswith(action))
    elif action:
        conditions.append(col(AuditEvent.action) == action)
    start, end = filters.period.moment_bounds()
    if start is not None:
        conditions.append(col(AuditEvent.at) >= start)
    if end is not None:
        conditions.append(col(AuditEvent.at) < end)
    if filters.person:
        ids = list(session.exec(select(User.id).where(search_condition(filters.person))))
        as_actor = col(AuditEvent.actor_id).in_(ids)
        as_subject = col(AuditEvent.target).in_([f"user:{i}" for i in ids])
        conditions.append({"actor": as_actor, "subject": as_subject}.get(filters.role, or_(as_actor, as_subject)))
    return conditions


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """People by name; an erased account reads « personne effacée », never a number."""
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.full_name, User.email).where(col(User.id).in_(user_ids)))
    return {i: _("personne effacée") if is_erased(email) else name for i, name, email in rows}


def _lines(session: Session, events: list[AuditEvent]) -> list[AuditLine]:
    """Events with their actor's and subject's names, read in two queries per page."""
    people: set[int] = {e.actor_id for e in events if e.actor_id is not None}
    groups: set[int] = set()
    for event in events:
        kind, _sep, number = event.target.partition(":")
        if number.isdigit():
            (people if kind == "user" else groups if kind == "group" else set()).add(int(number))
    names = _names(session, people)
    group_names = {
        i: name for i, name in session.exec(select(TrainingGroup.id, TrainingGroup.name).where(col(TrainingGroup.id).in_(groups)))
    } if groups else {}
    lines = []
    for event in events:
        kind, _sep, number = event.target.partition(":")
        subject = None
        if kind == "user" and number.isdigit():
            subject = names.get(int(number), _("personne effacée"))
        elif kind == "group" and number.isdigit():
            subject = group_names.get(int(number)) or (event.details or {}).get("name") or _("groupe supprimé")
        elif kind == "module":
            subject = _("module « %(slug)s »", slug=number)
        actor = names.get(event.actor_id, _("personne effacée")) if event.actor_id is not None else None
        lines.append(AuditLine(event.at, event.action, actor, event.target, event.details or {}, subject))
    return lines


def recorded_actions(session: Session) -> list[str]:
    """Every action present in the trail, for the filter's choices."""
    return sorted(session.exec(select(col(AuditEvent.action)).distinct()))


def audit_page(session: Session, filters: AuditFilters | str = "", number: int = 1) -> Page[AuditLine]:
    """One page of events matching ``filters`` (or just an action), newest first; an action ending with a
    dot keeps its whole family."""
    filters = filters if isinstance(filters, AuditFilters) else AuditFilters(action=filters)
    conditions = _conditions(session, filters)
    total = int(session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one())
    page: Page[AuditLine] = Page.within(number, EVENTS_PER_PAGE, total)
    events = list(session.exec(
        select(AuditEvent).where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset(page.offset)
        .limit(page.size)
    ))
    return replace(page, items=_lines(session, events))


#: The audit trail's columns in CSV-FR and XLSX (French: auditors read them as they are).
AUDIT_COLUMNS = (
    Column("at", "Date", "datetime"),
    Column("action", "Événement", "text"),
    Column("actor", "Par", "text"),
    Column("subject", "Concerne", "text"),
    Column("details", "Détails", "text"),
)
EXPORT_BATCH = 500


def audit_rows(session: Session, filters: AuditFilters) -> Iterator[tuple[Any, ...]]:
    """Every matching event, newest first, as rows of :data:`AUDIT_COLUMNS`, read ``EXPORT_BATCH`` at a time."""
    conditions = _conditions(session, filters)
    last: tuple[datetime, int] | None = None
    while True:
        statement = select(AuditEvent).where(*conditions)
        if last is not None:
            statement = statement.where(or_(col(AuditEvent.at) < last[0], and_(col(AuditEvent.at) == last[0], col(AuditEvent.id) < last[1])))
        events = list(session.exec(statement.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(EXPORT_BATCH)))
        if not events:
            return
        for line in _lines(session, events):
            details = " ; ".join(f"{label} : {text}" for label, text in line.described_details)
            yield (line.at, line.label, line.actor_name or _("Système"), line.subject_name or line.target_text, details)
        last = (events[-1].at, events[-1].id)  # type: ignore[assignment]
