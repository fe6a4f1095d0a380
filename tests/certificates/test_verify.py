"""Offline verification of a PDF, and ``elearn verify-cert``: one clear message per way a file can be wrong."""

from __future__ import annotations

import json
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader, PdfWriter

from elearn.certificates import pdf, signing
from elearn.certificates.credential import dumps
from elearn.certificates.issue import certificate_data, issue_certificate
from elearn.certificates.verify import verify_pdf
from elearn.cli.certificates import verify_cert
from tests.certificates.support import MEDIA, certificate_app


@pytest.fixture
def issued(app, session, finished, issuer):
    certificate = issue_certificate(session, finished, issuer)
    instance = Path(app.config["ELEARN_INSTANCE_DIR"])
    data = certificate_data(certificate)
    return {
        "data": data,
        "json": certificate.credential,
        "pdf": pdf.render_pdf(data, certificate.credential, instance, MEDIA),
        "key": issuer.key.public_key(),
        "instance": instance,
    }


def rebuilt(content: bytes, attachment: bytes | None) -> bytes:
    """The same pages with another attachment (or none), as a tampering tool would write them."""
    writer = PdfWriter()
    for page in PdfReader(BytesIO(content)).pages:
        writer.add_page(page)
    if attachment is not None:
        writer.add_attachment(pdf.ATTACHMENT_NAME, attachment)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_genuine_pdf_is_valid_and_says_revocation_is_online(issued):
    result = verify_pdf(issued["pdf"], issued["key"])
    assert result.valid, result.message
    assert result.message.startswith("Attestation authentique : délivrée le ")
    assert "à Camille Martin pour la formation « Prévenir les discriminations dans l'accès aux soins »" in result.message
    assert f"Une révocation éventuelle ne se vérifie qu'en ligne : {issued['data'].verification_url}" in result.message


def test_one_byte_changed_in_the_credential_is_caught(issued):
    position = issued["json"].index("Camille")
    tampered = issued["json"][:position] + "K" + issued["json"][position + 1 :]
    result = verify_pdf(rebuilt(issued["pdf"], tampered.encode()), issued["key"])
    assert not result.valid
    assert result.message == "La signature ne correspond pas au contenu : l'attestation a été modifiée après sa délivrance."


@pytest.mark.parametrize(
    ("attachment", "message"),
    [
        (None, "Ce PDF ne contient pas l'attestation signée (pièce jointe attestation.json absente)"),
        (b'{"id": "x",\n  oops}', "La pièce jointe attestation.json n'est pas un JSON valide (ligne 2, colonne 3) : elle a été altérée."),
        (b"\xff\xfe", "n'est pas du texte UTF-8"),
        (b"[1, 2]", "La pièce jointe attestation.json n'est pas une attestation."),
    ],
)
def test_broken_attachment_has_its_message(issued, attachment, message):
    result = verify_pdf(rebuilt(issued["pdf"], attachment), issued["key"])
    assert not result.valid and message in result.message


def test_not_a_pdf(issued):
    result = verify_pdf(b"%PDF-1.7 nothing else", issued["key"])
    assert not result.valid and result.message == "Ce fichier n'est pas un PDF lisible, ou il est endommagé."


def test_other_organisation_key_is_a_key_mismatch(issued):
    result = verify_pdf(issued["pdf"], Ed25519PrivateKey.generate().public_key())
    assert not result.valid and "signée avec une autre clé que celle de l'organisme" in result.message


def test_printed_page_that_disagrees_with_the_signed_data_is_caught(issued):
    forged_page = replace(issued["data"], learner_name="Dominique Petit")
    content = pdf.render_pdf(forged_page, issued["json"], issued["instance"], MEDIA)
    result = verify_pdf(content, issued["key"])
    assert not result.valid
    assert "la page imprimée ne lui correspond pas" in result.message and "Camille Martin" in result.message


def test_cli_accepts_a_genuine_pdf(app, issued, tmp_path):
    (tmp_path / "a.pdf").write_bytes(issued["pdf"])
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 0 and result.output.startswith("OK : Attestation authentique")


def test_cli_rejects_a_tampered_pdf_with_the_reason(app, issued, tmp_path):
    tampered = issued["json"].replace('"activeTimeSeconds": 5610', '"activeTimeSeconds": 9610')
    assert tampered != issued["json"]
    (tmp_path / "a.pdf").write_bytes(rebuilt(issued["pdf"], tampered.encode()))
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 1
    assert result.output == "ÉCHEC : La signature ne correspond pas au contenu : l'attestation a été modifiée après sa délivrance.\n"


def test_cli_with_the_published_key_file(app, issued, tmp_path):
    (tmp_path / "a.pdf").write_bytes(issued["pdf"])
    (tmp_path / "key.json").write_text(json.dumps(signing.public_key_document(issued["key"])))
    result = app.test_cli_runner().invoke(verify_cert, ["--key", str(tmp_path / "key.json"), str(tmp_path / "a.pdf")])
    assert result.exit_code == 0, result.output
    other = signing.public_key_pem(Ed25519PrivateKey.generate().public_key())
    (tmp_path / "other.pem").write_text(other)
    result = app.test_cli_runner().invoke(verify_cert, ["--key", str(tmp_path / "other.pem"), str(tmp_path / "a.pdf")])
    assert result.exit_code == 1 and "autre clé" in result.output


def test_cli_without_any_key_explains(tmp_path):
    app = certificate_app(tmp_path)
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 2 and "Indiquez la clé publique de l'organisme avec --key" in result.output


def test_stored_credential_is_what_the_pdf_embeds(issued):
    [attachment] = PdfReader(BytesIO(issued["pdf"])).attachments[pdf.ATTACHMENT_NAME]
    assert attachment.decode() == issued["json"] == dumps(json.loads(issued["json"]))
