"""Reflection answers in a real browser: autosaved while typing, sent on page close, kept across log-outs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, add_user
from tests.reflection.conftest import use_reflection_modules

pytestmark = pytest.mark.e2e

SECTION = "/modules/atelier/pratique"


@pytest.fixture
def server(live_server):
    use_reflection_modules(live_server.app)
    add_user(live_server.app, "apprenante@exemple.fr")
    return live_server


def log_in(page: Page, server) -> None:
    page.goto(server("/login"))
    page.get_by_label("Adresse e-mail").fill("apprenante@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def answer_box(page: Page):
    return page.get_by_role("textbox", name=re.compile("Quel type de situation problématique"))


def test_answer_survives_a_reload_and_a_logout(page: Page, server):
    log_in(page, server)
    page.goto(server(SECTION))
    answer_box(page).fill("Des refus de rendez-vous pour des patients bénéficiaires de l'AME.")
    expect(page.locator("#pratique-reflexion-1-statut")).to_have_text(re.compile(r"^Enregistré à \d{1,2} h \d{2}$"))

    page.reload()
    expect(answer_box(page)).to_have_value("Des refus de rendez-vous pour des patients bénéficiaires de l'AME.")

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, server)
    page.goto(server(SECTION))
    expect(answer_box(page)).to_have_value("Des refus de rendez-vous pour des patients bénéficiaires de l'AME.")


def test_closing_the_tab_right_after_typing_loses_nothing(page: Page, server):
    log_in(page, server)
    page.goto(server(SECTION))
    answer_box(page).fill("Écrit juste avant de fermer l'onglet")
    page.close(run_before_unload=True)  # before the autosave pause: only the page-hide beacon can save it

    other = page.context.new_page()
    other.goto(server(SECTION))
    expect(other.get_by_role("textbox", name=re.compile("Quel type de situation"))).to_have_value("Écrit juste avant de fermer l'onglet")


def test_sharing_a_named_answer_is_explained_then_allowed_once_anonymous(page: Page, server):
    log_in(page, server)
    page.goto(server(SECTION))
    answer_box(page).fill("J'ai accompagné Karim à la permanence.")
    expect(page.get_by_text("« Karim » ressemble à un prénom.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Partager anonymement").first.click()
    expect(page.get_by_text("Votre réponse n'a pas été partagée")).to_be_visible()

    answer_box(page).fill("J'ai accompagné un patient à la permanence.")
    page.get_by_role("button", name="Partager anonymement").first.click()
    expect(page.get_by_text("Réponse partagée anonymement avec les formateurs.")).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus partager")).to_be_visible()


def test_the_form_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    log_in(page, server)
    page.goto(server(SECTION))
    answer_box(page).fill("Sans JavaScript")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.get_by_text(re.compile(r"Enregistré à \d{1,2} h \d{2}\."))).to_be_visible()
    expect(answer_box(page)).to_have_value("Sans JavaScript")
    context.close()
