"""Offline verification of a certificate PDF: the embedded credential, its signature, the printed page.

Each way a file can fail has its own French message, because the person reading it (an employer, a
funder, an administrator) needs to know whether the file was altered, re-saved without its
attachment, or signed by someone else. Revocation cannot be known offline; the result says so and
gives the verification URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import BytesIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from elearn.certificates.credential import CertificateData, CredentialError, from_credential, verify_credential
from elearn.certificates.pdf import ATTACHMENT_NAME
from elearn.certificates.printed import Run, page_problems, page_runs, printed_facts
from elearn.formatting import date_fr


@dataclass(frozen=True)
class Verification:
    """The outcome: ``valid`` with the certificate's ``data``, or not, and the French ``message``."""

    valid: bool
    message: str
    data: CertificateData | None = None


def verify_pdf(content: bytes, trusted_key: Ed25519PublicKey) -> Verification:
    """Verify the PDF ``content`` against the organisation's public key."""
    try:
        reader = PdfReader(BytesIO(content))
        attachments = reader.attachments.get(ATTACHMENT_NAME) or []
        runs = page_runs(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return Verification(False, "Ce fichier n'est pas un PDF lisible, ou il est endommagé.")
    if not attachments:
        return Verification(
            False,
            f"Ce PDF ne contient pas l'attestation signée (pièce jointe {ATTACHMENT_NAME} absente) : il a pu être "
            "réenregistré ou imprimé puis numérisé. Vérifiez son code en ligne.",
        )
    if len(attachments) > 1:
        return Verification(False, f"Ce PDF contient plusieurs pièces jointes {ATTACHMENT_NAME} : il a été modifié.")
    try:
        document = json.loads(attachments[0].decode("utf-8"))
    except UnicodeDecodeError:
        return Verification(False, f"La pièce jointe {ATTACHMENT_NAME} n'est pas du texte UTF-8 : elle a été altérée.")
    except json.JSONDecodeError as error:
        return Verification(
            False,
            f"La pièce jointe {ATTACHMENT_NAME} n'est pas un JSON valide (ligne {error.lineno}, colonne {error.colno}) : "
            "elle a été altérée.",
        )
    if not isinstance(document, dict):
        return Verification(False, f"La pièce jointe {ATTACHMENT_NAME} n'est pas une attestation.")
    return _check_document(document, trusted_key, runs)


def signed_summary(data: CertificateData) -> str:
    """The signed values, one per line, for the reader to compare with the printed page by eye."""
    lines = "\n".join(f"  - {fact.field} : {fact.value}" for fact in printed_facts(data))
    return f"Données signées (à comparer avec la page imprimée) :\n{lines}"


def _check_document(document: dict, trusted_key: Ed25519PublicKey, runs: list[Run]) -> Verification:
    try:
        verify_credential(document, trusted_key)
        data = from_credential(document)
    except CredentialError as error:
        return Verification(False, error.message)
    problems = page_problems(data, runs)
    if problems:
        return Verification(
            False,
            "Document modifié : l'attestation signée jointe est authentique, mais la page imprimée ne lui correspond "
            f"pas. {'. '.join(problem[0].upper() + problem[1:] for problem in problems)}.\n{signed_summary(data)}",
            data,
        )
    return Verification(
        True,
        f"Attestation authentique : délivrée le {date_fr(data.issued_at)} à {data.learner_name} pour la formation "
        f"« {data.path_title} » par {data.organisation_name} (code {data.code}). Une révocation éventuelle ne se "
        f"vérifie qu'en ligne : {data.verification_url}\n{signed_summary(data)}",
        data,
    )
