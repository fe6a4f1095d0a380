"""Offline verification of a PDF, and ``elearn verify-cert``: one clear message per way a file can be wrong."""

from __future__ import annotations

import json
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from elearn.certificates import pdf, signing
from elearn.certificates.credential import dumps, sign_credential, to_credential
from elearn.certificates.issue import certificate_data, issue_certificate
from elearn.certificates.verify import verify_pdf
from elearn.cli.certificates import verify_cert
from tests.certificates.support import BASE_URL, MEDIA, certificate_app, signed_pdf

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def issued(app, session, finished, issuer):
    certificate = issue_certificate(session, finished, issuer)
    instance = Path(app.config["ELEARN_INSTANCE_DIR"])
    data = certificate_data(certificate)
    return {
        "data": data,
        "json": certificate.credential,
        "pdf": signed_pdf(data, certificate.credential, instance),
        "key": issuer.key.public_key(),
        "instance": instance,
    }


#: The start of the message for a file changed after it was signed, before the second opinion's.
BROKEN = (
    "La signature électronique du PDF ne correspond plus à son contenu : le fichier a été modifié après sa délivrance."
    "\nDeuxième avis (attestation jointe et page imprimée) : "
)


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


def overlaid(content: bytes, covered: str, forged: str) -> bytes:
    """``forged`` painted over the printed ``covered`` text, as a forger does it: an overlay page made with
    WeasyPrint (white background, same font size, same place) merged onto the page with pypdf; the signed
    attachment is left alone."""
    reader = PdfReader(BytesIO(content))
    found = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001, ANN202
        if text.replace("\u00a0", " ").startswith(covered):
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], size * abs(cm[0])))

    reader.pages[0].extract_text(visitor_text=visit)
    [(x, baseline, size)] = found
    height = float(reader.pages[0].mediabox.height)
    css = (
        f"@page {{ size: A4; margin: 0 }} body {{ margin: 0 }} p {{ position: absolute; margin: 0; padding-right: 2em; "
        f"left: {x}pt; top: {height - baseline - 0.846 * size}pt; font: {size}pt/1 'DejaVu Sans'; background: white }}"
    )
    overlay = PdfReader(BytesIO(HTML(string=f"<style>{css}</style><p>{forged}</p>").write_pdf())).pages[0]
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(overlay)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_genuine_pdf_is_valid_shows_the_signed_values_and_says_revocation_is_online(issued):
    result = verify_pdf(issued["pdf"], issued["key"])
    assert result.valid, result.message
    assert result.message.startswith("Attestation authentique : délivrée le ")
    assert "à Camille Martin pour la formation « Prévenir les discriminations dans l'accès aux soins »" in result.message
    assert f"Une révocation éventuelle ne se vérifie qu'en ligne : {issued['data'].verification_url}" in result.message
    for line in ("temps actif mesuré : 1 h 33 min", "durée nominale : 2 h 00 min", "titulaire : Camille Martin",
                 "module « Repérer les discriminations : refus de soins et délais », score : 87,5 %",
                 "module « Agir et orienter », terminé le : 20 novembre 2026", f"code : {issued['data'].code}"):
        assert f"\n  - {line}\n" in result.message + "\n"


@pytest.mark.parametrize("active_seconds", [0, 30, 36000])
def test_genuine_pdf_with_another_active_time_is_valid(issued, issuer, active_seconds):
    data = replace(issued["data"], active_seconds=active_seconds)  # « 0 min » (twice: under a minute), « 10 h 00 min »
    credential = dumps(sign_credential(to_credential(data, BASE_URL + "/"), issuer.key, data.issued_at))
    result = verify_pdf(signed_pdf(data, credential, issued["instance"]), issued["key"])
    assert result.valid, result.message


