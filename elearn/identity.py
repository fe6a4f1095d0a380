"""A person's identity as printed on certificates: name, e-mail and profession, and who may change them.

The name is printed on the certificate that funders read, so changing it is a recorded act:

- an administrator corrects a learner's identity directly (:func:`correct_identity`); when a
  certificate was already issued, the page offers the existing reissue, and the old code stays
  verifiable as « remplacée »;
- a learner changes their own (« Mon compte ») through :func:`submit_own_identity`: applied at once
  while no certificate was issued, otherwise kept as a request that an administrator approves or
  rejects (:func:`approve_identity_change`, :func:`reject_identity_change`);
- the administrators change their own e-mail and password in the browser (:func:`change_own_access`).

Every change is in the audit trail, with the values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from elearn.accounts import (
    AccountError,
    check_password_strength,
    find_user_by_email,
    hash_password,
    normalise_email,
    record,
    verify_password,
)
from elearn.i18n import _
from elearn.models import Certificate, IdentityChangeRequest, User
from elearn.models.base import utcnow

NAME_MAX_LENGTH = 120
PROFESSION_MAX_LENGTH = 120


@dataclass(frozen=True)
class Identity:
    """The three values, cleaned: spaces collapsed, e-mail normalised."""

    full_name: str
    email: str
    profession: str

    @classmethod
    def of(cls, user: User) -> Identity:
        return cls(user.full_name, user.email, user.profession)


def clean_identity(full_name: str, email: str, profession: str) -> Identity:
    """Check and clean what was typed; :class:`AccountError` names the field at fault."""
    name = " ".join((full_name or "").split())
    if not name:
        raise AccountError(_("Indiquez le nom et le prénom."), "full_name")
    if len(name) > NAME_MAX_LENGTH:
        raise AccountError(_("Le nom doit tenir en %(max)d caractères.", max=NAME_MAX_LENGTH), "full_name")
    job = " ".join((profession or "").split())
    if len(job) > PROFESSION_MAX_LENGTH:
        raise AccountError(_("La profession doit tenir en %(max)d caractères.", max=PROFESSION_MAX_LENGTH), "profession")
    return Identity(name, normalise_email(email or ""), job)


def issued_certificate(session: Session, user: User) -> Certificate | None:
    """The person's newest valid (not revoked) certificate, whose printed name a change would contradict."""
    return session.exec(
        select(Certificate)
        .where(Certificate.user_id == user.id, col(Certificate.revoked_at).is_(None))
        .order_by(col(Certificate.issued_at).desc())
    ).first()


def _changes(before: Identity, after: Identity) -> dict[str, dict[str, str]]:
    fields = ("full_name", "email", "profession")
    return {f: {"before": getattr(before, f), "after": getattr(after, f)} for f in fields if getattr(before, f) != getattr(after, f)}


def _apply(session: Session, user: User, identity: Identity) -> None:
    """Write the values; a taken e-mail is refused (by the database, worded here)."""
    other = find_user_by_email(session, identity.email)
    if other is not None and other.id != user.id:
        raise AccountError(_("Un autre compte utilise déjà cette adresse e-mail."), "email")
    user.full_name, user.email, user.profession = identity.full_name, identity.email, identity.profession
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise AccountError(_("Un autre compte utilise déjà cette adresse e-mail."), "email") from error


def correct_identity(
    session: Session, user: User, full_name: str, email: str, profession: str, *, actor: User
) -> Certificate | None:
    """An administrator's correction, applied and recorded at once.

    Returns the person's valid certificate when one was issued, which still prints the old values:
    the caller offers to reissue it (:func:`elearn.certificates.issue.reissue_certificate`).
    """
    after = clean_identity(full_name, email, profession)
    changes = _changes(Identity.of(user), after)
    if not changes:
        return None
    _apply(session, user, after)
    certificate = issued_certificate(session, user)
    details = _flat(changes) | ({"certificate": certificate.code} if certificate else {})
    record(session, "account.identity_corrected", actor=actor, target=f"user:{user.id}", **details)
    session.commit()
    return certificate


def _flat(changes: dict[str, dict[str, str]]) -> dict[str, str]:
    """``{"full_name": {"before": a, "after": b}}`` as ``{"full_name": "a → b"}`` for the audit trail."""
    return {field: f"{values['before']} → {values['after']}" for field, values in changes.items()}


