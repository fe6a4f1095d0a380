"""The Ed25519 key that signs certificates, and its public forms (PEM, multibase, ``did:key``).

The private key is created by ``elearn init`` (or, failing that, on first use) in
``instance/certificate_signing_key.pem`` (mode 0600) and never leaves the server. The public key is
published by the app and identified inside each credential as a ``did:key``, which embeds the key
itself: any W3C Data Integrity verifier can check the signature offline, and
:mod:`elearn.certificates.verify` additionally checks that it is *this* organisation's key.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from elearn.certificates.errors import CertificateError
from elearn.i18n import _
from elearn.private_files import create_once

KEY_FILE = "certificate_signing_key.pem"
#: Multicodec prefix of an Ed25519 public key (0xed, varint-encoded), used by did:key and Multikey.
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class SigningKeyError(CertificateError):
    """The key file is missing or unreadable; the message says what to do."""


def load_or_create_private_key(instance_dir: Path) -> Ed25519PrivateKey:
    """The signing key, created on first use.

    Several workers starting together all end up using the first key written (see
    :func:`elearn.private_files.create_once`).
    """
    file = Path(instance_dir) / KEY_FILE
    if not file.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        create_once(file, pem)
    return _read_private_key(file)


def ensure_private_key(instance_dir: Path) -> bool:
    """Create the signing key unless it exists; True when this call found it missing.

    ``elearn init`` calls it, so the key exists from the first run (and can be backed up with the
    database) rather than appearing with the first certificate. An existing file is read, never
    replaced: ValueError or SigningKeyError when it is not a readable Ed25519 key.
    """
    missing = not (Path(instance_dir) / KEY_FILE).exists()
    load_or_create_private_key(instance_dir)
    return missing


def _read_private_key(file: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(_("%(file)s ne contient pas une clé Ed25519.", file=file))
    return key


def load_public_key(instance_dir: Path) -> Ed25519PublicKey:
    """The public half of the instance's key, without ever creating one (verification only)."""
    file = Path(instance_dir) / KEY_FILE
    if not file.is_file():
        raise SigningKeyError(
            _(
                "Aucune clé de signature dans %(folder)s : aucune attestation n'a été délivrée ici. "
                "Indiquez la clé publique de l'organisme avec --key.",
                folder=instance_dir,
            )
        )
    return _read_private_key(file).public_key()


def read_public_key_file(file: Path) -> Ed25519PublicKey:
    """A public key given as PEM, or as the JSON document the app publishes (``publicKeyPem``)."""
    try:
        raw = Path(file).read_bytes()
    except OSError as error:
        raise SigningKeyError(_("Impossible de lire la clé %(file)s : %(error)s.", file=file, error=error.strerror)) from error
    if raw.lstrip().startswith(b"{"):
        try:
            raw = json.loads(raw)["publicKeyPem"].encode()
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SigningKeyError(_("%(file)s : document JSON sans « publicKeyPem ».", file=file)) from error
    try:
        key = serialization.load_pem_public_key(raw)
    except ValueError as error:
        raise SigningKeyError(_("%(file)s n'est pas une clé publique PEM.", file=file)) from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(_("%(file)s n'est pas une clé publique Ed25519.", file=file))
    return key


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def base58btc(data: bytes) -> str:
    """Bitcoin base58 (the ``z`` multibase), which did:key and Data Integrity proofs use."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, remainder = divmod(number, 58)
        digits = BASE58_ALPHABET[remainder] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc`; ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        number = number * 58 + BASE58_ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """``z6Mk…``: the Multikey form of the public key."""
    return "z" + base58btc(ED25519_MULTICODEC + raw_public_bytes(key))


def did_key(key: Ed25519PublicKey) -> str:
    return f"did:key:{public_key_multibase(key)}"


def verification_method(key: Ed25519PublicKey) -> str:
    """The id a proof cites for this key: ``did:key:z6Mk…#z6Mk…``."""
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_verification_method(method: str) -> Ed25519PublicKey:
    """The key a ``did:key`` verification method embeds; ValueError when it is not one."""
    multibase = method.removeprefix("did:key:").split("#", 1)[0]
    if not method.startswith("did:key:z") or not multibase.startswith("z"):
        raise ValueError("not an Ed25519 did:key")
    raw = base58btc_decode(multibase[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 did:key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_document(key: Ed25519PublicKey) -> dict[str, str | list[str]]:
    """What the app publishes: the Multikey verification method, plus the PEM for other tools."""
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": verification_method(key),
        "type": "Multikey",
        "controller": did_key(key),
        "publicKeyMultibase": public_key_multibase(key),
        "publicKeyPem": public_key_pem(key),
    }


def verify_signature(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
