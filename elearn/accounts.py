"""Account rules: registration, authentication, sessions, roles, the person's own changes and password
resets, independent of the web layer.

Sessions: the identifier a log-in stores in its cookies (session and « se souvenir de moi ») is
``"<user id>:<session version>:<token>"`` (:meth:`elearn.models.User.get_id`). Bumping the account's ``session_version`` ends every session
of the account (a password change, « se déconnecter de tous mes appareils », a deactivation); recording
the random token in ``endedsession`` ends that one log-in (log-out), so even a copy of its cookies saved
before no longer opens the account, on any worker. Both are read with the user, in one query by primary
key, on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from elearn.i18n import _
from elearn.learning.upsert import upsert
from elearn.models import AuditEvent, EndedSession, PasswordResetRequest, PasswordResetToken, Role, User
from elearn.models.base import utcnow

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters.
#: Verified against when the e-mail is unknown, so a failed log-in costs the same time either way.
_DUMMY_HASH = _hasher.hash("elearn-timing-equaliser")

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
RESET_LINK_LIFETIME = timedelta(hours=48)


class AccountError(Exception):
    """A rule was broken; ``field`` names the form field the ``message`` (in the interface's language) belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(raw: str) -> str:
    """Validate syntax (no DNS lookup: the app may run on a closed network) and normalise case."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(_("Adresse e-mail invalide (exemple attendu : prenom.nom@exemple.fr)."), "email") from exc


def check_password_strength(password: str) -> None:
    """Length is what matters (NIST SP 800-63B); no composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Le mot de passe doit compter au moins %(min)d caractères.", min=MIN_PASSWORD_LENGTH), "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(_("Le mot de passe ne peut pas dépasser %(max)d caractères.", max=MAX_PASSWORD_LENGTH), "password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def record(session: Session, action: str, *, actor: User | None = None, target: str = "", **details: object) -> None:
    """Add an audit event to the current transaction (committed with the change it describes)."""
    session.add(AuditEvent(actor_id=actor.id if actor else None, action=action, target=target, details=details))


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    profession: str = "",
    role: Role = Role.LEARNER,
    actor: User | None = None,
) -> User:
    """Create and commit an account. Uniqueness of the e-mail is enforced by the database."""
    email = normalise_email(email)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise AccountError(_("Indiquez vos nom et prénom."), "full_name")
    check_password_strength(password)
    user = User(
        email=email,
        full_name=full_name,
        profession=" ".join(profession.split()),
        password_hash=hash_password(password),
        role=role.value,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise AccountError(
            _("Un compte existe déjà avec cette adresse. Connectez-vous ou utilisez « Mot de passe oublié »."),
            "email",
        ) from exc
    record(session, "account.created", actor=actor, target=f"user:{user.id}", role=role.value)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user whose credentials match, else None, in the same time either way."""
    user = find_user_by_email(session, email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


#: What ``endedsession.token`` holds: longer tokens are not ours.
MAX_SESSION_TOKEN = 32


def session_id_parts(session_id: str) -> tuple[int, int, str] | None:
    """(user id, session version, token) of a session identifier, or None when it is not one of ours."""
    user_id, version, token = (session_id.split(":") + ["", "", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and 0 < len(token) <= MAX_SESSION_TOKEN):
        return None
    return int(user_id), int(version), token


#: Built once: the loader runs on every request, and building the statement cost more than running it.
_USER_AND_ENDED_SESSION = (
    select(User, EndedSession.token)
    .outerjoin(EndedSession, col(EndedSession.token) == bindparam("token"))
    .where(col(User.id) == bindparam("user_id"))
)


def session_is_live(ended: bool, is_active: bool, session_version: int, version: int) -> bool:
    """The rule that keeps a log-in open: not ended by its log-out, the account active, and no « log out
    everywhere » or password change since (``version``: the session identifier's, against the user's)."""
    return not ended and is_active and session_version == version


def load_user_from_session_id(session: Session, session_id: str) -> User | None:
    """Flask-Login loader: the active user of a session that neither log-out nor a version bump ended.

    One query: the user by primary key, outer-joined to the ended-session row of the token, if any.
    An identifier without a token (opened before tokens existed) is refused: its holder logs in again.
    """
    parsed = session_id_parts(session_id)
    if parsed is None:
        return None
    user_id, version, token = parsed
    row = session.exec(_USER_AND_ENDED_SESSION, params={"user_id": user_id, "token": token}).first()  # type: ignore[call-overload]
    if row is None:
        return None
    user, ended = row
    return user if session_is_live(ended is not None, user.is_active, user.session_version, version) else None


def end_session(session: Session, session_id: str, *, lifetime: timedelta) -> None:
    """Log-out: the log-in ``session_id`` can no longer be resumed, from any copy of its cookies.

    Rows older than ``lifetime`` (how long a cookie stays valid after it was signed) are purged here,
    as no cookie signed before them can still be accepted.
    """
    parsed = session_id_parts(session_id)
    if parsed is None:
        return
    user_id, _version, token = parsed
    now = utcnow()
    upsert(session, EndedSession.__table__, {"token": token, "user_id": user_id, "ended_at": now}, ["token"], {"ended_at": now})  # type: ignore[attr-defined]
    session.exec(delete(EndedSession).where(col(EndedSession.ended_at) < now - lifetime))  # type: ignore[call-overload]
    session.commit()


def end_every_session(session: Session, user: User) -> None:
    """« Se déconnecter de tous mes appareils »: every session of ``user`` ends, this one included."""
    user.session_version += 1
    session.add(user)
    record(session, "account.logged_out_everywhere", actor=user, target=f"user:{user.id}")
    session.commit()


# The person's own changes (« Mon compte ») -----------------------------------------------------------


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Change one's own password after giving the current one; every other session of the account ends.

    The caller gives the current browser a new session identifier (the version changed).
    """
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Mot de passe actuel incorrect."), "current_password")
    check_password_strength(new)
    if new == current:
        raise AccountError(_("Le nouveau mot de passe doit être différent de l'actuel."), "password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    session.add(user)
    record(session, "account.password_changed", actor=user, target=f"user:{user.id}")
    session.commit()


def change_identity(session: Session, user: User, *, full_name: str, profession: str, actor: User) -> bool:
    """Change the name (printed on certificates) and profession; False when nothing changed.

    For now a person's own change applies at once; the rules on names already printed on certificates
    belong here. The audit trail says which fields changed, not their values (it outlives an erasure).
    """
    full_name, profession = " ".join(full_name.split()), " ".join(profession.split())
    if not full_name:
        raise AccountError(_("Indiquez vos nom et prénom."), "full_name")
    changed = [name for name, value in (("full_name", full_name), ("profession", profession)) if getattr(user, name) != value]
    if not changed:
        return False
    user.full_name, user.profession = full_name, profession
    session.add(user)
    record(session, "account.identity_changed", actor=actor, target=f"user:{user.id}", fields=changed)
    session.commit()
    return True


def change_role(session: Session, user: User, role: Role, *, actor: User) -> None:
    """Change a role and record who did it."""
    if user.role == role.value:
        return
    previous = user.role
    user.role = role.value
    session.add(user)
    record(session, "account.role_changed", actor=actor, target=f"user:{user.id}", before=previous, after=role.value)
    session.commit()


def set_active(session: Session, user: User, active: bool, *, actor: User) -> None:
    """Deactivate (logging the person out everywhere) or reactivate an account, and record it."""
    if user.id == actor.id and not active:
        raise AccountError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if user.is_active == active:
        return
    user.is_active = active
    user.session_version += 1
    session.add(user)
    record(session, "account.reactivated" if active else "account.deactivated", actor=actor, target=f"user:{user.id}")
    session.commit()


# Password resets -----------------------------------------------------------------------------------


def request_password_reset(session: Session, email: str) -> None:
    """Record a reset request for administrators. Says nothing about whether the account exists."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    pending = session.exec(
        select(PasswordResetRequest).where(
            PasswordResetRequest.user_id == user.id, PasswordResetRequest.handled_at.is_(None)  # type: ignore[union-attr]
        )
    ).first()
    if pending is None:
        session.add(PasswordResetRequest(user_id=user.id))
        session.commit()


def pending_reset_requests(session: Session) -> list[tuple[PasswordResetRequest, User]]:
    rows = session.exec(
        select(PasswordResetRequest, User)
        .join(User, User.id == PasswordResetRequest.user_id)  # type: ignore[arg-type]
        .where(PasswordResetRequest.handled_at.is_(None))  # type: ignore[union-attr]
        .order_by(PasswordResetRequest.created_at)
    ).all()
    return list(rows)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_token(session: Session, user: User, *, actor: User | None) -> str:
    """Create a single-use reset token (returned once, stored hashed) and close pending requests."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_digest(token),
            expires_at=now + RESET_LINK_LIFETIME,
            created_by_id=actor.id if actor else None,
        )
    )
    for request in session.exec(
        select(PasswordResetRequest).where(
            PasswordResetRequest.user_id == user.id, PasswordResetRequest.handled_at.is_(None)  # type: ignore[union-attr]
        )
    ):
        request.handled_at = now
        session.add(request)
    record(session, "account.reset_link_issued", actor=actor, target=f"user:{user.id}")
    session.commit()
    return token


def _as_aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class ResetCheck:
    token: PasswordResetToken
    user: User


def check_reset_token(session: Session, token: str) -> ResetCheck | None:
    """The token's record and user when it is valid, unused and not expired."""
    row = session.exec(select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_digest(token))).first()
    if row is None or row.used_at is not None or _as_aware(row.expires_at) < utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return ResetCheck(row, user)


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Use a reset token: set the password, burn the token, log the user out of other sessions."""
    check = check_reset_token(session, token)
    if check is None:
        raise AccountError(_("Ce lien de réinitialisation n'est plus valable. Demandez-en un nouveau."))
    check_password_strength(new_password)
    check.user.password_hash = hash_password(new_password)
    check.user.session_version += 1
    check.token.used_at = utcnow()
    session.add_all([check.user, check.token])
    record(session, "account.password_reset", actor=check.user, target=f"user:{check.user.id}")
    session.commit()
    return check.user


def generate_password() -> str:
    """A random password for accounts created by the CLI (printed once)."""
    return secrets.token_urlsafe(15)
