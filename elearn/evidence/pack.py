"""Building evidence packs: one learner's, or a group's or a period's (one folder per learner), streamed.

Layout of a learner's files (at the root of their pack, or in their folder of a group pack):

- ``apprenant.csv``: who, and their certificates (code, date, state);
- ``attestation-CODE.pdf``, ``certificat-realisation-CODE.pdf``: the signed documents as issued;
- ``releve-de-connexion.csv``, ``temps-actif-par-jour.csv``, ``tentatives-quiz.csv``, ``modules.csv``.

Then ``LISEZMOI.txt`` (French: what each file proves), ``synthese.csv`` for a group pack, and last
``manifest.json``, signed, listing every other file with its SHA-256.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session

from elearn.certificates.documents import KINDS, stored_documents
from elearn.evidence import records as files
from elearn.evidence.manifest import MANIFEST, signed_manifest
from elearn.evidence.readme import readme
from elearn.evidence.zipstream import ZipStream
from elearn.models import Certificate, User

#: The signed PDFs of a certificate to put in the pack, by kind (default: those stored).
DocumentSource = Callable[[Session, Certificate], dict[str, bytes]]


def stored_pdfs(session: Session, certificate: Certificate) -> dict[str, bytes]:
    return {kind: d.pdf for kind, d in stored_documents(session, certificate).items() if d.pdf is not None}


@dataclass(frozen=True)
class PackContext:
    """What every pack needs besides its learners."""

    key: Ed25519PrivateKey
    #: The organisation's name (the manifest's issuer).
    issuer: str
    #: Module titles by slug, for readable CSVs.
    titles: dict[str, str]
    group_names: dict[int, str]
    documents: DocumentSource = stored_pdfs


def learner_pack(session: Session, user: User, context: PackContext, now: datetime) -> Iterator[bytes]:
    """One learner's pack."""
    stream = ZipStream(now)
    yield from stream.add("LISEZMOI.txt", readme(group=False, learner_name=user.full_name, moment=now))
    [batch] = _batches(session, [user], context, size=1)
    yield from _learner_files(stream, user, context, "", batch)
    scope = {"apprenant": user.full_name, "courriel": user.email}
    yield from _finish(stream, context, now, scope)


def group_pack(
    session: Session, users: Sequence[User], context: PackContext, now: datetime, scope: dict[str, Any]
) -> Iterator[bytes]:
    """A pack of several learners: one folder each, and ``synthese.csv`` with one line per learner."""
    stream = ZipStream(now)
    yield from stream.add("LISEZMOI.txt", readme(group=True, learner_name="", moment=now))
    summary = []
    number = 0
    for batch in _batches(session, users, context):
        for user in batch.users:
            number += 1
            folder = f"{number:04d}-{folder_name(user.full_name)}/"
            facts = yield from _learner_files(stream, user, context, folder, batch)
            summary.append((folder, facts))
    yield from stream.add("synthese.csv", files.to_csv(
        ("dossier", "nom", "courriel", "profession", "groupe", "modules terminés", "temps actif (minutes)",
         "dernière activité", "attestations"),
        (row_for(folder, facts) for folder, facts in summary),
    ))
    yield from _finish(stream, context, now, {**scope, "apprenants": len(users)})


@dataclass
class _Batch:
    """What the files of a few learners need, read together (a few queries per batch, not per learner)."""

    users: Sequence[User]
    records: dict[int, files.LearnerRecords]
    certificates: dict[int, list[Certificate]]
    pdfs: dict[int, dict[str, bytes]]


#: Learners read per batch: few queries, and the batch's stored PDFs (~120 kB each) stay well under 50 MB.
BATCH_SIZE = 100


def _batches(session: Session, users: Sequence[User], context: PackContext, size: int = BATCH_SIZE) -> Iterator[_Batch]:
    for start in range(0, len(users), size):
        batch = users[start : start + size]
        ids = [user.id for user in batch]
        certificates = _certificates(session, ids)  # type: ignore[arg-type]
        owned = [c for listed in certificates.values() for c in listed]
        if context.documents is stored_pdfs:  # one query for the batch rather than one per certificate
            pdfs = _stored_pdfs(session, [c.id for c in owned])  # type: ignore[misc]
        else:
            pdfs = {c.id: context.documents(session, c) for c in owned}
        yield _Batch(batch, files.read_records(session, ids), certificates, pdfs)  # type: ignore[arg-type]


