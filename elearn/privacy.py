"""Personal data rights (RGPD): a person's own data as a file, erasure requests, and erasure by anonymisation.

A person asks for erasure from « Mon compte »; the request waits for an administrator, who decides
(an account may have to be kept, e.g. while a funder's audit is under way) and either erases it or
closes the request. Both steps are in the audit trail.

Erasure anonymises rather than deletes: the account keeps its number, its progress, quiz results and
active time, so the training's anonymous statistics (completions, pass rates, time per module) stay
true, while nothing left identifies the person. Free-text answers, which may, are deleted.
Certificates stay valid records of the training, without the name and profession they carried.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, SQLModel, col, select

from elearn.accounts import AccountError, record
from elearn.certificates.issue import forget_holder
from elearn.i18n import _
from elearn.models import (
    ActiveTime,
    AuditEvent,
    ErasureRequest,
    ModuleProgress,
    PasswordResetRequest,
    PasswordResetToken,
    QuizAttempt,
    ReflectionAnswer,
    SectionProgress,
    TrainingGroup,
    User,
)
from elearn.models.base import utcnow
from elearn.reporting.certificates import learner_certificates
from elearn.reporting.conditions import ERASED_EMAIL_DOMAIN, is_erased

ERASED_NAME = "Personne anonymisée"
#: Account fields a person's data file contains (never the password hash).
ACCOUNT_FIELDS = ("id", "email", "full_name", "profession", "role", "is_active", "created_at", "last_login_at")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(session: Session, model: type[SQLModel], user_id: int, skip: tuple[str, ...] = ("id", "user_id")) -> list[dict]:
    rows = session.exec(select(model).where(model.user_id == user_id)).all()  # type: ignore[attr-defined]
    return [{k: _plain(v) for k, v in row.model_dump().items() if k not in skip} for row in rows]


def personal_data(session: Session, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as JSON-ready data (right of access)."""
    events = session.exec(
        select(AuditEvent)
        .where(or_(col(AuditEvent.actor_id) == user.id, col(AuditEvent.target) == f"user:{user.id}"))
        .order_by(col(AuditEvent.at))
    ).all()
    return {
        "account": {
            **{name: _plain(getattr(user, name)) for name in ACCOUNT_FIELDS},
            "group": session.get(TrainingGroup, user.group_id).name if user.group_id else None,  # type: ignore[union-attr]
        },
        "modules": _rows(session, ModuleProgress, user.id),  # type: ignore[arg-type]
        "sections": _rows(session, SectionProgress, user.id),  # type: ignore[arg-type]
        "quiz_attempts": _rows(session, QuizAttempt, user.id),  # type: ignore[arg-type]
        "active_time": _rows(session, ActiveTime, user.id),  # type: ignore[arg-type]
        "reflection_answers": _rows(session, ReflectionAnswer, user.id),  # type: ignore[arg-type]
        "certificates": [
            {"code": c.code, "issued_at": _plain(c.issued_at), "revoked_at": _plain(c.revoked_at)}
            for c in learner_certificates(session, user.id)  # type: ignore[arg-type]
        ],
        "account_history": [{"at": _plain(e.at), "action": e.action} for e in events],
    }


def record_data_export(session: Session, user: User, *, actor: User) -> None:
    """Note in the audit trail that someone's data file was handed out."""
    record(session, "account.data_exported", actor=actor, target=f"user:{user.id}")
    session.commit()


def request_erasure(session: Session, user: User) -> bool:
    """Record ``user``'s request to be erased, for the administrators; False if one is already pending."""
    if pending_erasure_request(session, user) is not None:
        return False
    session.add(ErasureRequest(user_id=user.id))  # type: ignore[arg-type]
    record(session, "account.erasure_requested", actor=user, target=f"user:{user.id}")
    session.commit()
    return True


def pending_erasure_request(session: Session, user: User) -> ErasureRequest | None:
    return session.exec(
        select(ErasureRequest).where(ErasureRequest.user_id == user.id, col(ErasureRequest.handled_at).is_(None))
    ).first()


def pending_erasure_requests(session: Session) -> list[tuple[ErasureRequest, User]]:
    """Requests waiting for a decision, oldest first, with their accounts."""
    rows = session.exec(
        select(ErasureRequest, User)
        .join(User, col(User.id) == ErasureRequest.user_id)
        .where(col(ErasureRequest.handled_at).is_(None))
        .order_by(col(ErasureRequest.created_at))
    ).all()
    return list(rows)


def _close_erasure_requests(session: Session, user: User) -> None:
    for request in session.exec(
        select(ErasureRequest).where(ErasureRequest.user_id == user.id, col(ErasureRequest.handled_at).is_(None))
    ):
        request.handled_at = utcnow()
        session.add(request)


def decline_erasure(session: Session, user: User, *, actor: User) -> None:
    """An administrator keeps the account: the pending request is closed, and that is recorded."""
    if pending_erasure_request(session, user) is None:
        return
    _close_erasure_requests(session, user)
    record(session, "account.erasure_declined", actor=actor, target=f"user:{user.id}")
    session.commit()


def erase_person(session: Session, user: User, *, actor: User, confirmation: str) -> None:
    """Anonymise ``user`` once ``confirmation`` repeats their e-mail address.

    Name, e-mail and profession are replaced, the password made unusable, the account deactivated and
    logged out; reflection answers and password-reset records are deleted. Progress stays, unnamed.
    Certificates stay valid, as the organisation's record of the training, but lose the name and
    profession they carried (see :func:`elearn.certificates.issue.forget_holder`).
    """
    if is_erased(user.email):
        raise AccountError(_("Ce compte a déjà été anonymisé."))
    if actor.id == user.id:
        raise AccountError(_("Vous ne pouvez pas effacer votre propre compte."))
    if confirmation.strip().lower() != user.email.lower():
        raise AccountError(_("Recopiez exactement l'adresse e-mail du compte pour confirmer l'effacement."), "confirmation")
    user.full_name = ERASED_NAME
    user.email = f"anonyme-{user.id}@{ERASED_EMAIL_DOMAIN}"
    user.profession = ""
    user.password_hash = "!erased:" + secrets.token_hex(16)  # not an Argon2 hash: no password can match it
    user.is_active = False
    user.session_version += 1
    session.add(user)
    forget_holder(session, user.id, ERASED_NAME)  # type: ignore[arg-type]
    _close_erasure_requests(session, user)
    for model in (ReflectionAnswer, PasswordResetRequest, PasswordResetToken):
        session.exec(delete(model).where(model.user_id == user.id))  # type: ignore[call-overload,attr-defined]
    record(session, "account.erased", actor=actor, target=f"user:{user.id}")
    session.commit()
