"""Offline verification of a certificate PDF: the PDF signature, the embedded credential, the printed page.

The PDF's own signature (:mod:`elearn.certificates.pades`) comes first: it covers every byte, so any
change after issue (an overlay, an image, an incremental update, a re-saved file, one flipped byte)
breaks it. The embedded credential and the printed page are then checked as a second opinion, which
names what was changed when it can. Each way a file can fail has its own French message, because the person reading it (an employer, a
funder, an administrator) needs to know whether the file was altered, re-saved without its
attachment, or signed by someone else. Revocation cannot be known offline; the result says so and
gives the verification URL.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from elearn.certificates.credential import CertificateData, CredentialError, from_credential, verify_credential
from elearn.certificates.pades import check_signature
from elearn.certificates.pdf import ATTACHMENT_NAME
from elearn.certificates.printed import Run, page_problems, page_runs, printed_facts
from elearn.formatting import date_fr


@dataclass(frozen=True)
class Verification:
    """The outcome: ``valid`` with the certificate's ``data``, or not, and the French ``message``."""

    valid: bool
    message: str
    data: CertificateData | None = None


def verify_pdf(
    content: bytes, trusted_key: Ed25519PublicKey, pdf_certificate: x509.Certificate | None = None
) -> Verification:
    """Verify the PDF ``content``: its PDF signature (by ``pdf_certificate`` when known), then its credential
    against the organisation's public key and its printed page."""
    signature = check_signature(content, pdf_certificate)
    second = _second_opinion(content, trusted_key)
    if not signature.valid and second.message == signature.message:  # not a readable PDF: said once
        return Verification(False, signature.message)
    if not signature.valid:
        return Verification(False, f"{signature.message}\nDeuxième avis (attestation jointe et page imprimée) : {second.message}", second.data)
    if not second.valid:
        return second
    who = "certificat de l'organisme" if pdf_certificate is not None else "certificat non comparé à celui de l'organisme"
    return replace(second, message=f"{second.message}\n{signature.message} ({who}, empreinte SHA-256 {signature.signer_fingerprint}).")


def _second_opinion(content: bytes, trusted_key: Ed25519PublicKey) -> Verification:
    """The embedded credential and the printed page (what was checked before PDFs were signed)."""
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


@dataclass(frozen=True)
class UploadComparison:
    """A PDF brought to ``/verify/<code>``: the very file issued for that code, or what differs."""

    same_file: bool
    message: str
    differences: tuple[str, ...] = ()


def compare_with_issued(
    content: bytes,
    issued: CertificateData,
    fingerprints: dict[str, str],
    trusted_key: Ed25519PublicKey,
    pdf_certificate: x509.Certificate | None,
) -> UploadComparison:
    """Is ``content`` one of the files issued for ``issued`` (by SHA-256), and if not, which field differs?

    ``fingerprints``: the SHA-256 of each document stored for the certificate, by kind.
    """
    digest = hashlib.sha256(content).hexdigest()
    if digest in fingerprints.values():
        return UploadComparison(True, f"C'est bien le fichier délivré pour ce code (empreinte SHA-256 {digest}).")
    result = verify_pdf(content, trusted_key, pdf_certificate)
    if result.data is not None and result.data.code != issued.code:
        return UploadComparison(
            False, f"Ce fichier n'est pas celui délivré pour ce code : il porte une autre attestation (code {result.data.code})."
        )
    differences = [*_signed_differences(issued, result.data), *_printed_differences(content, issued)]
    if not differences:
        differences = [
            "aucune information imprimée ne diffère, mais le fichier a été modifié ou réenregistré après sa "
            "délivrance : seul le fichier d'origine fait foi"
        ]
    return UploadComparison(
        False,
        "Ce fichier n'est pas celui délivré pour ce code : " + _lower_first(result.message.splitlines()[0]),
        tuple(d[0].upper() + d[1:] for d in dict.fromkeys(differences)),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _signed_differences(issued: CertificateData, found: CertificateData | None) -> list[str]:
    if found is None:
        return []
    theirs = {fact.field: fact.value for fact in printed_facts(found)}
    return [
        f"{fact.field} : le fichier porte « {theirs.get(fact.field, '')} », l'attestation délivrée « {fact.value} »"
        for fact in printed_facts(issued)
        if theirs.get(fact.field) != fact.value
    ]


def _printed_differences(content: bytes, issued: CertificateData) -> list[str]:
    try:
        return page_problems(issued, page_runs(PdfReader(BytesIO(content))))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return ["le fichier n'est pas un PDF lisible"]
