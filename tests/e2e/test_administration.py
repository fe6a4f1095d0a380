"""An administrator who never uses the command line, in a real browser: accounts one by one and from a
file with bad lines, a name corrected after a certificate and the certificate reissued, a module kept
for one group, the audit trail filtered and exported. Every page met passes axe at 390 and 1280 px.

Set ``ELEARN_SHOTS=/some/folder`` to keep a screenshot of each page at both widths.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from elearn.models import Role
from tests.certificates.support import MEDIA, MODULES, complete_path
from tests.conftest import PASSWORD, add_user
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
WIDTHS = (390, 1280)
CSV_FILE = (
    "Nom;E-mail;Profession;Groupe;Rôle\n"
    "Jeanne Lorrain;jeanne@exemple.fr;Infirmière;Atelier de Metz;\n"
    "Hugo Rhône;hugo@exemple.fr;Médiateur en santé;Atelier de Lyon;apprenant\n"
    "Sans adresse;;;;\n"
    "Groupe inconnu;inconnu@exemple.fr;;Atelier de Brest;\n"
)


@pytest.fixture
def live_server_config() -> dict[str, object]:
    return {"ELEARN_MODULES_DIR": str(MODULES), "ELEARN_MEDIA_DIR": str(MEDIA)}


class Checker:
    """Runs axe on the page at both widths (and keeps screenshots when asked); failures gathered."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.shots = Path(os.environ["ELEARN_SHOTS"]) if os.environ.get("ELEARN_SHOTS") else None

    def __call__(self, page: Page, name: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            results = Axe().run(page, options=WCAG_AA)
            if results.violations_count:
                self.failures.append(f"--- {name} at {width} px\n{results.generate_report()}")
            if page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth"):
                self.failures.append(f"--- {name} at {width} px scrolls sideways")
            if self.shots:
                self.shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(self.shots / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def set_password(browser: Browser, link: str, email: str, server) -> Page:  # noqa: ANN001
    """The person follows the link handed over, chooses a password and logs in."""
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(link)
    page.get_by_label("Nouveau mot de passe", exact=False).first.fill(PASSWORD)
    page.get_by_label("Confirmez", exact=False).fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    log_in(page, server, email)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return page


def test_an_administrator_runs_the_platform_from_the_browser(page: Page, browser: Browser, live_server, tmp_path):
    check = Checker()
    add_user(live_server.app, "admin@example.org", Role.ADMIN, "Alex Bernard")
    lea = add_user(live_server.app, "lea@exemple.fr", Role.LEARNER, "Lea Nguyen", profession="Infirmière")
    complete_path(live_server.app, lea.id)
    learner = browser.new_context(locale="fr-FR").new_page()
    log_in(learner, live_server, "lea@exemple.fr")
    learner.goto(live_server("/attestation"))
    learner.get_by_role("button", name=re.compile("attestation", re.I)).first.click()
    learner.close()

    log_in(page, live_server, "admin@example.org")
    admin_nav = page.get_by_role("navigation", name="Administration")
    page.goto(live_server("/admin/groups"))
    for name in ("Atelier de Metz", "Atelier de Lyon"):
        page.get_by_label("Nom du groupe").fill(name)
        page.get_by_role("button", name="Créer le groupe").click()
        expect(page.get_by_text(f"Groupe « {name} » créé.")).to_be_visible()

    # One account, with its role and group; the link to hand over is shown.
    admin_nav.get_by_role("link", name="Comptes").click()
    page.get_by_role("link", name="Créer un compte").click()
    check(page, "create-account")
    page.get_by_label("Nom et prénom", exact=False).fill("Camille Moselle")
    page.get_by_label("Adresse e-mail").fill("camille@exemple.fr")
    page.get_by_label("Profession").fill("Assistante sociale")
    page.get_by_label("Rôle").select_option(label="Formateur·rice")
    page.get_by_label("Groupe").select_option(label="Atelier de Metz")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("heading", name="1 compte créé")).to_be_visible()
    expect(page.locator("input.copy-field")).to_have_value(re.compile(r"/password/reset/"))
    check(page, "account-created")

    # A file with bad lines: every problem reported, nothing created before confirming.
    page.goto(live_server("/admin/users/import"))
    check(page, "import")
    csv_path = tmp_path / "inscriptions.csv"
    csv_path.write_text(CSV_FILE, encoding="utf-8")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(csv_path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    refused = page.get_by_role("region", name="Lignes refusées")
    expect(refused).to_contain_text("Ligne 4")
    expect(refused).to_contain_text("adresse e-mail manquante")
    expect(refused).to_contain_text("groupe inconnu « Atelier de Brest »")
    check(page, "import-preview")
    page.get_by_role("button", name="Créer les 2 comptes").click()
    expect(page.get_by_role("heading", name="2 comptes créés")).to_be_visible()
    hugo_link = page.get_by_label("Lien pour Hugo Rhône").input_value()
    jeanne_link = page.get_by_label("Lien pour Jeanne Lorrain").input_value()

    # The Metz group's own module.
    admin_nav.get_by_role("link", name="Modules").click()
    bonus = page.locator("#module-bonus")
    bonus.get_by_label("Certains groupes seulement").check()
    bonus.get_by_label("Atelier de Metz").check()
    bonus.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(page.get_by_text("Visibilité du module enregistrée.")).to_be_visible()
    expect(page.locator("#module-bonus")).to_contain_text("Visible par : Atelier de Metz")
    check(page, "modules")
    page.goto(live_server("/admin/groups"))
    page.get_by_role("link", name="Atelier de Metz").click()
    expect(page.get_by_role("region", name="Membres")).to_contain_text("Jeanne Lorrain")
    check(page, "group")

    hugo = set_password(browser, hugo_link, "hugo@exemple.fr", live_server)
    hugo.goto(live_server("/modules"))
    expect(hugo.get_by_role("link", name="Agir et orienter").first).to_be_visible()
    expect(hugo.get_by_text("Pour aller plus loin")).to_have_count(0)
    assert hugo.goto(live_server("/modules/bonus")).status == 404
    jeanne = set_password(browser, jeanne_link, "jeanne@exemple.fr", live_server)
    jeanne.goto(live_server("/modules"))
    expect(jeanne.get_by_text("Pour aller plus loin").first).to_be_visible()

    # A name corrected after the certificate, and the certificate reissued.
    page.goto(live_server("/admin/users?q=nguyen"))
    page.get_by_role("link", name="Lea Nguyen").click()
    check(page, "user")
    identity = page.get_by_role("region", name="Corriger l'identité")
    identity.get_by_label("Nom et prénom", exact=False).fill("Léa Nguyen")
    identity.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("porte encore l'ancienne identité")).to_be_visible()
    old_code = re.search(r"/admin/certificates/([^?#]+)", page.url).group(1)
    check(page, "certificate-correction")
    page.get_by_role("button", name="Délivrer une nouvelle attestation").click()
    expect(page.get_by_text("Nouvelle attestation délivrée")).to_be_visible()
    page.goto(live_server(f"/verify/{old_code}"))
    expect(page.get_by_text("Remplacée", exact=True)).to_be_visible()
    check(page, "verify-replaced")

    # The audit trail, filtered and exported.
    page.goto(live_server("/admin/audit"))
    page.get_by_label("Personne (nom ou e-mail)").fill("Nguyen")
    page.get_by_label("Type d'événement").select_option(label="Tous les événements de compte")
    page.get_by_role("button", name="Filtrer").click()
    table = page.locator("table.audit tbody")
    expect(table).to_contain_text("Identité corrigée")
    expect(table).to_contain_text("Alex Bernard")
    expect(table).not_to_contain_text("Groupe créé")
    check(page, "audit")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (Excel XLSX)").click()
    assert download.value.suggested_filename.startswith("association-sante-egalite-journal-audit-export-")

    page.goto(live_server("/admin/me"))
    check(page, "own-access")
    page.goto(live_server("/trainer/guide"))
    expect(page.get_by_role("heading", name="Guide de rédaction des modules")).to_be_visible()
    check(page, "authoring-guide")
    assert not check.failures, "\n".join(check.failures)
