"""The vigilance network in a real browser: identifying details stop a submission with clear French messages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import Situation
from tests.conftest import PASSWORD, add_user

pytestmark = pytest.mark.e2e


def stored(app) -> list[Situation]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(Situation)))


def test_phone_number_and_first_name_stop_the_submission(page: Page, live_server):
    add_user(live_server.app, "infirmiere@exemple.fr")
    page.goto(live_server("/login"))
    page.get_by_label("Adresse e-mail").fill("infirmiere@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Réseau de vigilance").click()
    page.get_by_role("link", name="Partager une situation").click()
    typed = "Karim, joignable au 06 12 34 56 78, s'est vu refuser un rendez-vous chez un dentiste."
    page.get_by_label("Ce qui s'est passé").fill(typed)
    page.get_by_label("Accès aux soins").check()
    page.get_by_label("Vulnérabilité économique").check()
    page.get_by_role("button", name="Envoyer anonymement").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Votre situation n'a pas été envoyée")
    expect(summary).to_contain_text("Rien n'a été enregistré")
    field_errors = page.locator("#what_happened-erreur")
    expect(field_errors).to_contain_text("Karim\u00a0» ressemble à un prénom")
    expect(field_errors).to_contain_text("06 12 34 56 78\u00a0» ressemble à un numéro de téléphone")
    expect(page.get_by_label("Ce qui s'est passé")).to_have_value(typed)
    expect(page.get_by_label("Accès aux soins")).to_be_checked()
    assert stored(live_server.app) == []

    page.get_by_label("Ce qui s'est passé").fill("Un patient s'est vu refuser un rendez-vous chez un dentiste.")
    page.get_by_role("button", name="Envoyer anonymement").click()
    expect(page.get_by_role("heading", name="Merci, votre situation a été transmise")).to_be_visible()
    (situation,) = stored(live_server.app)
    assert situation.what_happened.startswith("Un patient")
