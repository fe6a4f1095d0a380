"""The PDF signature (PAdES) of every issued document, and its check.

The credential inside the PDF is signed (Ed25519, :mod:`elearn.certificates.credential`), but PDF
readers cannot check it, and it says nothing of the page around it. Each PDF is therefore also
signed as a whole, as a PAdES baseline signature (ETSI EN 319 142, made with pyHanko) covering every
byte of the file: any change after issue breaks it, and Acrobat, Okular or poppler's ``pdfsig`` show
the signature panel.

The key is ECDSA P-256 (what common readers validate; Ed25519 is not yet supported by them) with an
X.509 certificate. ``elearn init`` creates a self-issued one in ``<instance>/certificate_pdf_signer.pem``
(the private key, then the certificate: one file, so that workers starting together cannot pair one
worker's key with another's certificate). An organisation that holds a certificate from a
certification authority replaces that file with its own key and certificate chain (PEM, RSA or
ECDSA P-256); readers then also show the signer as trusted.

Checking (:func:`check_signature`) asks that the file carry exactly one signature, intact, covering
the whole file (no incremental update appended after it: a later revision can change what a reader
shows while the signed bytes stay intact), made with this installation's certificate when known.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from elearn.certificates.errors import CertificateError
from elearn.i18n import _
from elearn.private_files import create_once

T = TypeVar("T")

SIGNER_FILE = "certificate_pdf_signer.pem"
FIELD_NAME = "Signature-organisme"
#: A self-issued certificate outlives any training record it may have to prove.
SELF_ISSUED_YEARS = 30


class PdfSignerError(CertificateError):
    """The signer file is missing or unreadable; the message says what to do."""


@dataclass(frozen=True)
class SignerFiles:
    """The PEM blocks of the signer file: the private key, the certificate and its chain."""

    key_pem: bytes
    certificates_pem: bytes

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificates(self.certificates_pem)[0]


def fingerprint(certificate_der: bytes) -> str:
    """SHA-256 of a certificate, as readers print it (« AB:CD:… »)."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(certificate_der).digest())


def _self_issued(common_name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "elearn")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * SELF_ISSUED_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digitalSignature and nonRepudiation (content commitment) only
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key_pem + certificate.public_bytes(serialization.Encoding.PEM)


def ensure_signer(instance_dir: Path, common_name: str = "Attestations de formation (elearn)") -> bool:
    """Create the self-issued signer unless a signer file exists; True when this call created it."""
    file = Path(instance_dir) / SIGNER_FILE
    if file.exists():
        load_signer(instance_dir)  # an unreadable file is reported, never replaced
        return False
    create_once(file, _self_issued(common_name))
    return True


def load_signer(instance_dir: Path) -> SignerFiles:
    """The signer file, created (self-issued) on first use."""
    file = Path(instance_dir) / SIGNER_FILE
    if not file.exists():
        create_once(file, _self_issued("Attestations de formation (elearn)"))
    raw = file.read_bytes()
    blocks = raw.split(b"-----BEGIN ")
    key_blocks = [b"-----BEGIN " + b for b in blocks if b.startswith((b"PRIVATE KEY", b"EC PRIVATE KEY", b"RSA PRIVATE KEY"))]
    cert_blocks = [b"-----BEGIN " + b for b in blocks if b.startswith(b"CERTIFICATE")]
    if len(key_blocks) != 1 or not cert_blocks:
        raise PdfSignerError(
            _("%(file)s doit contenir une clé privée puis son certificat (PEM), et éventuellement la chaîne.", file=file)
        )
    signer = SignerFiles(key_blocks[0], b"".join(cert_blocks))
    key = serialization.load_pem_private_key(signer.key_pem, password=None)
    if signer.certificate.public_key().public_numbers() != key.public_key().public_numbers():  # type: ignore[union-attr]
        raise PdfSignerError(_("%(file)s : le certificat ne correspond pas à la clé privée.", file=file))
    return signer


def sign_pdf(content: bytes, signer: SignerFiles, *, name: str, reason: str, location: str = "") -> bytes:
    """``content`` signed as PAdES baseline-B over the whole file (one incremental update holding the signature)."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificates = list(load_certs_from_pemder_data(signer.certificates_pem))
    pdf_signer = signers.SimpleSigner(
        signing_cert=certificates[0],
        signing_key=load_private_key_from_pemder_data(signer.key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(certificates),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    output = _run(lambda: signers.async_sign_pdf(writer, metadata, signer=pdf_signer))
    return output.getvalue()


def _run(make_coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one of pyHanko's coroutines to completion, also from a thread whose event loop is running.

    pyHanko's synchronous functions call ``asyncio.run``, which refuses to run inside a running loop
    (an asyncio server, a notebook, Playwright's synchronous API in the tests): there, a worker thread
    with its own loop does it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of :func:`check_signature`: ``valid`` or not, and the French ``message``."""

    valid: bool
    message: str
    signer_fingerprint: str = ""


def check_signature(content: bytes, expected_certificate: x509.Certificate | None) -> SignatureCheck:
    """Is the PDF signed, intact, covered up to its last byte, and by the expected certificate?"""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, OSError):
        return SignatureCheck(False, "Ce fichier n'est pas un PDF lisible, ou il est endommagé.")
    if not signatures:
        return SignatureCheck(
            False,
            "Ce PDF ne porte pas de signature électronique : il a été réenregistré, modifié ou n'a pas été délivré "
            "par la plateforme.",
        )
    if len(signatures) > 1:
        return SignatureCheck(False, "Ce PDF porte plusieurs signatures : il a été modifié après sa délivrance.")
    signature = signatures[0]
    der = signature.signer_cert.dump()
    try:
        context = ValidationContext(trust_roots=[signature.signer_cert])
        status = _run(lambda: async_validate_pdf_signature(signature, context))
    except (SignatureValidationError, PdfReadError, ValueError, KeyError, TypeError) as error:
        return SignatureCheck(False, f"La signature électronique du PDF est illisible ou invalide ({error}).")
    if not status.intact or not status.valid:
        return SignatureCheck(
            False,
            "La signature électronique du PDF ne correspond plus à son contenu : le fichier a été modifié après sa "
            "délivrance.",
        )
    if signature.coverage.name != "ENTIRE_FILE":
        return SignatureCheck(
            False,
            "Le PDF a été complété après sa signature (mise à jour incrémentale ajoutée au fichier) : ce qu'il affiche "
            "peut différer de ce qui a été signé.",
        )
    found = fingerprint(der)
    if expected_certificate is not None:
        expected = fingerprint(expected_certificate.public_bytes(serialization.Encoding.DER))
        if found != expected:
            return SignatureCheck(
                False,
                f"Le PDF est signé par un autre certificat que celui de l'organisme (empreinte {found}, attendue "
                f"{expected}).",
                found,
            )
    return SignatureCheck(True, "Signature électronique du PDF valide : le fichier n'a pas été modifié depuis sa délivrance.", found)
