"""The PDF read back with pypdf: every field of the certificate, French typography, A4, the attachment."""

from __future__ import annotations

import json
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from elearn.certificates import pdf, signing
from elearn.certificates.credential import ModuleRecord, verify_credential
from elearn.certificates.issue import Issuer, certificate_data, issue_certificate
from elearn.certificates.path import load_path
from elearn.db import get_engine, session_scope
from elearn.formatting import date_fr, percent
from elearn.web.modules import get_library
from tests.conftest import add_user
from tests.certificates.support import BASE_URL, MEDIA, MODULES, certificate_app, complete_path


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """One certificate issued through the domain and rendered once for the whole module."""
    tmp = tmp_path_factory.mktemp("pdf")
    app = certificate_app(tmp)
    user = add_user(app, "apprenant@exemple.fr", full_name="Camille Martin", profession="Infirmière")
    complete_path(app, user.id)
    with app.app_context(), session_scope() as session:
        key = signing.load_or_create_private_key(Path(app.config["ELEARN_INSTANCE_DIR"]))
        issuer = Issuer(load_path(MODULES, MEDIA), get_library(), key, BASE_URL)  # type: ignore[arg-type]
        certificate = issue_certificate(session, user, issuer)
    data = certificate_data(certificate)
    content = pdf.render_pdf(data, certificate.credential, Path(app.config["ELEARN_INSTANCE_DIR"]), MEDIA)
    yield {"pdf": content, "data": data, "key": key.public_key(), "instance": Path(app.config["ELEARN_INSTANCE_DIR"])}
    get_engine(app).dispose()


def reader(content: bytes) -> PdfReader:
    return PdfReader(BytesIO(content))


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(content).pages)


