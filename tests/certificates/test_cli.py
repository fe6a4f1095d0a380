"""``elearn certificates check|issue|revoke|key``: the same functions as the pages, from a terminal.

And ``elearn init``, which creates the signing key on the first run.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pypdf
import pytest
from sqlmodel import select

from elearn.certificates import pades, signing
from elearn.cli import main
from elearn.cli.certificates import certificates
from elearn.cli.db import init
from elearn.db import session_scope
from elearn.models import AuditEvent, Certificate
from tests.certificates.support import certificate_app, modules_with_example_values

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


def test_commands_are_on_the_elearn_group():
    assert {"verify-cert", "certificates"} <= set(main.commands)


def test_check_accepts_the_fixture_path(runner):
    result = runner.invoke(certificates, ["check"])
    assert result.exit_code == 0
    assert result.output == "parcours.yml valide : « Prévenir les discriminations dans l'accès aux soins », version 2026.1, 2 module(s) obligatoire(s).\n"


def test_check_reports_a_missing_file(tmp_path):
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(tmp_path))
    result = app.test_cli_runner().invoke(certificates, ["check"])
    assert result.exit_code == 1 and "Pas de parcours.yml" in result.output


def test_issue_then_revoke(app, runner, finished):
    issued = runner.invoke(certificates, ["issue", finished.email])
    assert issued.exit_code == 0, issued.output
    code, url = issued.output.split()
    assert url == f"https://formation.exemple.fr/verify/{code}"
    assert runner.invoke(certificates, ["issue", finished.email]).output.split()[0] == code  # idempotent
    revoked = runner.invoke(certificates, ["revoke", code.lower(), "--reason", "Doublon"])
    assert revoked.exit_code == 0 and revoked.output == f"Attestation {code} révoquée.\n"
    with app.app_context(), session_scope() as session:
        assert session.exec(select(Certificate)).one().revoked_reason == "Doublon"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).one()
        assert event.actor_id is None and event.details["reason"] == "Doublon"


def test_issue_explains_what_is_missing(runner, learner):
    result = runner.invoke(certificates, ["issue", learner.email])
    assert result.exit_code == 1 and "Modules restants" in result.output


def test_key_prints_the_published_document(runner):
    document = json.loads(runner.invoke(certificates, ["key"]).output)
    assert document["type"] == "Multikey" and document["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_check_notes_values_left_from_the_example_without_failing(tmp_path):
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(modules_with_example_values(tmp_path)))
    result = app.test_cli_runner().invoke(certificates, ["check"])
    assert result.exit_code == 0 and result.output.startswith("parcours.yml valide")
    assert "Attention : les coordonnées de l'organisme sont encore celles de l'exemple" in result.output
    assert "organisme.nom, signataire.fonction" in result.output


def test_init_creates_the_signing_key_once_and_prints_nothing_secret(app, runner):
    key_file = Path(app.config["ELEARN_INSTANCE_DIR"]) / signing.KEY_FILE
    assert not key_file.exists()
    first = runner.invoke(init)
    assert first.exit_code == 0, first.output
    assert f"Clé de signature des attestations créée : {key_file} (à sauvegarder avec la base" in first.output
    pem = key_file.read_text()
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    assert "PRIVATE KEY" not in first.output and "".join(pem.splitlines()[1:-1]) not in first.output
    second = runner.invoke(init)
    assert second.exit_code == 0 and "Clé de signature" not in second.output
    assert key_file.read_text() == pem  # idempotent: the key that signed earlier PDFs is kept
    published = json.loads(runner.invoke(certificates, ["key"]).output)
    assert published["publicKeyPem"] == signing.public_key_pem(signing.load_public_key(key_file.parent))


def test_init_keeps_an_unreadable_key_file_and_says_so(app, runner):
    key_file = Path(app.config["ELEARN_INSTANCE_DIR"]) / signing.KEY_FILE
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("pas une clé")
    result = runner.invoke(init)
    assert result.exit_code == 1
    assert f"{key_file} n'est pas une clé de signature Ed25519 lisible : remettez-y la sauvegarde" in result.output
    assert key_file.read_text() == "pas une clé"


def test_init_creates_a_self_issued_pdf_signer_once_and_keeps_an_organisations_own(app, runner):
    signer_file = Path(app.config["ELEARN_INSTANCE_DIR"]) / pades.SIGNER_FILE
    first = runner.invoke(init)
    assert first.exit_code == 0, first.output
    assert f"Certificat de signature des PDF créé (auto-émis, ECDSA P-256) : {signer_file}" in first.output
    assert os.stat(signer_file).st_mode & 0o777 == 0o600 and "PRIVATE KEY" not in first.output
    certificate = pades.load_signer(signer_file.parent).certificate
    assert certificate.public_key().curve.name == "secp256r1" and certificate.issuer == certificate.subject
    own = _organisation_signer()  # an RSA key with its certificate, as an organisation would supply
    signer_file.write_bytes(own)
    second = runner.invoke(init)
    assert second.exit_code == 0 and "Certificat de signature" not in second.output
    assert signer_file.read_bytes() == own
    blank = io.BytesIO()
    _blank_pdf(blank)
    signed = pades.sign_pdf(blank.getvalue(), pades.load_signer(signer_file.parent), name="Association", reason="Test")
    assert pades.check_signature(signed, pades.load_signer(signer_file.parent).certificate).valid  # RSA works too
    signer_file.write_text("pas un certificat")
    assert runner.invoke(init).exit_code == 1 and signer_file.read_text() == "pas un certificat"


def _blank_pdf(out: io.BytesIO) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(out)


def _organisation_signer() -> bytes:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Association Santé Égalité")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256())
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()) + \
        certificate.public_bytes(serialization.Encoding.PEM)
