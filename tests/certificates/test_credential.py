"""The signing key and the signed credential: JCS canonical form, eddsa-jcs-2022 proof, tamper evidence."""

from __future__ import annotations

import json
import os
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.certificates import signing
from elearn.certificates.credential import (
    CredentialError,
    canonical_json,
    dumps,
    from_credential,
    sign_credential,
    to_credential,
    verify_credential,
)
from elearn.certificates.issue import certificate_data, issue_certificate

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def signed(session, finished, issuer) -> dict:
    return json.loads(issue_certificate(session, finished, issuer).credential)


def test_key_is_created_once_private_and_shared_by_concurrent_workers(tmp_path):
    keys = []
    threads = [threading.Thread(target=lambda: keys.append(signing.load_or_create_private_key(tmp_path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({signing.raw_public_bytes(k.public_key()) for k in keys}) == 1
    assert os.stat(tmp_path / signing.KEY_FILE).st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [signing.KEY_FILE]  # no temporary file left


def test_verification_never_creates_a_key(tmp_path):
    with pytest.raises(signing.SigningKeyError, match="--key"):
        signing.load_public_key(tmp_path)
    assert not (tmp_path / signing.KEY_FILE).exists()


def test_public_key_forms_round_trip(tmp_path):
    public = KEY.public_key()
    document = signing.public_key_document(public)
    assert document["publicKeyMultibase"].startswith("z6Mk")  # the usual prefix of Ed25519 Multikeys
    assert document["id"] == f"did:key:{document['publicKeyMultibase']}#{document['publicKeyMultibase']}"
    back = signing.public_key_from_verification_method(document["id"])
    assert signing.raw_public_bytes(back) == signing.raw_public_bytes(public)
    (tmp_path / "key.json").write_text(json.dumps(document))
    (tmp_path / "key.pem").write_text(document["publicKeyPem"])
    for name in ("key.json", "key.pem"):
        assert signing.raw_public_bytes(signing.read_public_key_file(tmp_path / name)) == signing.raw_public_bytes(public)


@given(st.binary(max_size=40))
def test_base58_round_trips(data):
    assert signing.base58btc_decode(signing.base58btc(data)) == data


def test_canonical_json_follows_rfc_8785_for_our_types():
    value = {"b": [1.0, 87.5, 0.5, -3], "a": {"é": "«\u00a0x\u00a0»\n", "z": None, "y": True}, "A": "\u2028"}
    assert canonical_json(value) == '{"A":"\u2028","a":{"y":true,"z":null,"é":"«\u00a0x\u00a0»\\n"},"b":[1,87.5,0.5,-3]}'.encode()
    for bad in (float("nan"), float("inf"), 1e-9, 1e22):
        with pytest.raises(ValueError):
            canonical_json({"x": bad})


def test_credential_round_trips_to_the_printed_data(session, finished, issuer):
    issued = issue_certificate(session, finished, issuer)
    data = certificate_data(issued)
    assert from_credential(to_credential(data, issuer.base_url + "/")) == data


def test_credential_is_an_open_badge_signed_with_the_instance_key(signed, issuer):
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["credentialSubject"]["type"] == ["AchievementSubject"]
    assert signed["credentialSubject"]["achievement"]["type"] == ["Achievement"]
    assert signed["issuer"]["otherIdentifier"][0]["identifier"] == "84 69 12345 69"
    proof = signed["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == ("DataIntegrityProof", "eddsa-jcs-2022", "assertionMethod")
    assert proof["verificationMethod"] == signing.verification_method(issuer.key.public_key())
    verify_credential(signed, issuer.key.public_key())


def test_formatting_of_the_json_does_not_matter(signed, issuer):
    verify_credential(json.loads(json.dumps(signed, separators=(",", ":"), ensure_ascii=True)), issuer.key.public_key())


def test_changed_field_breaks_the_signature(signed, issuer):
    signed["credentialSubject"]["activeTimeSeconds"] += 3600
    with pytest.raises(CredentialError, match="La signature ne correspond pas au contenu : l'attestation a été modifiée"):
        verify_credential(signed, issuer.key.public_key())


def test_resigned_with_another_key_is_a_key_mismatch(signed, issuer):
    forged = sign_credential({k: v for k, v in signed.items() if k != "proof"}, KEY, from_credential(signed).issued_at)
    with pytest.raises(CredentialError, match="signée avec une autre clé que celle de l'organisme"):
        verify_credential(forged, issuer.key.public_key())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("proof"), "ne porte pas de signature"),
        (lambda d: d["proof"].update(cryptosuite="ecdsa-rdfc-2019"), "format non reconnu"),
        (lambda d: d["proof"].update(verificationMethod="https://ailleurs.example/key"), "clé qui aurait signé l'attestation est illisible"),
        (lambda d: d["proof"].update(proofValue="z0OIl"), "signature de l'attestation est illisible"),
        (lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][1:]), "signature de l'attestation est illisible"),
    ],
)
def test_each_broken_proof_has_its_message(signed, issuer, change, message):
    change(signed)
    with pytest.raises(CredentialError, match=message):
        verify_credential(signed, issuer.key.public_key())


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0x20, max_value=0x7E))
def test_changing_any_one_byte_is_detected_unless_meaningless(signed, issuer, position, byte):
    """Changing one byte either breaks the JSON, or the signature, or changes nothing that is signed."""
    original = dumps(signed).encode()
    position %= len(original)
    if original[position] == byte:
        return
    tampered = original[:position] + bytes([byte]) + original[position + 1 :]
    try:
        document = json.loads(tampered)
    except (ValueError, UnicodeDecodeError):
        return
    if document == signed:
        return  # whitespace between tokens: the signed content is the same
    with pytest.raises(CredentialError):
        verify_credential(document, issuer.key.public_key())
