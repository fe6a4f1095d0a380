"""A learner's whole journey in a real browser, on the fixture modules of tests/fixtures/modules."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, add_user

pytestmark = pytest.mark.e2e


def log_in(page: Page, server, email: str) -> None:
    page.goto(server("/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_read_fail_retry_pass_and_resume(page: Page, live_server):
    add_user(live_server.app, "lea@exemple.fr")
    log_in(page, live_server, "lea@exemple.fr")

    # The catalog is the home page; the second module waits for the first.
    expect(page.get_by_role("heading", name="Mon parcours de formation")).to_be_visible()
    expect(page.locator(".module-card").nth(1)).to_contain_text("Ce module s'ouvre quand vous aurez terminé")
    page.get_by_role("link", name="Commencer").click()

    expect(page.get_by_text("Section 1 sur 3")).to_be_visible()
    page.get_by_role("button", name=re.compile("Suivante")).click()
    expect(page.get_by_text("Section 2 sur 3")).to_be_visible()
    page.get_by_role("button", name=re.compile("Suivante")).click()
    expect(page.get_by_text("Section 3 sur 3")).to_be_visible()

    # Stop here, come back later: "Reprendre" lands on the quiz section.
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, live_server, "lea@exemple.fr")
    page.get_by_role("link", name="Reprendre").click()
    expect(page.get_by_role("heading", name="Vérifier ses acquis")).to_be_visible()

    # A wrong answer: the result shows what was right, the feedback and the explanation.
    page.get_by_label("D'une organisation normale du cabinet").check()
    page.get_by_label("L'origine").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_role("status")).to_contain_text("Pas encore")
    expect(page.get_by_text("Non : aucune organisation ne justifie")).to_be_visible()
    expect(page.get_by_text("Le refus de soins fondé sur la couverture maladie est interdit.")).to_be_visible()

    # Retry and pass.
    page.get_by_role("link", name="Réessayer le quiz").click()
    page.get_by_label("D'un refus de soins discriminatoire").check()
    page.get_by_label("L'origine").check()
    page.get_by_label("Le lieu de résidence").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_role("status")).to_contain_text("Réussi")
    page.get_by_role("button", name="Terminer le module").click()
    expect(page.get_by_text(re.compile("Module terminé le .* avec un score de 100 %"))).to_be_visible()

    # The catalog shows it completed with its score, and the next module is open.
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Mes modules").click()
    first = page.locator(".module-card").first
    expect(first).to_contain_text("Terminé")
    expect(first).to_contain_text("score : 100 %")
    expect(page.locator(".module-card").nth(1)).to_contain_text("Non commencé")

    # The progress page lists both attempts.
    nav.get_by_role("link", name="Ma progression").click()
    expect(page.get_by_text("Tentative 1")).to_be_visible()
    expect(page.get_by_text("Tentative 2")).to_be_visible()


def test_double_click_and_second_tab_record_one_attempt(page: Page, live_server):
    add_user(live_server.app, "sam@exemple.fr")
    log_in(page, live_server, "sam@exemple.fr")
    quiz_url = live_server("/modules/premiers-pas/verifier-ses-acquis")
    page.goto(quiz_url)
    second_tab = page.context.new_page()
    second_tab.goto(quiz_url)  # the same quiz, open in another tab before answering

    page.get_by_label("D'un refus de soins discriminatoire").check()
    page.get_by_label("L'origine").check()
    page.get_by_role("button", name="Valider mes réponses").dblclick()
    expect(page.get_by_role("status")).to_be_visible()

    second_tab.get_by_label("D'une organisation normale du cabinet").check()
    second_tab.get_by_label("La couleur préférée").check()
    second_tab.get_by_role("button", name="Valider mes réponses").click()
    expect(second_tab.get_by_text("Cette tentative était déjà enregistrée")).to_be_visible()

    page.goto(live_server("/progression"))
    expect(page.get_by_text("Tentative 1")).to_be_visible()
    expect(page.get_by_text("Tentative 2")).to_have_count(0)
