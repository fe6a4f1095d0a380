"""Issuing, revoking and reissuing certificates, each recorded in the audit trail.

Issuing is idempotent: a learner has one certificate per path version, and asking again returns the
same one. Two simultaneous first requests both try sequence 1 and the unique constraint keeps one.
A revoked certificate is not replaced by the learner asking again (a revocation may be a sanction):
only an administrator reissues, which revokes the old one and issues the next sequence number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from elearn.accounts import record
from elearn.certificates.codes import new_code, normalise_code
from elearn.certificates.credential import (
    CertificateData,
    dumps,
    from_credential,
    redacted_credential,
    sign_credential,
    to_credential,
)
from elearn.certificates.active_time import ActiveTimeShortfall
from elearn.certificates.documents import forget_documents
from elearn.certificates.eligibility import CertificateStatus, attendance, certificate_status, certificates_of
from elearn.certificates.errors import CertificateError
from elearn.certificates.path import TrainingPath
from elearn.i18n import _
from elearn.models import Certificate, User
from elearn.models.base import utcnow
from elearn.reporting.conditions import is_erased
from elearn.xapi import record as xapi

if TYPE_CHECKING:
    from elearn.content.library import ModuleLibrary

MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class Issuer:
    """What issuing needs besides the learner: the path, the modules, the key and the public URL."""

    path: TrainingPath
    library: ModuleLibrary
    key: Ed25519PrivateKey
    #: Public address of the platform, without trailing slash (``https://formation.exemple.fr``).
    base_url: str

    def verification_url(self, code: str) -> str:
        return f"{self.base_url}/verify/{code}"


def certificate_data(certificate: Certificate) -> CertificateData:
    """The facts of a stored certificate, read from its signed credential."""
    return from_credential(json.loads(certificate.credential))


def find_certificate(session: Session, typed_code: str) -> Certificate | None:
    """The certificate a typed code designates (typing slips forgiven), or None."""
    code = normalise_code(typed_code)
    if code is None:
        return None
    return session.exec(select(Certificate).where(Certificate.code == code)).first()


def issue_certificate(session: Session, user: User, issuer: Issuer, *, actor: User | None = None) -> Certificate:
    """The learner's certificate for the current path version, issued on first request."""
    _require_identified(user)
    status = certificate_status(session, user, issuer.library, issuer.path)
    if status.certificate is not None:
        return status.certificate
    if status.revoked is not None:
        raise CertificateError(
            _(
                "Votre attestation a été révoquée. Seule l'équipe d'administration peut en délivrer une nouvelle : "
                "contactez-la."
            )
        )
    _require_eligible(status)
    try:
        return _create(session, user, issuer, sequence=1, actor=actor)
    except IntegrityError:
        session.rollback()  # another request issued it at the same moment: hand out that one
        winner = certificate_status(session, user, issuer.library, issuer.path).certificate
        if winner is None:
            raise
        return winner


def revoke_certificate(session: Session, certificate: Certificate, reason: str, *, actor: User | None) -> None:
    """Revoke with a reason; the verification page then says « révoquée » with the date."""
    _revoke(session, certificate, reason, actor)
    session.commit()


def reissue_certificate(
    session: Session, certificate: Certificate, reason: str, issuer: Issuer, *, actor: User | None
) -> Certificate:
    """Revoke ``certificate`` (if not already) and issue a new one from today's data, in one transaction.

    Used after a correction (name, profession) or a revocation made in error. The learner must still
    meet the current path's rule.
    """
    user = session.get(User, certificate.user_id)
    if user is None:  # pragma: no cover - the foreign key prevents it
        raise CertificateError(_("Le titulaire de cette attestation n'existe plus."))
    _require_identified(user)
    status = certificate_status(session, user, issuer.library, issuer.path)
    if status.certificate is not None and status.certificate.id != certificate.id:
        raise CertificateError(
            _("Cette personne a déjà une attestation valide pour ce parcours (%(code)s).", code=status.certificate.code)
        )
    _require_eligible(status)
    if certificate.revoked_at is None:
        _revoke(session, certificate, reason, actor)
    previous = certificates_of(session, user.id, issuer.path.version)  # type: ignore[arg-type]
    sequence = max((c.sequence for c in previous), default=0) + 1
    try:
        return _create(session, user, issuer, sequence=sequence, actor=actor, replaces=certificate, reason=reason)
    except IntegrityError as error:
        session.rollback()
        raise CertificateError(
            _("Une autre attestation vient d'être délivrée à cette personne : rechargez la page.")
        ) from error