def _learner_files(stream: ZipStream, user: User, context: PackContext, folder: str, batch: _Batch):  # noqa: ANN202
    """Write one learner's files under ``folder``; returns the facts of their summary line."""
    certificates = batch.certificates.get(user.id, [])  # type: ignore[arg-type]
    group = context.group_names.get(user.group_id or 0, "")
    yield from stream.add(folder + "apprenant.csv", files.to_csv(
        ("nom", "courriel", "profession", "groupe", "attestation", "version du parcours", "délivrée le", "état"),
        [(user.full_name, user.email, user.profession, group, c.code, c.path_version, files.moment(c.issued_at),
          f"révoquée le {files.moment(c.revoked_at)}" if c.revoked_at else "valide") for c in certificates]
        or [(user.full_name, user.email, user.profession, group, "", "", "", "aucune attestation")],
    ))
    for certificate in certificates:
        for kind, content in batch.pdfs.pop(certificate.id, {}).items():  # type: ignore[arg-type]
            yield from stream.add(f"{folder}{KINDS[kind][1]}-{certificate.code}.pdf", content, compress=False)
    recorded = batch.records[user.id]  # type: ignore[index]
    for name, make in (
        ("releve-de-connexion.csv", files.connection_log),
        ("temps-actif-par-jour.csv", files.active_time_by_day),
        ("tentatives-quiz.csv", files.quiz_attempts),
        ("modules.csv", files.completions),
    ):
        yield from stream.add(folder + name, make(recorded, context.titles))
    last = max((row.last_activity_at for row in recorded.activity), default=None)
    return user, group, recorded, last, certificates


def _stored_pdfs(session: Session, certificate_ids: list[int]) -> dict[int, dict[str, bytes]]:
    from sqlmodel import col, select

    from elearn.models import CertificateDocument

    pdfs: dict[int, dict[str, bytes]] = {}
    statement = select(CertificateDocument).where(col(CertificateDocument.certificate_id).in_(certificate_ids))
    for document in session.exec(statement):
        if document.pdf is not None:
            pdfs.setdefault(document.certificate_id, {})[document.kind] = document.pdf
    return pdfs


def _certificates(session: Session, user_ids: list[int]) -> dict[int, list[Certificate]]:
    """The learners' certificates, oldest first, without their credential (not written in the pack)."""
    from sqlalchemy.orm import defer
    from sqlmodel import col, select

    statement = select(Certificate).where(col(Certificate.user_id).in_(user_ids)).options(defer(Certificate.credential))  # type: ignore[arg-type]
    owned: dict[int, list[Certificate]] = {}
    for certificate in session.exec(statement.order_by(col(Certificate.issued_at), col(Certificate.sequence))):
        owned.setdefault(certificate.user_id, []).append(certificate)
    return owned


def row_for(folder: str, facts: tuple) -> tuple:
    user, group, recorded, last, certificates = facts
    return (folder, user.full_name, user.email, user.profession, group, len(recorded.completed),
            round(recorded.active_seconds / 60, 1), files.moment(last), " ".join(c.code for c in certificates))


def _finish(stream: ZipStream, context: PackContext, now: datetime, scope: dict[str, Any]) -> Iterator[bytes]:
    manifest = signed_manifest(dict(stream.digests), context.key, now, issuer=context.issuer, scope=scope)
    yield from stream.add(MANIFEST, manifest)
    yield from stream.close()


def folder_name(name: str) -> str:
    """« Léa N'Diaye » → « lea-n-diaye »: ASCII, safe on every file system."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60] or "apprenant"


def period_scope(group: str | None, start: date | None, end: date | None) -> dict[str, Any]:
    return {"groupe": group, "du": start.isoformat() if start else None, "au": end.isoformat() if end else None}


class UnknownGroup(ValueError):
    """The group named does not exist."""


def learners_for(session: Session, group_name: str | None, start: date | None, end: date | None) -> list[User]:
    """Learners of the group (all when None) with recorded activity in the period (any when open), by name."""
    from sqlmodel import col, select

    from elearn.models import ActiveTime, Role, TrainingGroup

    statement = select(User).where(User.role == Role.LEARNER.value)
    if group_name:
        group = session.exec(select(TrainingGroup).where(TrainingGroup.name == group_name)).first()
        if group is None:
            raise UnknownGroup(group_name)
        statement = statement.where(User.group_id == group.id)
    if start or end:
        active = select(ActiveTime.user_id)
        if start:
            active = active.where(ActiveTime.day >= start)
        if end:
            active = active.where(ActiveTime.day <= end)
        statement = statement.where(col(User.id).in_(active))
    return list(session.exec(statement.order_by(col(User.full_name), col(User.id))))


def group_names(session: Session) -> dict[int, str]:
    from sqlmodel import select

    from elearn.models import TrainingGroup

    return {group.id: group.name for group in session.exec(select(TrainingGroup))}  # type: ignore[misc]
