"""The whole path in a real browser: the fixture modules read and passed in the reader, then the certificate.

Nothing is written to the database behind the browser's back: the completions, scores and active time
the certificate prints are the ones the reader recorded. (tests/e2e/test_certificate.py starts from a
completed path to test the download, the typed code and the progress page.)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from elearn.certificates import signing
from elearn.certificates.verify import verify_pdf
from tests.certificates.support import MEDIA, MODULES
from tests.conftest import FIXTURE_MODULES, add_user
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e


#: The minimum active time the machine-speed click-through below cannot meet.
ONE_HOUR = "temps_actif_minimum:\n  parcours: 1 h\n"


@pytest.fixture
def live_server_config(tmp_path) -> dict[str, object]:
    """tests/fixtures/modules with the certificate tests' parcours.yml, requiring both fixture modules and
    an hour of active time."""
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    parcours = (MODULES / "parcours.yml").read_text(encoding="utf-8")
    required = parcours.replace("  - reperer\n  - agir\n", "  - premiers-pas\n  - suite\n")
    assert required != parcours
    (modules / "parcours.yml").write_text(required + ONE_HOUR, encoding="utf-8")
    return {"ELEARN_MODULES_DIR": str(modules), "ELEARN_MEDIA_DIR": str(MEDIA)}


def lower_the_minimum(live_server) -> None:  # noqa: ANN001
    """Take the minimum active time out of parcours.yml, which is read on every request."""
    parcours = Path(live_server.app.config["ELEARN_MODULES_DIR"]) / "parcours.yml"
    parcours.write_text(parcours.read_text(encoding="utf-8").replace(ONE_HOUR, ""), encoding="utf-8")


def pass_quiz_and_finish(page: Page, answers: list[str]) -> None:
    for answer in answers:
        page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_role("status")).to_contain_text("Réussi")
    page.get_by_role("button", name="Terminer le module").click()
    expect(page.get_by_text(re.compile("Module terminé le .* avec un score de 100 %"))).to_be_visible()


def test_complete_the_fixture_path_in_the_reader_then_get_and_check_the_certificate(page: Page, live_server, tmp_path):
    add_user(live_server.app, "lea@exemple.fr", full_name="Léa Fontaine", profession="Sage-femme")
    log_in(page, live_server, "lea@exemple.fr")
    status = page.locator(".certificate-status")

    page.goto(live_server("/attestation"))
    expect(status).to_contain_text("il vous reste 2 modules à terminer")
    status.get_by_role("link", name="Premiers pas").click()
    page.get_by_role("link", name="Commencer le module").click()
    for number in (1, 2):
        expect(page.get_by_text(f"Section {number} sur 3")).to_be_visible()
        page.get_by_role("button", name=re.compile("Suivante")).click()
    expect(page.get_by_role("heading", name="Vérifier ses acquis")).to_be_visible()
    pass_quiz_and_finish(page, ["D'un refus de soins discriminatoire", "L'origine", "Le lieu de résidence"])

    page.goto(live_server("/attestation"))
    expect(status).to_contain_text("il vous reste 1 module à terminer")
    status.get_by_role("link", name="Pour aller plus loin").click()
    page.get_by_role("link", name="Commencer le module").click()
    pass_quiz_and_finish(page, ["Vrai"])

    # Clicked through at machine speed: every module is completed, the reading time is not there.
    for url in ("/attestation", "/progression"):
        page.goto(live_server(url))
        expect(status).to_contain_text(re.compile(r"il vous reste environ (59|60) min de lecture active"))
        expect(page.get_by_role("button", name="Obtenir mon attestation (PDF)")).to_have_count(0)

    lower_the_minimum(live_server)
    page.goto(live_server("/attestation"))
    expect(status).to_contain_text("votre attestation est prête")
    page.get_by_role("button", name="Obtenir mon attestation").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon attestation (PDF)").click()
    saved = tmp_path / "attestation.pdf"
    download_info.value.save_as(saved)

    key = signing.load_public_key(Path(live_server.app.config["ELEARN_INSTANCE_DIR"]))
    result = verify_pdf(saved.read_bytes(), key)
    assert result.valid, result.message  # the signature and the printed page
    assert (result.data.learner_name, result.data.learner_profession) == ("Léa Fontaine", "Sage-femme")
    assert [(m.slug, m.score) for m in result.data.modules] == [("premiers-pas", 100), ("suite", 100)]
    page.goto(live_server("/attestation"))
    expect(page.get_by_role("row", name=re.compile("Prévenir les discriminations"))).to_contain_text(result.data.code)

    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(result.data.verification_url)
    expect(page.get_by_role("status")).to_contain_text("Valide")
    expect(page.get_by_text("Léa Fontaine")).to_be_visible()
