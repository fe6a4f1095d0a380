"""One account created by an administrator: role, optional group, and a single-use link to choose a
password (the administrator never knows it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from elearn import accounts, groups
from elearn.i18n import _
from elearn.models import Role, User


@dataclass(frozen=True)
class NewAccount:
    """The account and the token of its password link (shown or sent once, stored hashed)."""

    user: User
    token: str


def create_account(
    session: Session,
    *,
    email: str,
    full_name: str,
    profession: str = "",
    role: Role = Role.LEARNER,
    group_id: int | None = None,
    actor: User | None,
) -> NewAccount:
    """Create the account with an unknowable random password, put it in its group, and issue the link
    with which the person chooses their password. :class:`accounts.AccountError` says what is wrong."""
    if group_id is not None and groups.get_group(session, group_id) is None:
        raise groups.GroupError(_("Ce groupe n'existe plus."), "group")
    user = accounts.create_user(
        session, email=email, full_name=full_name, profession=profession, password=accounts.generate_password(),
        role=role, actor=actor,
    )
    if group_id is not None:
        groups.assign_group(session, user, group_id, actor=actor)
    return NewAccount(user, accounts.issue_reset_token(session, user, actor=actor))
