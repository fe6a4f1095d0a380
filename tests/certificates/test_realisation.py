"""The certificat de réalisation: issued beside the attestation, signed the same way, with funders' mentions."""

from __future__ import annotations

import html
import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from elearn.certificates import pades, signing
from elearn.certificates.verify import verify_pdf
from tests.certificates.test_forgery import issued, upload  # noqa: F401 - the module's fixture
from tests.conftest import AuthActions


def realisation(issued) -> bytes:  # noqa: ANN001, F811
    client = issued["client"]
    AuthActions(client).login("apprenant@exemple.fr")
    response = client.get(f"/attestation/{issued['code']}/realisation.pdf")
    AuthActions(client).logout()
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="certificat-realisation-{issued["code"]}.pdf"'
    return response.data


def test_it_carries_the_mentions_funders_ask_for(issued):  # noqa: F811
    text = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(BytesIO(realisation(issued))).pages)
    text = text.replace("\u00a0", " ").replace("’", "'")
    for mention in (
        "Certificat de réalisation",
        "Association Santé Égalité (déclaration d'activité n° 84 69 12345 69)",  # the training body and its NDA
        "Camille Martin",  # the beneficiary
        "Intitulé de l'action Prévenir les discriminations dans l'accès aux soins",
        "Nature de l'action Action de formation (article L. 6313-1 du Code du travail)",
        "Modalité Formation à distance",
        "Réalisée du 1er novembre 2026 au 20 novembre 2026",
        "Durée réalisée 2 h 00 min",
        "Temps actif mesuré 1 h 33 min",
    ):
        assert mention in text, mention


def test_it_is_signed_like_the_attestation_and_passes_every_check(issued):  # noqa: F811
    content = realisation(issued)
    instance = Path(issued["app"].config["ELEARN_INSTANCE_DIR"])
    result = verify_pdf(content, signing.load_public_key(instance), pades.load_signer(instance).certificate)
    assert result.valid, result.message
    assert realisation(issued) == content  # stored as issued
    page = html.unescape(upload(issued, content))
    assert "Fichier d'origine" in page and "Certificat de réalisation" in page
