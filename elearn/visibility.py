"""Who sees which module: hidden (a draft), everyone, or some training groups only.

Administrators set a module's audience in the browser; it is stored in the database, not in the module's
file, so a trainer's edit never publishes a module by accident. One rule, :func:`modules_for`, decides
what a person may see, and every learner-facing listing goes through it: the catalogue, the path's
pages, the certificate and the exports. The rule:

- administrators and trainers see every module (they prepare and check them);
- a learner sees a module visible to everyone, or restricted to groups that include their own group;
- nobody but staff sees a hidden module; a module without a setting is visible to everyone (modules
  shipped before this setting existed); ``elearn new-module`` marks the skeleton it writes hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, select

from elearn.accounts import record
from elearn.db import once_per_transaction
from elearn.groups import GroupError
from elearn.i18n import N_, _
from elearn.models import ModuleVisibility, ModuleVisibilityGroup, Role, TrainingGroup, User
from elearn.models.base import utcnow


class Audience(StrEnum):
    HIDDEN = "hidden"
    EVERYONE = "everyone"
    GROUPS = "groups"

    @property
    def label(self) -> str:
        return _(AUDIENCE_LABELS[self.value])


AUDIENCE_LABELS = {
    "hidden": N_("Masqué (brouillon)"),
    "everyone": N_("Tous les apprenants"),
    "groups": N_("Certains groupes seulement"),
}


@dataclass(frozen=True)
class Visibility:
    """A module's audience; ``group_ids`` only matter for :attr:`Audience.GROUPS`."""

    audience: Audience = Audience.EVERYONE
    group_ids: frozenset[int] = frozenset()

    def allows(self, group_id: int | None) -> bool:
        """Whether a learner of group ``group_id`` (None: no group) sees the module."""
        if self.audience is Audience.EVERYONE:
            return True
        return self.audience is Audience.GROUPS and group_id is not None and group_id in self.group_ids


EVERYONE = Visibility()


class VisibilityRules:
    """Every module's audience; modules without a setting are visible to everyone."""

    def __init__(self, by_slug: dict[str, Visibility]) -> None:
        self._by_slug = by_slug

    def of(self, slug: str) -> Visibility:
        return self._by_slug.get(slug, EVERYONE)

    def allows(self, slug: str, group_id: int | None) -> bool:
        return self.of(slug).allows(group_id)

    def conditions(self, slug_column: Any, group_column: Any) -> list[Any]:
        """The same rule as SQL, for queries that stream rows (the xAPI export): no condition at all
        while every module is visible to everyone."""
        hidden = [slug for slug, rule in self._by_slug.items() if rule.audience is Audience.HIDDEN]
        restricted = {slug: rule.group_ids for slug, rule in self._by_slug.items() if rule.audience is Audience.GROUPS}
        clauses: list[Any] = [slug_column.not_in(hidden)] if hidden else []
        if restricted:
            clauses.append(or_(
                slug_column.not_in(list(restricted)),
                *(and_(slug_column == slug, group_column.in_(sorted(ids))) for slug, ids in restricted.items()),
            ))
        return clauses


#: Built once, run through the session's connection (SQLAlchemy Core): every learner request reads it.
_AUDIENCES = select(ModuleVisibility.slug, ModuleVisibility.mode, ModuleVisibilityGroup.group_id).outerjoin(
    ModuleVisibilityGroup, ModuleVisibilityGroup.slug == ModuleVisibility.slug  # type: ignore[arg-type]
)


def visibility_rules(session: Session) -> VisibilityRules:
    """Every module's audience, in one query (a learner's every page reads it), once per transaction.

    A page may ask several times (its modules, then the certificate's required ones): the answer is
    kept in the session for the transaction that read it, so a commit or a rollback reads it anew.
    """
    return once_per_transaction(session, _RULES_KEY, lambda: _read_rules(session.connection()))


#: Where :func:`visibility_rules` keeps its answer in ``Session.info``.
_RULES_KEY = "elearn.visibility_rules"