def submit_own_identity(session: Session, user: User, full_name: str, email: str, profession: str) -> IdentityChangeRequest | None:
    """A learner's change of their own identity (« Mon compte »).

    While no certificate was issued, it is applied and recorded at once (None is returned). Once one
    was, the certificate funders read would no longer match the account: the change is kept as a
    request for an administrator (returned), replacing any earlier pending one, and nothing changes
    until it is approved.
    """
    after = clean_identity(full_name, email, profession)
    changes = _changes(Identity.of(user), after)
    if not changes:
        return None
    if issued_certificate(session, user) is None:
        _apply(session, user, after)
        record(session, "account.identity_changed", actor=user, target=f"user:{user.id}", **_flat(changes))
        session.commit()
        return None
    other = find_user_by_email(session, after.email)
    if other is not None and other.id != user.id:
        raise AccountError(_("Un autre compte utilise déjà cette adresse e-mail."), "email")
    for pending in _pending_of(session, user):
        pending.decided_at, pending.decision = utcnow(), "replaced"
        session.add(pending)
    request = IdentityChangeRequest(user_id=user.id, full_name=after.full_name, email=after.email, profession=after.profession)  # type: ignore[arg-type]
    session.add(request)
    record(session, "account.identity_change_requested", actor=user, target=f"user:{user.id}", **_flat(changes))
    session.commit()
    return request


def _pending_of(session: Session, user: User) -> list[IdentityChangeRequest]:
    return list(session.exec(select(IdentityChangeRequest).where(
        IdentityChangeRequest.user_id == user.id, col(IdentityChangeRequest.decided_at).is_(None))))


def pending_identity_changes(session: Session) -> list[tuple[IdentityChangeRequest, User]]:
    """Requests waiting for an administrator, oldest first, with their person."""
    return list(session.exec(
        select(IdentityChangeRequest, User)
        .join(User, col(User.id) == IdentityChangeRequest.user_id)
        .where(col(IdentityChangeRequest.decided_at).is_(None))
        .order_by(col(IdentityChangeRequest.created_at))
    ))


def approve_identity_change(session: Session, request: IdentityChangeRequest, *, actor: User) -> Certificate | None:
    """Apply a pending request (see :func:`correct_identity` for what is returned)."""
    user = session.get(User, request.user_id)
    if user is None or request.decided_at is not None:
        raise AccountError(_("Cette demande a déjà été traitée."))
    certificate = correct_identity(session, user, request.full_name, request.email, request.profession, actor=actor)
    request.decided_at, request.decision, request.decided_by_id = utcnow(), "approved", actor.id
    session.add(request)
    record(session, "account.identity_change_approved", actor=actor, target=f"user:{user.id}")
    session.commit()
    return certificate


def reject_identity_change(session: Session, request: IdentityChangeRequest, *, actor: User) -> None:
    if request.decided_at is not None:
        raise AccountError(_("Cette demande a déjà été traitée."))
    request.decided_at, request.decision, request.decided_by_id = utcnow(), "rejected", actor.id
    session.add(request)
    record(session, "account.identity_change_rejected", actor=actor, target=f"user:{request.user_id}")
    session.commit()


def change_own_access(
    session: Session, user: User, *, current_password: str, email: str, new_password: str = ""
) -> list[str]:
    """An administrator's own e-mail and/or password, confirmed by the current password.

    A new password logs the person out of their other sessions. Returns what changed (``email``,
    ``password``), recorded in the audit trail (the password itself never is).
    """
    if not verify_password(user.password_hash, current_password or ""):
        raise AccountError(_("Mot de passe actuel incorrect."), "current_password")
    if new_password:
        check_password_strength(new_password)  # before anything changes
    changed = []
    address = normalise_email(email or "")
    if address != user.email:
        before = user.email
        _apply(session, user, Identity(user.full_name, address, user.profession))
        record(session, "account.email_changed", actor=user, target=f"user:{user.id}", before=before, after=address)
        changed.append("email")
    if new_password:
        user.password_hash = hash_password(new_password)
        user.session_version += 1
        session.add(user)
        record(session, "account.password_changed", actor=user, target=f"user:{user.id}")
        changed.append("password")
    session.commit()
    return changed
