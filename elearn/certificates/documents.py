"""The signed PDFs of a certificate: made once, stored as handed out, recognised byte for byte.

A PDF is rendered from the certificate's signed credential (:mod:`elearn.certificates.pdf`), then
signed as a whole (:mod:`elearn.certificates.pades`). Its bytes and SHA-256 are stored on first
request, so every later download is the very same file, and a file brought back to ``/verify`` can
be told apart from the one issued. Two simultaneous first downloads both render; the unique
constraint keeps one and the other request serves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from elearn.certificates import pades
from elearn.certificates.credential import CertificateData
from elearn.models import Certificate, CertificateDocument

ATTESTATION = "attestation"
REALISATION = "realisation"
#: The kinds of document: their title (printed, and the signature's reason), file name prefix and template.
KINDS = {
    ATTESTATION: ("Attestation de suivi de formation", "attestation", "attestation.html"),
    REALISATION: ("Certificat de réalisation", "certificat-realisation", "realisation.html"),
}


@dataclass(frozen=True)
class DocumentMaker:
    """What rendering and signing need besides the certificate: folders, artwork, the PDF signer."""

    instance_dir: Path
    media_dir: Path
    #: :class:`elearn.certificates.pdf.Artwork` (kept untyped here: importing pdf loads WeasyPrint).
    artwork: object = None

    def render(self, kind: str, data: CertificateData, credential_json: str) -> bytes:
        """The signed PDF of ``kind`` for ``data``."""
        from elearn.certificates.pdf import Artwork, render_pdf  # WeasyPrint: ~70 MB, paid by the first PDF

        content = render_pdf(
            data, credential_json, self.instance_dir, self.media_dir, self.artwork or Artwork(), KINDS[kind][2]
        )
        return pades.sign_pdf(
            content, pades.load_signer(self.instance_dir), name=data.organisation_name, reason=KINDS[kind][0]
        )


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_documents(session: Session, certificate: Certificate) -> dict[str, CertificateDocument]:
    rows = session.exec(select(CertificateDocument).where(CertificateDocument.certificate_id == certificate.id))
    return {row.kind: row for row in rows}


def document_for(session: Session, certificate: Certificate, kind: str, make: Callable[[], bytes]) -> CertificateDocument:
    """The stored document of ``kind``, made by ``make`` and stored (committed) on first request."""
    existing = stored_documents(session, certificate).get(kind)
    if existing is not None:
        return existing
    content = make()
    document = CertificateDocument(certificate_id=certificate.id, kind=kind, pdf=content, sha256=sha256(content))  # type: ignore[arg-type]
    session.add(document)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another request stored it first: serve that one
        return stored_documents(session, certificate)[kind]
    return document


def forget_documents(session: Session, certificate: Certificate) -> None:
    """Empty the stored PDFs of an erased holder (they print the name); their fingerprints stay."""
    for document in stored_documents(session, certificate).values():
        document.pdf = None
        session.add(document)
