"""A finished learner downloads the certificate in a real browser, and its verification URL works."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from elearn.certificates import signing
from elearn.certificates.verify import verify_pdf
from tests.certificates.support import MEDIA, MODULES, complete_path
from tests.conftest import add_user
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_server_config() -> dict[str, object]:
    # No ELEARN_BASE_URL: the certificate then carries the live server's own address.
    return {"ELEARN_MODULES_DIR": str(MODULES), "ELEARN_MEDIA_DIR": str(MEDIA)}


def test_download_the_certificate_and_follow_its_verification_url(page: Page, live_server, tmp_path):
    user = add_user(live_server.app, "lea@exemple.fr", full_name="Léa Fontaine", profession="Sage-femme")
    complete_path(live_server.app, user.id)  # test_certificate_journey.py completes it in the reader
    log_in(page, live_server, "lea@exemple.fr")

    page.goto(live_server("/attestation"))
    expect(page.get_by_text("votre attestation est prête")).to_be_visible()
    page.get_by_role("button", name="Obtenir mon attestation").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon attestation (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("attestation-") and download.suggested_filename.endswith(".pdf")
    saved = tmp_path / "attestation.pdf"
    download.save_as(saved)

    key = signing.load_public_key(Path(live_server.app.config["ELEARN_INSTANCE_DIR"]))
    result = verify_pdf(saved.read_bytes(), key)
    assert result.valid, result.message
    assert result.data.verification_url == live_server(f"/verify/{result.data.code}")

    # Whoever holds the paper follows the QR code's address: no login needed.
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(result.data.verification_url)
    expect(page.get_by_role("status")).to_contain_text("Valide")
    expect(page.get_by_text("Léa Fontaine")).to_be_visible()
    expect(page.get_by_text("lea@exemple.fr")).to_have_count(0)

    # Or types the code, sloppily.
    page.goto(live_server("/verify"))
    page.get_by_label("Code de l'attestation").fill(result.data.code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("status")).to_contain_text("Valide")

    # Back on the progress page, the learner finds the certificate again.
    log_in(page, live_server, "lea@exemple.fr")
    page.goto(live_server("/progression"))
    expect(page.get_by_role("link", name="Télécharger mon attestation (PDF)")).to_be_visible()
