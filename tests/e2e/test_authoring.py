"""Acceptance: a trainer who never saw the files writes, checks, previews, publishes and rolls back a
module in the browser; a learner sees it; a second trainer's conflicting save loses nothing."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from elearn.models import Role
from tests.conftest import FIXTURE_MODULES, PASSWORD, add_user

pytestmark = pytest.mark.e2e

#: Set ELEARN_SCREENSHOTS to a folder to keep screenshots of the editor pages at 390 and 1280 px.
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")
#: A 1×1 PNG: the image the module shows.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

SECTION_WITH_AN_ERROR = """## Accueillir sans discriminer

Un accueil égal pour toutes et tous.

![Schéma de l'accueil en trois étapes](media/accueil.png)

::: quiz Vérifier ses acquis
### Un refus de rendez-vous fondé sur l'AME est-il permis ?

- ( ) Oui
- ( ) Non
:::
"""


@pytest.fixture
def live_server_config(tmp_path):
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    (tmp_path / "media").mkdir()
    return {"ELEARN_MODULES_DIR": str(modules), "ELEARN_MEDIA_DIR": str(tmp_path / "media")}


def log_in(browser: Browser, server, email: str) -> Page:
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(server("/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def test_a_trainer_authors_publishes_and_rolls_back_a_module(browser: Browser, live_server):
    app = live_server.app
    add_user(app, "formatrice@exemple.fr", Role.TRAINER, "Awa Formatrice")
    add_user(app, "formateur@exemple.fr", Role.TRAINER, "Louis Formateur")
    add_user(app, "apprenante@exemple.fr", Role.LEARNER, "Camille Martin")
    trainer = log_in(browser, live_server, "formatrice@exemple.fr")

    # 1. A module from the skeleton, with two sections, a quiz and an image (uploaded first).
    trainer.goto(live_server("/trainer/"))
    trainer.get_by_role("link", name="Éditeur de modules").click()
    trainer.get_by_role("link", name="Médias (images, sons, vidéos)").click()
    trainer.get_by_label("Fichier", exact=True).set_input_files(files=[{"name": "accueil.png", "mimeType": "image/png", "buffer": PNG}])
    trainer.get_by_label("Texte alternatif de l'image").fill("Schéma de l'accueil en trois étapes")
    trainer.get_by_role("button", name="Envoyer", exact=True).click()
    expect(trainer.get_by_label("Markdown du média")).to_have_value("![Schéma de l'accueil en trois étapes](media/accueil.png)\n")
    shoot(trainer, "media")
    trainer.get_by_role("link", name="Éditeur de modules").click()
    trainer.get_by_label("Titre du module").fill("Accueil des patients")
    trainer.get_by_label("Nom court (dans les adresses)").fill("accueil")
    trainer.get_by_role("button", name="Créer le brouillon").click()
    shoot(trainer, "module")
    trainer.get_by_role("link", name="Première section").click()
    text = trainer.get_by_label("Texte de la section (Markdown)")
    # editor.js listens for typing once it has set the editor up, which shows its toolbar: on a busy
    # machine the deferred script may run after a fill that comes at once, and nothing would be checked.
    expect(trainer.locator("[data-editor-toolbar]")).to_be_visible()
    text.fill(SECTION_WITH_AN_ERROR)

    # 2. The error shows under the editor, with its line; fixed, the preview follows; published.
    problems = trainer.locator("[data-editor-problems]")
    expect(problems).to_contain_text("ligne 8")
    expect(problems).to_contain_text("Erreur")
    trainer.get_by_role("link", name="ligne 8").click()
    shoot(trainer, "section-error")
    text.fill(SECTION_WITH_AN_ERROR.replace("- ( ) Non", "- (x) Non\n  Retour : L'article L1110-3 du Code de la santé publique l'interdit."))
    expect(problems).to_contain_text("Aucun problème")
    preview = trainer.locator("[data-editor-preview]")
    expect(preview.locator("img[alt=\"Schéma de l'accueil en trois étapes\"]")).to_be_visible()
    expect(preview).to_contain_text("bonne réponse")
    trainer.get_by_role("button", name="Insérer une réflexion").click()
    expect(preview).to_contain_text("Question de réflexion")
    shoot(trainer, "section-preview")
    trainer.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(trainer.get_by_text("Brouillon enregistré.")).to_be_visible()
    trainer.get_by_role("link", name=re.compile("Brouillon du module")).click()
    trainer.get_by_label("Ce qui change").fill("Première version")
    trainer.get_by_role("button", name="Publier").click()
    expect(trainer.get_by_text("Version 1 publiée")).to_be_visible()

    # 3. A learner, in another browser, sees it.
    learner = log_in(browser, live_server, "apprenante@exemple.fr")
    learner.goto(live_server("/modules/accueil/accueillir-sans-discriminer"))
    expect(learner.get_by_role("heading", name="Accueillir sans discriminer")).to_be_visible()

    # 4. The trainer edits, compares the versions, rolls back.
    trainer.get_by_role("button", name="Modifier ce module").click()
    trainer.get_by_role("link", name="Accueillir sans discriminer").click()
    text.fill(text.input_value().replace("Un accueil égal", "Un accueil égal et bienveillant"))
    trainer.get_by_role("button", name="Enregistrer le brouillon").click()
    trainer.get_by_role("link", name=re.compile("Brouillon du module")).click()
    trainer.get_by_label("Ce qui change").fill("Accueil bienveillant")
    trainer.get_by_role("button", name="Publier").click()
    trainer.get_by_label("Comparer la version").select_option("1")
    trainer.get_by_label("avec la version").select_option("2")
    trainer.get_by_role("button", name="Comparer").click()
    expect(trainer.locator("pre.diff ins")).to_contain_text("bienveillant")
    shoot(trainer, "history")
    trainer.get_by_role("button", name="Revenir à cette version 1").click()
    expect(trainer.get_by_text("Version 1 republiée comme version 3.")).to_be_visible()
    learner.reload()
    expect(learner.get_by_text("Un accueil égal pour toutes")).to_be_visible()

    # 5. Two trainers on the same section: the second save is refused, both texts kept.
    trainer.get_by_role("button", name="Modifier ce module").click()
    trainer.get_by_role("link", name="Accueillir sans discriminer").click()
    second = log_in(browser, live_server, "formateur@exemple.fr")
    second.goto(trainer.url)
    text.fill(text.input_value() + "\nAjout d'Awa.\n")
    trainer.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(trainer.get_by_text("Brouillon enregistré.")).to_be_visible()
    mine = second.get_by_label("Texte de la section (Markdown)")
    mine.fill(mine.input_value() + "\nAjout de Louis.\n")
    second.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(second.get_by_role("alert")).to_contain_text("Enregistrement refusé")
    expect(second.get_by_label("Texte enregistré par Awa Formatrice")).to_have_value(re.compile("Ajout d'Awa."))
    expect(mine).to_have_value(re.compile("Ajout de Louis."))
    shoot(second, "conflict")