@pytest.mark.parametrize(
    ("covered", "forged", "problem"),
    [
        ("1 h 33 min", "9\u00a0h\u00a033\u00a0min", "Temps actif mesuré : la page porte « 9 h 33 min », l'attestation signée « 1 h 33 min »."),
        ("2 h 00 min", "20\u00a0h\u00a000\u00a0min", "Durée nominale : la page porte « 20 h 00 min », l'attestation signée « 2 h 00 min »."),
        ("Camille Martin", "Camilla Martin", "Titulaire : « Camilla Martin » est imprimé par-dessus « Camille Martin »."),
        ("20 novembre 2026", "21 novembre 2026", "Dernière activité : la page porte « 21 novembre 2026 », l'attestation signée « 20 novembre 2026 »."),
    ],
)
def test_value_painted_over_the_page_is_caught_naming_the_field(issued, covered, forged, problem):
    result = verify_pdf(overlaid(issued["pdf"], covered, forged), issued["key"])
    assert not result.valid
    assert result.message.startswith(BROKEN + "Document modifié : l'attestation signée jointe est authentique, mais la page imprimée")
    assert problem in result.message


def test_a_date_the_credential_does_not_sign_is_caught_where_no_signed_date_is_printed(issued):
    result = verify_pdf(overlaid(issued["pdf"], "Dominique Lefèvre", "Prolongée au 3 mars 2027"), issued["key"])
    assert not result.valid
    assert (
        "La page porte « 3 mars 2027 » (ligne « Dominique Lefèvre Prolongée au 3 mars 2027 »), "
        "une date que l'attestation signée ne contient pas." in result.message
    )
    assert "Texte superposé : « Prolongée au 3 mars 2027 » est imprimé par-dessus « Dominique Lefèvre »." in result.message


def test_one_byte_changed_in_the_credential_is_caught(issued):
    position = issued["json"].index("Camille")
    tampered = issued["json"][:position] + "K" + issued["json"][position + 1 :]
    result = verify_pdf(rebuilt(issued["pdf"], tampered.encode()), issued["key"])
    assert not result.valid
    assert result.message.endswith("Deuxième avis (attestation jointe et page imprimée) : La signature ne correspond pas au contenu : l'attestation a été modifiée après sa délivrance.")


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
    assert "la page imprimée ne lui correspond pas" in result.message
    assert "Titulaire : « Camille Martin » (signé) n'apparaît pas sur la page." in result.message


def test_redrawn_page_with_another_active_time_names_the_field(issued):
    forged_page = replace(issued["data"], active_seconds=9 * 3600 + 33 * 60)
    result = verify_pdf(pdf.render_pdf(forged_page, issued["json"], issued["instance"], MEDIA), issued["key"])
    assert not result.valid
    assert "Temps actif mesuré : « 1 h 33 min » (signé) n'apparaît pas sur la page." in result.message
    assert "La page porte « 9 h 33 min » (ligne « Temps actif mesuré 9 h 33 min Version du parcours 2026.1 »), une durée" in result.message


def test_cli_accepts_a_genuine_pdf(app, issued, tmp_path):
    (tmp_path / "a.pdf").write_bytes(issued["pdf"])
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 0 and result.output.startswith("OK : Attestation authentique")
    assert "\n  - temps actif mesuré : 1 h 33 min\n" in result.output


def test_cli_rejects_an_overlaid_page_with_the_field(app, issued, tmp_path):
    (tmp_path / "a.pdf").write_bytes(overlaid(issued["pdf"], "1 h 33 min", "9\u00a0h\u00a033\u00a0min"))
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 1
    assert result.output.startswith("ÉCHEC : La signature électronique du PDF ne correspond plus") and "Temps actif mesuré : la page porte « 9 h 33 min »" in result.output


def test_cli_rejects_a_tampered_pdf_with_the_reason(app, issued, tmp_path):
    tampered = issued["json"].replace('"activeTimeSeconds": 5610', '"activeTimeSeconds": 9610')
    assert tampered != issued["json"]
    (tmp_path / "a.pdf").write_bytes(rebuilt(issued["pdf"], tampered.encode()))
    result = app.test_cli_runner().invoke(verify_cert, [str(tmp_path / "a.pdf")])
    assert result.exit_code == 1
    assert result.output.endswith(": La signature ne correspond pas au contenu : l'attestation a été modifiée après sa délivrance.\n")


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
