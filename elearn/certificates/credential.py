"""The machine-readable certificate: an Open Badges 3.0 / W3C Verifiable Credential, signed.

Shape: a VC Data Model 2.0 document of type ``OpenBadgeCredential`` whose ``credentialSubject`` is an
``AchievementSubject`` (the learner, named by an ``IdentityObject``, with ``role`` = profession and
``activityStartDate``/``activityEndDate``) holding the ``Achievement`` (the training path). Facts that
Open Badges has no term for (modules with completion date and score, nominal duration, measured
active time, delivery mode, signatory) are plain properties, which the VC 2.0 context maps to its
issuer-dependent vocabulary.

Proof: a W3C Data Integrity proof, cryptosuite ``eddsa-jcs-2022``: the document and the proof options
are each canonicalised with JCS (RFC 8785) and hashed with SHA-256; the Ed25519 signature of the two
hashes (options first) is the ``proofValue``, base58btc-encoded with the ``z`` multibase prefix.

:class:`CertificateData` is what the PDF and the verification page show; it is read back from the
stored credential, so the signed document is the single source of every printed field.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from elearn.certificates import signing
from elearn.certificates.errors import CertificateError
from elearn.certificates.path import is_placeholder
from elearn.i18n import _

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
DELIVERY_MODE = "formation à distance"
CRYPTOSUITE = "eddsa-jcs-2022"


@dataclass(frozen=True)
class ModuleRecord:
    """One required module as completed by the learner."""

    slug: str
    title: str
    duration_minutes: int
    completed_at: datetime
    score: float | None  # percent; None for a module without quiz


@dataclass(frozen=True)
class CertificateData:
    """Every fact printed on a certificate."""

    code: str
    verification_url: str
    issued_at: datetime
    learner_name: str
    learner_profession: str
    path_title: str
    path_version: str
    objectives: tuple[str, ...]
    modules: tuple[ModuleRecord, ...]
    nominal_minutes: int
    active_seconds: int
    first_activity_at: datetime
    last_activity_at: datetime
    organisation_name: str
    organisation_address: str
    registration_number: str
    signatory_name: str
    signatory_role: str
    signature_image: str | None
    delivery_mode: str = DELIVERY_MODE


def is_demonstration(data: CertificateData) -> bool:
    """Issued while the organisation still had an example value: the document says it is a demonstration."""
    values = (data.organisation_name, data.organisation_address, data.registration_number, data.signatory_name, data.signatory_role)
    return any(not value.strip() or is_placeholder(value) for value in values)


class CredentialError(CertificateError):
    """The credential cannot be trusted or read."""


# Canonical JSON (JCS, RFC 8785) ---------------------------------------------------------------------


def _jcs_ready(value: Any) -> Any:
    """Numbers as JCS writes them: integral floats become integers; exotic floats are refused.

    For strings, integers, booleans, null, ASCII keys and the plain decimals used here (scores such as
    87.5), ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` then produces
    exactly the RFC 8785 serialisation.
    """
    if isinstance(value, dict):
        return {key: _jcs_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jcs_ready(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value) or (value and not 1e-6 <= abs(value) < 1e21):
            raise ValueError(f"number outside what this canonicaliser supports: {value!r}")
        return int(value) if value.is_integer() else value
    return value


def canonical_json(value: Any) -> bytes:
    """The JCS serialisation of ``value``, UTF-8 encoded."""
    text = json.dumps(_jcs_ready(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


# Building and reading ---------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def to_credential(data: CertificateData, issuer_id: str) -> dict[str, Any]:
    """The unsigned credential for ``data``; ``issuer_id`` is the platform's URL."""
    return {
        "@context": CONTEXT,
        "id": data.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Attestation de suivi de formation — {data.path_title}",
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": data.organisation_name,
            "address": {"type": ["Address"], "streetAddress": data.organisation_address},
            "otherIdentifier": [
                {"type": "IdentifierEntry", "identifier": data.registration_number, "identifierType": "identifier"}
            ],
            "signatory": {"name": data.signatory_name, "role": data.signatory_role, "image": data.signature_image},
        },
        "validFrom": _iso(data.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": data.learner_name}
            ],
            "role": data.learner_profession,
            "activityStartDate": _iso(data.first_activity_at),
            "activityEndDate": _iso(data.last_activity_at),
            "achievement": {
                "id": f"{issuer_id.rstrip('/')}/parcours/{data.path_version}",
                "type": ["Achievement"],
                "achievementType": "LearningProgram",
                "name": data.path_title,
                "description": "Objectifs : " + " ; ".join(data.objectives),
                "criteria": {"narrative": "Avoir terminé chacun des modules obligatoires du parcours, quiz réussis."},
                "inLanguage": "fr",
                "version": data.path_version,
                "objectives": list(data.objectives),
            },
            "certificateCode": data.code,
            "deliveryMode": data.delivery_mode,
            "nominalDurationMinutes": data.nominal_minutes,
            "activeTimeSeconds": data.active_seconds,
            "modules": [
                {
                    "id": m.slug,
                    "name": m.title,
                    "durationMinutes": m.duration_minutes,
                    "completedAt": _iso(m.completed_at),
                    "score": None if m.score is None else round(m.score, 1),
                }
                for m in data.modules
            ],
        },
    }


def from_credential(document: dict[str, Any]) -> CertificateData:
    """Read a credential made by :func:`to_credential` back; CredentialError when a field is missing."""
    try:
        issuer, subject = document["issuer"], document["credentialSubject"]
        achievement = subject["achievement"]
        return CertificateData(
            code=subject["certificateCode"],
            verification_url=document["id"],
            issued_at=_moment(document["validFrom"]),
            learner_name=subject["identifier"][0]["identityHash"],
            learner_profession=subject.get("role", ""),
            path_title=achievement["name"],
            path_version=achievement["version"],
            objectives=tuple(achievement["objectives"]),
            modules=tuple(
                ModuleRecord(m["id"], m["name"], m["durationMinutes"], _moment(m["completedAt"]), m["score"])
                for m in subject["modules"]
            ),
            nominal_minutes=subject["nominalDurationMinutes"],
            active_seconds=subject["activeTimeSeconds"],
            first_activity_at=_moment(subject["activityStartDate"]),
            last_activity_at=_moment(subject["activityEndDate"]),
            organisation_name=issuer["name"],
            organisation_address=issuer["address"]["streetAddress"],
            registration_number=issuer["otherIdentifier"][0]["identifier"],
            signatory_name=issuer["signatory"]["name"],
            signatory_role=issuer["signatory"]["role"],
            signature_image=issuer["signatory"].get("image"),
            delivery_mode=subject["deliveryMode"],
        )
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise CredentialError(
            _("L'attestation est incomplète ou mal formée (champ %(field)s manquant ou invalide).", field=error)
        ) from error


def redact_holder(document: dict[str, Any], placeholder: str) -> dict[str, Any]:
    """The credential without its holder's identity: name replaced by ``placeholder``, no profession.

    For the organisation's copy after an erasure (right to erasure). The proof is dropped with the
    name: it covered the name, so it could only fail now. The holder's own PDF keeps the signed original.
    A document without a subject has no holder to remove: an erasure never fails on an odd record.
    """
    redacted = {key: value for key, value in document.items() if key != "proof"}
    subject = document.get("credentialSubject")
    if isinstance(subject, dict):
        identity = {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": placeholder}
        redacted["credentialSubject"] = {**subject, "role": "", "identifier": [identity]}
    return redacted


def redacted_credential(stored: str, placeholder: str) -> str:
    """The stored credential text ``stored`` without its holder (:func:`redact_holder`), stored the same way.

    Pure, on text: an erasure and the migration that scrubs earlier erasures (0070) share it. Applied
    to its own result it changes nothing. ValueError when ``stored`` is not JSON.
    """
    return dumps(redact_holder(json.loads(stored), placeholder))


# Proof (eddsa-jcs-2022) --------------------------------------------------------------------------------


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof options (with the document's context), then of the document."""
    config = {**options, "@context": document.get("@context")}
    return hashlib.sha256(canonical_json(config)).digest() + hashlib.sha256(canonical_json(document)).digest()


def sign_credential(document: dict[str, Any], key: Ed25519PrivateKey, created: datetime) -> dict[str, Any]:
    """The document with its Data Integrity proof added."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _iso(created),
        "verificationMethod": signing.verification_method(key.public_key()),
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + signing.base58btc(signature)}}


def verify_credential(document: dict[str, Any], trusted_key: Ed25519PublicKey) -> None:
    """Check the proof of ``document`` against the organisation's key; CredentialError says what failed."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise CredentialError(_("L'attestation ne porte pas de signature (pas de « proof »)."))
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise CredentialError(
            _("Signature d'un format non reconnu (attendu : DataIntegrityProof %(cryptosuite)s).", cryptosuite=CRYPTOSUITE)
        )
    try:
        signer = signing.public_key_from_verification_method(str(proof.get("verificationMethod", "")))
    except ValueError as error:
        raise CredentialError(_("La clé qui aurait signé l'attestation est illisible.")) from error
    if signing.raw_public_bytes(signer) != signing.raw_public_bytes(trusted_key):
        raise CredentialError(
            _(
                "L'attestation a été signée avec une autre clé que celle de l'organisme "
                "(clé de la signature : %(signer)s ; clé attendue : %(expected)s).",
                signer=signing.did_key(signer),
                expected=signing.did_key(trusted_key),
            )
        )
    value = str(proof.get("proofValue", ""))
    try:
        signature = signing.base58btc_decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise CredentialError(_("La signature de l'attestation est illisible."))
    try:
        hashed = _hash_data(unsigned, options)
    except ValueError as error:
        raise CredentialError(_("L'attestation contient une valeur non signable (%(error)s).", error=error)) from error
    if not signing.verify_signature(signer, signature, hashed):
        raise CredentialError(
            _("La signature ne correspond pas au contenu : l'attestation a été modifiée après sa délivrance.")
        )


def dumps(document: dict[str, Any]) -> str:
    """How a credential is stored and embedded: readable, stable, UTF-8."""
    return json.dumps(document, ensure_ascii=False, indent=2)