def holder_erased(session: Session, certificate: Certificate) -> bool:
    """True when the holder's account was erased: pages then show no name and offer no PDF."""
    holder = session.get(User, certificate.user_id)
    return holder is None or is_erased(holder.email)


def forget_holder(session: Session, user_id: int, placeholder: str) -> None:
    """Take an erased person's name and profession out of the stored copies of their certificates.

    The certificates stay (code, dates, path, modules, hours: the organisation's record of a training
    that took place) and stay valid, since attendance is a fact; only who attended is forgotten. Their
    stored PDFs are emptied (the fingerprints stay). The caller commits, with the rest of the erasure.
    """
    for certificate in certificates_of(session, user_id):
        certificate.credential = redacted_credential(certificate.credential, placeholder)
        session.add(certificate)
        forget_documents(session, certificate)


def _require_identified(user: User) -> None:
    if is_erased(user.email):
        raise CertificateError(
            _("L'identité de cette personne a été effacée à sa demande : aucune attestation ne peut plus lui être délivrée.")
        )


def _require_eligible(status: CertificateStatus) -> None:
    if status.problems:
        raise CertificateError(_("L'attestation est momentanément indisponible : le parcours est mal configuré."))
    if status.missing:
        titles = ", ".join(_("« %(title)s »", title=m.title) for m in status.missing)
        raise CertificateError(_("Le parcours n'est pas terminé. Modules restants : %(titles)s.", titles=titles))
    _require_active_time(status.active_time)


def _require_active_time(shortfall: ActiveTimeShortfall | None) -> None:
    """The separate rule of the minimum active time (a click-through does not make an attendance proof)."""
    if shortfall is not None and not shortfall.met:
        raise CertificateError(
            _(
                "Le temps de lecture active mesuré est encore insuffisant pour délivrer l'attestation : "
                "il reste environ %(minutes)d min de lecture active à effectuer.",
                minutes=shortfall.remaining_minutes,
            )
        )


def _revoke(session: Session, certificate: Certificate, reason: str, actor: User | None) -> None:
    reason = " ".join(reason.split())
    if not reason:
        raise CertificateError(_("Indiquez le motif de la révocation."))
    if len(reason) > MAX_REASON_LENGTH:
        raise CertificateError(_("Le motif ne peut pas dépasser %(max)d caractères.", max=MAX_REASON_LENGTH))
    if certificate.revoked_at is not None:
        raise CertificateError(_("Cette attestation est déjà révoquée."))
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    certificate.revoked_by_id = actor.id if actor else None
    session.add(certificate)
    record(
        session, "certificate.revoked", actor=actor, target=f"user:{certificate.user_id}", code=certificate.code, reason=reason
    )


def _create(
    session: Session,
    user: User,
    issuer: Issuer,
    *,
    sequence: int,
    actor: User | None,
    replaces: Certificate | None = None,
    reason: str = "",
) -> Certificate:
    """Snapshot the learner's record, sign it and store it; commits, or raises IntegrityError."""
    now, code = utcnow(), new_code()
    facts = attendance(session, user, issuer.library, issuer.path)
    path, organisation, signatory = issuer.path, issuer.path.organisation, issuer.path.signatory
    data = CertificateData(
        code=code,
        verification_url=issuer.verification_url(code),
        issued_at=now,
        learner_name=user.full_name,
        learner_profession=user.profession,
        path_title=path.title,
        path_version=path.version,
        objectives=path.objectives,
        modules=facts.modules,
        nominal_minutes=facts.nominal_minutes,
        active_seconds=facts.active_seconds,
        first_activity_at=facts.first_activity_at,
        last_activity_at=facts.last_activity_at,
        organisation_name=organisation.name,
        organisation_address=organisation.address,
        registration_number=organisation.registration_number,
        signatory_name=signatory.name,
        signatory_role=signatory.role,
        signature_image=signatory.signature_image,
    )
    document = sign_credential(to_credential(data, issuer.base_url + "/"), issuer.key, now)
    certificate = Certificate(
        code=code,
        user_id=user.id,  # type: ignore[arg-type]
        path_version=path.version,
        sequence=sequence,
        issued_at=now,
        credential=dumps(document),
        replaces_id=replaces.id if replaces else None,
    )
    session.add(certificate)
    session.flush()
    details: dict[str, object] = {"code": code, "path_version": path.version, "sequence": sequence}
    if replaces is not None:
        details.update(replaces=replaces.code, reason=" ".join(reason.split()))
    record(session, "certificate.issued", actor=actor, target=f"user:{user.id}", **details)
    xapi.certificate_earned(session, user.id, code, data.verification_url, path.title, now)  # type: ignore[arg-type]
    session.commit()
    return certificate
