"""What a validated launch means for elearn: who the person is, what they may do, where they go.

- People are found by the platform's issuer and ``sub`` (never by e-mail address: a platform could send
  anyone's address). The first launch creates the account: Learner → learner, Instructor or
  ContentDeveloper → trainer; an administrator is never created by a launch, and a later launch never
  changes an existing account's role.
- A nonce is accepted once: the same id_token presented again is a replay, refused.
- A launch carrying the grade service (AGS) records where the learner's score for the module goes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from elearn.accounts import AccountError, create_user, record
from elearn.models import LtiGradeLink, LtiIdentity, LtiNonce, LtiPlatform, Role, User

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
TARGET_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
#: Roles (LIS vocabulary, short or full IRIs) that make a trainer; every other launch makes a learner.
TRAINER_ROLES = {"Instructor", "ContentDeveloper"}
#: Custom parameter naming the module a link opens; ``parcours`` opens the whole path.
MODULE_PARAMETER = "module"
WHOLE_PATH = "parcours"


def role_for(roles: Iterable[str]) -> Role:
    """Learner unless the platform says Instructor or ContentDeveloper; never admin."""
    names = {role.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for role in roles}
    return Role.TRAINER if names & TRAINER_ROLES else Role.LEARNER


def user_for_launch(session: Session, claims: Mapping[str, Any]) -> User:
    """The account of the launched person, created on the first launch (commits)."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    found = session.exec(
        select(User).join(LtiIdentity, col(LtiIdentity.user_id) == col(User.id))
        .where(col(LtiIdentity.issuer) == issuer, col(LtiIdentity.subject) == subject)
    ).first()
    if found is not None:
        return found
    role = role_for(claims.get(ROLES_CLAIM) or [])
    name = " ".join(str(claims.get("name") or f"{claims.get('given_name', '')} {claims.get('family_name', '')}").split())
    user = _create_account(session, issuer, subject, name or "Participant LTI", str(claims.get("email") or ""), role)
    session.add(LtiIdentity(issuer=issuer, subject=subject, user_id=user.id))  # type: ignore[arg-type]
    try:
        session.commit()
    except IntegrityError:  # the same person's second launch, at the same moment: use the first one's account
        session.rollback()
        return user_for_launch(session, claims)
    return user


def _create_account(session: Session, issuer: str, subject: str, name: str, email: str, role: Role) -> User:
    """A new account with an unusable password (the person logs in through the platform)."""
    synthetic = f"lti-{hashlib.sha256(f'{issuer} {subject}'.encode()).hexdigest()[:24]}@lti.example"
    for address in ([email] if email else []) + [synthetic]:
        try:
            user = create_user(session, email=address, full_name=name[:120], password=secrets.token_urlsafe(32), role=role)
        except AccountError:
            continue  # address taken by another account: never merged with it
        record(session, "lti.account_created", target=f"user:{user.id}", issuer=issuer, role=role.value)
        session.commit()
        return user
    raise AccountError("no address available")  # pragma: no cover - the synthetic address is unique per identity


def remember_nonce(session: Session, issuer: str, nonce: str) -> bool:
    """Keep the launch's nonce; False when it was already used (a replayed id_token). Commits."""
    session.add(LtiNonce(issuer=issuer, nonce=nonce))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def target_module(claims: Mapping[str, Any]) -> str | None:
    """The module slug the link points to, ``WHOLE_PATH`` for the path, None when it names nothing."""
    custom = claims.get(CUSTOM_CLAIM) or {}
    if custom.get(MODULE_PARAMETER):
        return str(custom[MODULE_PARAMETER])
    if custom.get(WHOLE_PATH):
        return WHOLE_PATH
    return None


def link_grades(session: Session, user: User, slug: str, platform: LtiPlatform, claims: Mapping[str, Any]) -> None:
    """Remember the line item this launch's scores go to (when the platform offers the grade service)."""
    service = claims.get(AGS_CLAIM) or {}
    lineitem = service.get("lineitem")
    if not lineitem or slug == WHOLE_PATH:
        return
    existing = session.exec(select(LtiGradeLink).where(
        col(LtiGradeLink.user_id) == user.id, col(LtiGradeLink.module_slug) == slug, col(LtiGradeLink.lineitem) == lineitem,
    )).first()
    link = existing or LtiGradeLink(user_id=user.id, module_slug=slug, platform_id=platform.id, subject=str(claims["sub"]),  # type: ignore[arg-type]
                                    lineitem=lineitem)
    link.service = dict(service)
    session.add(link)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
