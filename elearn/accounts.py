"""Account rules: registration, authentication, roles and password resets, independent of the web layer."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from elearn.i18n import _
from elearn.models import AuditEvent, PasswordResetRequest, PasswordResetToken, Role, User
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


def load_user_from_session_id(session: Session, session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<version>"``; a stale version (password changed) is refused."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


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
