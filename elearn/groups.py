"""Training groups: which trainers read which learners' shared reflections.

A platform that serves one association needs no group: every trainer follows every learner. When several
associations, services or workshops share it, an administrator creates groups and puts learners and
trainers in them; a trainer of a group then reads the reflections shared by its learners only, and the
syntheses written in it. The rule, in :func:`reader_scope`: administrators and trainers without a group
read everything; a trainer of a group, that group only. Learners without a group share with the
trainers without a group.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from elearn.accounts import AccountError, record
from elearn.certificates.codes import new_code, normalise_code
from elearn.i18n import _
from elearn.models import Role, Synthesis, TrainingGroup, User

NAME_MAX_LENGTH = 120
#: Symbols of a registration code (50 random bits, « 7K3M9-QXH2P »): enough that guessing one, at the
#: registration rate limit, is hopeless, short enough to dictate in a workshop.
JOIN_CODE_LENGTH = 10


class GroupError(AccountError):
    """A group change refused; ``message`` is in the interface's language, for the form."""


@dataclass(frozen=True)
class GroupSummary:
    group: TrainingGroup
    learners: int
    trainers: int


def reader_scope(user: User) -> int | None:
    """Whose shared reflections ``user`` reads: a group id, or None for every learner."""
    if user.role == Role.ADMIN.value:
        return None
    return user.group_id


def all_groups(session: Session) -> list[TrainingGroup]:
    """Every group, by name (for lists of choices; :func:`list_groups` adds the member counts)."""
    return list(session.exec(select(TrainingGroup).order_by(func.lower(TrainingGroup.name))))


def list_groups(session: Session, only: int | None = None) -> list[GroupSummary]:
    """Every group by name (or only the group ``only``), with its numbers of learners and of trainers
    (administrators not counted)."""
    learners = func.sum(case((User.role == Role.LEARNER.value, 1), else_=0))
    trainers = func.sum(case((User.role == Role.TRAINER.value, 1), else_=0))
    statement = (
        select(TrainingGroup, func.coalesce(learners, 0), func.coalesce(trainers, 0))
        .outerjoin(User, col(User.group_id) == TrainingGroup.id)
        .group_by(col(TrainingGroup.id))
        .order_by(func.lower(TrainingGroup.name))
    )
    if only is not None:
        statement = statement.where(TrainingGroup.id == only)
    return [GroupSummary(group, int(n_learners), int(n_trainers)) for group, n_learners, n_trainers in session.exec(statement)]


def group_members(session: Session, group_id: int) -> list[User]:
    """The group's learners and trainers, trainers first, then by name."""
    trainers_first = case((User.role == Role.TRAINER.value, 0), else_=1)
    return list(session.exec(select(User).where(User.group_id == group_id).order_by(trainers_first, func.lower(User.full_name))))


def get_group(session: Session, group_id: int) -> TrainingGroup | None:
    return session.get(TrainingGroup, group_id)


def _clean_name(session: Session, raw: str, *, exclude: int | None = None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise GroupError(_("Donnez un nom au groupe."))
    if len(name) > NAME_MAX_LENGTH:
        raise GroupError(_("Le nom du groupe doit tenir en %(max)d caractères.", max=NAME_MAX_LENGTH))
    same = find_group_by_name(session, name)
    if same is not None and same.id != exclude:
        raise GroupError(_("Un groupe s'appelle déjà « %(name)s ».", name=same.name))
    return name


def create_group(session: Session, name: str, *, actor: User | None) -> TrainingGroup:
    group = TrainingGroup(name=_clean_name(session, name), join_code=new_code(JOIN_CODE_LENGTH))
    session.add(group)
    try:
        session.flush()
    except IntegrityError as error:  # created by someone else in the meantime
        session.rollback()
        raise GroupError(_("Un groupe s'appelle déjà « %(name)s ».", name=group.name)) from error
    record(session, "group.created", actor=actor, target=f"group:{group.id}", name=group.name)
    session.commit()
    return group


def rename_group(session: Session, group: TrainingGroup, name: str, *, actor: User | None) -> None:
    clean = _clean_name(session, name, exclude=group.id)
    if clean == group.name:
        return
    record(session, "group.renamed", actor=actor, target=f"group:{group.id}", before=group.name, after=clean)
    group.name = clean
    session.add(group)
    try:
        session.commit()
    except IntegrityError as error:  # the same name given to another group in the meantime
        session.rollback()
        raise GroupError(_("Un groupe s'appelle déjà « %(name)s ».", name=clean)) from error


def renew_join_code(session: Session, group: TrainingGroup, *, actor: User | None) -> None:
    """Give the group a new registration code; the old one no longer lets anyone join."""
    group.join_code = new_code(JOIN_CODE_LENGTH)
    session.add(group)
    record(session, "group.code_renewed", actor=actor, target=f"group:{group.id}")
    session.commit()


def find_group_by_code(session: Session, typed: str) -> TrainingGroup | None:
    """The group whose registration code this is, however it was typed (case, spaces, dashes, O for 0)."""
    code = normalise_code(typed, JOIN_CODE_LENGTH)
    if code is None:
        return None
    return session.exec(select(TrainingGroup).where(TrainingGroup.join_code == code)).first()


def delete_group(session: Session, group: TrainingGroup, *, actor: User | None) -> None:
    """Delete a group; its members and syntheses are left without a group (read by trainers without one)."""
    members = session.exec(select(func.count()).select_from(User).where(User.group_id == group.id)).one()
    session.exec(update(User).where(col(User.group_id) == group.id).values(group_id=None))  # type: ignore[call-overload]
    session.exec(update(Synthesis).where(col(Synthesis.group_id) == group.id).values(group_id=None))  # type: ignore[call-overload]
    record(session, "group.deleted", actor=actor, target=f"group:{group.id}", name=group.name, members=members)
    session.delete(group)
    session.commit()


def assign_group(session: Session, user: User, group_id: int | None, *, actor: User | None) -> None:
    """Put ``user`` in the group ``group_id`` (None: no group) and record who did it."""
    if group_id is not None and session.get(TrainingGroup, group_id) is None:
        raise GroupError(_("Ce groupe n'existe plus."))
    if user.group_id == group_id:
        return
    before = _name(session, user.group_id)
    user.group_id = group_id
    session.add(user)
    record(session, "account.group_changed", actor=actor, target=f"user:{user.id}", before=before, after=_name(session, group_id))
    session.commit()


def find_group_by_name(session: Session, name: str) -> TrainingGroup | None:
    """The group of that name, whatever its letters' case and spacing (« Atelier de  LYON »).

    Compared in Python: SQLite's lower() leaves accented capitals as they are. There are a few dozen
    groups at most."""
    key = " ".join((name or "").split()).casefold()
    return next((g for g in all_groups(session) if g.name.casefold() == key), None)


def group_name(session: Session, group_id: int | None) -> str | None:
    """The group's name, or None for no group."""
    group = session.get(TrainingGroup, group_id) if group_id is not None else None
    return group.name if group else None


def _name(session: Session, group_id: int | None) -> str:
    return group_name(session, group_id) or "—"