def flat(text: str) -> str:
    """Line breaks, non-breaking spaces and typographic apostrophes made plain, to look for phrases."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").split())


def test_every_field_is_printed(issued):
    data, text = issued["data"], flat(text_of(issued["pdf"]))
    expected = [
        "Association Santé Égalité", "12 rue de la République", "69002 Lyon", "Déclaration d'activité n° 84 69 12345 69",
        "Attestation de suivi de formation",
        "Camille Martin", "Infirmière",
        "« Prévenir les discriminations dans l'accès aux soins »",
        "Repérer les situations de discrimination : refus de soins, délais, orientations abusives",
        "Connaître le cadre juridique et savoir orienter",
        "formation à distance",
        "Durée nominale 2 h 00 min", "Temps actif mesuré 1 h 33 min",
        "Première activité 1er novembre 2026", "Dernière activité 20 novembre 2026",
        "Repérer les discriminations : refus de soins et délais 45 min 2 novembre 2026 87,5 %",
        "Agir et orienter 1 h 15 min 20 novembre 2026 —",
        "Dominique Lefèvre", "directrice",
        data.code,
    ]
    for phrase in expected:
        assert phrase in text, phrase
    assert f"Fait le {date_fr(data.issued_at)}" in text
    assert data.verification_url in text.replace(" ", "")  # the URL may wrap inside its box
    assert "Pour aller plus loin" not in text  # the optional module is not part of the path


def test_french_typography_uses_non_breaking_spaces(issued):
    text = text_of(issued["pdf"])
    assert "«\u00a0Prévenir" in text and "soins\u00a0»" in text
    assert "discrimination\u00a0: refus" in text
    assert "l\u2019accès aux soins" in text and "d\u2019activité" in text
    assert "1er\u00a0novembre 2026" in text and "20\u00a0novembre 2026" in text
    assert "2\u00a0h\u00a000\u00a0min" in text


def test_page_is_a4_and_carries_metadata(issued):
    document = reader(issued["pdf"])
    box = document.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(document.pages) == 1
    assert document.metadata.title == "Attestation de suivi de formation — Camille Martin"
    assert document.metadata.author == "Association Santé Égalité"


def test_the_shipped_path_fits_on_one_page_with_a_signature(issued):
    """Six objectives and six modules (the shipped parcours.yml), a signature image, a long name with an
    apostrophe: still one A4 page, and the page footer prints the name as typed."""
    shipped = load_path(Path("modules"), Path("media"))
    first = issued["data"].first_activity_at
    data = replace(
        issued["data"],
        learner_name="Marie-Françoise Lefèvre-N'Diaye de la Grande-Maison",
        learner_profession="Médiatrice en santé",
        objectives=shipped.objectives,
        modules=tuple(
            ModuleRecord(slug, f"Module « {slug} » au titre assez long pour la colonne", 45, first, 92.5)
            for slug in shipped.required_modules
        ),
        organisation_name="Association régionale pour l'égalité d'accès aux soins et la médiation en santé",
        organisation_address="Maison des associations\n12 rue de la République\n69002 Lyon",
    )
    assert len(shipped.objectives) >= 6 and len(shipped.required_modules) >= 6
    content = pdf.render_pdf(data, "{}", issued["instance"], MEDIA)
    assert len(reader(content).pages) == 1
    text = text_of(content)
    assert f"Attestation {data.code} — Marie-Françoise Lefèvre-N'Diaye de la Grande-Maison" in text
    assert "&#39;" not in text and "\\0000" not in text


def test_the_footer_cannot_break_out_of_the_style_sheet(issued):
    html = pdf.render_html(replace(issued["data"], learner_name='A"; } body { display: none } </style><p>x'), issued["instance"], MEDIA)
    style = html[html.index("<style>"):html.index("</style>")]
    assert 'A"; }' not in style and "A\\000022; \\00007d body" in style  # the quote and brace are CSS escapes
    assert html.count("</style>") == 1


def test_attachment_is_the_signed_credential(issued):
    [attachment] = reader(issued["pdf"]).attachments[pdf.ATTACHMENT_NAME]
    document = json.loads(attachment)
    verify_credential(document, issued["key"])
    assert document["credentialSubject"]["certificateCode"] == issued["data"].code


def test_template_gets_the_qr_code_and_the_signature(issued):
    html = pdf.render_html(issued["data"], issued["instance"], MEDIA)
    assert pdf.qr_code(issued["data"].verification_url) in html
    assert (MEDIA / "signature.svg").resolve().as_uri() in html


def test_no_signature_image_means_no_image(issued):
    html = pdf.render_html(replace(issued["data"], signature_image=None), issued["instance"], MEDIA)
    assert 'class="signature-image"' not in html


def test_administrator_can_replace_the_template(issued, tmp_path):
    override = tmp_path / "certificates"
    override.mkdir()
    (override / "attestation.html").write_text(
        "<html><body><style>{% include 'attestation.css' %}</style><p>Modèle maison — {{ data.learner_name }}</p></body></html>",
        encoding="utf-8",
    )
    (override / "attestation.css").write_text("p { font-size: 30pt; }", encoding="utf-8")
    html = pdf.render_html(issued["data"], tmp_path, MEDIA)
    assert "Modèle maison — Camille Martin" in html and "font-size: 30pt" in html


def test_css_alone_can_be_replaced(issued, tmp_path):
    (tmp_path / "certificates").mkdir()
    (tmp_path / "certificates" / "attestation.css").write_text("h1 { color: #123456; }", encoding="utf-8")
    html = pdf.render_html(issued["data"], tmp_path, MEDIA)
    assert "#123456" in html and "Attestation de suivi de formation" in html


def test_renderer_reads_no_file_outside_its_folders(tmp_path):
    fetcher = pdf._LocalFetcher([MEDIA])
    with pytest.raises(ValueError, match="outside the allowed folders"):
        fetcher.fetch((tmp_path / "secret.png").as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.org/tracker.png")


@pytest.mark.parametrize(("value", "text"), [(87.5, "87,5\u00a0%"), (100.0, "100\u00a0%"), (None, "—")])
def test_scores_are_written_the_french_way(value, text):
    assert percent(value) == text
