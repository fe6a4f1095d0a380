"""Accounts: people who log in, their role, and password-reset links issued by administrators."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from elearn.i18n import N_, _
from elearn.models.base import utcnow


#: Random bytes of a session identifier's token (``token_urlsafe``: 22 characters, at most 32 stored).
SESSION_TOKEN_BYTES = 16

#: French labels of the roles, translated where they are shown.
ROLE_LABELS = {"learner": N_("Apprenant·e"), "trainer": N_("Formateur·rice"), "admin": N_("Administrateur·rice")}


class Role(StrEnum):
    """What a person may do. Ordered by privilege for display only; checks are explicit."""

    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Label shown in the interface, in its language."""
        return _(ROLE_LABELS[self.value])


class TrainingGroup(SQLModel, table=True):
    """A group of learners and the trainers who follow them (« groupe de formation »): an association, a
    service, a territorial workshop. Trainers of a group read only the reflections its learners share."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True, index=True)
    #: Typed (or carried by the sign-up link) when registering, to join the group: « 7K3M9-QXH2P ».
    join_code: str = Field(max_length=16, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    """A person with an account. ``full_name`` is printed as-is on certificates."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=120)
    profession: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.LEARNER.value, max_length=16, index=True)
    is_active: bool = Field(default=True)
    #: Changing this value logs the person out everywhere (password change, deactivation).
    session_version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    #: The learner's group, or the group a trainer follows; None: no group (a trainer without a group
    #: follows every learner, as when the platform serves a single association).
    group_id: int | None = Field(default=None, foreign_key="traininggroup.id", index=True)

    # Flask-Login protocol -------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """A new session identifier, ``"<id>:<session version>:<random token>"``, at each call.

        Flask-Login calls it once per log-in and stores it in the session and remember cookies. Bumping
        the version ends every session of the account; ending the token (log-out) ends this one log-in
        (see :mod:`elearn.accounts`).
        """
        return f"{self.id}:{self.session_version}:{secrets.token_urlsafe(SESSION_TOKEN_BYTES)}"

    # Roles ----------------------------------------------------------------------------------------
    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role) -> bool:
        return self.role_enum in roles


class PasswordResetRequest(SQLModel, table=True):
    """A learner's "forgot my password" request, waiting for an administrator to issue a link."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: datetime | None = None


class PasswordResetToken(SQLModel, table=True):
    """A single-use reset link. Only the SHA-256 of the token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class EndedSession(SQLModel, table=True):
    """A log-in ended by log-out. Its cookies, even copies saved before, no longer open it, on any worker.

    ``token`` is the random part of the session identifier (see :func:`elearn.accounts.session_id`);
    a row is useless, and purged, once no cookie signed before ``ended_at`` can still be valid.
    """

    token: str = Field(max_length=32, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    ended_at: datetime = Field(default_factory=utcnow, index=True)


class ErasureRequest(SQLModel, table=True):
    """A person's request to have their account erased, waiting for an administrator's decision."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: datetime | None = None