def _read_rules(connection: Any) -> VisibilityRules:
    modes: dict[str, str] = {}
    groups: dict[str, set[int]] = {}
    for slug, mode, group_id in connection.execute(_AUDIENCES):
        modes[slug] = mode
        if group_id is not None:
            groups.setdefault(slug, set()).add(group_id)
    return VisibilityRules({slug: Visibility(Audience(mode), frozenset(groups.get(slug, ()))) for slug, mode in modes.items()})


def sees_everything(user: User) -> bool:
    return user.role in (Role.ADMIN.value, Role.TRAINER.value)


M = TypeVar("M")


def modules_for(session: Session, user: User, modules: Iterable[M], rules: VisibilityRules | None = None) -> list[M]:
    """The modules (anything with a ``slug``) that ``user`` may see, in the given order.

    Every learner-facing listing calls this: the catalogue, a module's pages, the certificate's path.
    """
    modules = list(modules)
    if sees_everything(user):
        return modules
    rules = rules or visibility_rules(session)
    return [m for m in modules if rules.allows(m.slug, user.group_id)]  # type: ignore[attr-defined]


def visible_slugs(session: Session, user: User, slugs: Iterable[str]) -> tuple[str, ...]:
    """The slugs among ``slugs`` whose modules ``user`` may see (the certificate's required modules)."""
    slugs = tuple(slugs)
    if sees_everything(user):
        return slugs
    rules = visibility_rules(session)
    return tuple(slug for slug in slugs if rules.allows(slug, user.group_id))


def may_see_audience(user: Any, mode: str | None, in_group: bool) -> bool:
    """:func:`may_see` for one module whose audience another query read: its ``mode`` (None: no setting)
    and whether one of its groups is the user's (``user``: anything with ``role`` and ``group_id``)."""
    if sees_everything(user):
        return True
    rule = EVERYONE if mode is None else Visibility(Audience(mode), frozenset([user.group_id]) if in_group else frozenset())
    return rule.allows(user.group_id)


def may_see(session: Session, user: User, slug: str) -> bool:
    return sees_everything(user) or visibility_rules(session).allows(slug, user.group_id)


def set_visibility(
    session: Session, slug: str, audience: Audience, group_ids: Sequence[int] = (), *, actor: User | None
) -> None:
    """Change a module's audience, record it in the audit trail, commit.

    Restricting to groups needs at least one existing group: a module « for some groups » with none
    would be hidden without saying so.
    """
    chosen = sorted(set(group_ids)) if audience is Audience.GROUPS else []
    names = []
    if audience is Audience.GROUPS:
        found = {g.id: g.name for g in session.exec(select(TrainingGroup).where(TrainingGroup.id.in_(chosen)))}  # type: ignore[union-attr]
        if not chosen:
            raise GroupError(_("Choisissez au moins un groupe, ou une autre visibilité."))
        if len(found) != len(chosen):
            raise GroupError(_("Un des groupes choisis n'existe plus."))
        names = [found[i] for i in chosen]
    before = visibility_rules(session).of(slug)
    if before.audience is audience and set(before.group_ids) == set(chosen):
        return
    row = session.get(ModuleVisibility, slug) or ModuleVisibility(slug=slug)
    row.mode, row.updated_at, row.updated_by_id = audience.value, utcnow(), actor.id if actor else None
    session.add(row)
    session.exec(delete(ModuleVisibilityGroup).where(ModuleVisibilityGroup.slug == slug))  # type: ignore[call-overload,arg-type]
    session.add_all(ModuleVisibilityGroup(slug=slug, group_id=group_id) for group_id in chosen)
    details: dict[str, object] = {"before": before.audience.value, "after": audience.value}
    if names:
        details["groups"] = ", ".join(names)
    action = "module.published" if before.audience is Audience.HIDDEN else (
        "module.hidden" if audience is Audience.HIDDEN else "module.visibility_changed")
    record(session, action, actor=actor, target=f"module:{slug}", **details)
    session.commit()


def hide_new_module(session: Session, slug: str) -> None:
    """Mark a module just written by ``elearn new-module`` hidden, unless it already has a setting."""
    if session.get(ModuleVisibility, slug) is None:
        session.add(ModuleVisibility(slug=slug, mode=Audience.HIDDEN.value))
        record(session, "module.hidden", target=f"module:{slug}", after=Audience.HIDDEN.value, via="cli")
        session.commit()
