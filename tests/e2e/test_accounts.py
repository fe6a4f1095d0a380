"""Accounts in a real browser: register, log out, log in, wrong password, roles, CSRF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from elearn.models import Role
from tests.conftest import PASSWORD, add_user

pytestmark = pytest.mark.e2e


def register(page: Page, server, email: str = "lea.n@exemple.fr") -> None:
    page.goto(server("/register"))
    page.get_by_label("Nom et prénom").fill("Léa Nguyen")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Profession").fill("Médiatrice en santé")
    page.get_by_label("Mot de passe (10 caractères au moins)").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()


def test_register_logout_login_and_wrong_password(page: Page, live_server):
    register(page, live_server)
    expect(page.get_by_text("Bienvenue ! Votre compte est créé.")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("Léa Nguyen")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()

    page.get_by_label("Adresse e-mail").fill("lea.n@exemple.fr")
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("lea.n@exemple.fr")

    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_registration_errors_are_shown_next_to_fields(page: Page, live_server):
    add_user(live_server.app, "pris@exemple.fr")
    register(page, live_server, email="pris@exemple.fr")
    expect(page.locator("#email-erreur")).to_have_text(re.compile("Un compte existe déjà"))
    expect(page.get_by_label("Nom et prénom")).to_have_value("Léa Nguyen")
    expect(page.get_by_label("Adresse e-mail")).to_have_attribute("aria-invalid", "true")


def test_learner_gets_403_on_admin_page(page: Page, live_server):
    add_user(live_server.app, "apprenant@exemple.fr", Role.LEARNER)
    page.goto(live_server("/login"))
    page.get_by_label("Adresse e-mail").fill("apprenant@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    response = page.goto(live_server("/admin/users"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)


def test_admin_sees_administration(page: Page, live_server):
    add_user(live_server.app, "admin@exemple.fr", Role.ADMIN, "Alex Bernard")
    page.goto(live_server("/login?next=/admin/users"))
    page.get_by_label("Adresse e-mail").fill("admin@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Comptes", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Alex Bernard")).to_be_visible()


def test_form_without_csrf_token_is_refused(page: Page, live_server):
    page.goto(live_server("/register"))
    page.locator("input[name=csrf_token]").evaluate("node => node.remove()")
    page.get_by_label("Nom et prénom").fill("Léa Nguyen")
    page.get_by_label("Adresse e-mail").fill("lea@exemple.fr")
    page.get_by_label("Mot de passe (10 caractères au moins)").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Le formulaire a expiré ou n'a pas pu être vérifié.")).to_be_visible()
    page.goto(live_server("/login"))
    page.get_by_label("Adresse e-mail").fill("lea@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")  # nothing was created


def log_in(page: Page, server, email: str, remember: bool = False) -> None:
    page.goto(server("/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    if remember:
        page.get_by_label("Rester connecté·e sur cet appareil").check()
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_changing_the_password_in_my_account_logs_the_other_browser_out(page: Page, browser, live_server):
    add_user(live_server.app, "lea@exemple.fr", Role.LEARNER, "Léa Martin")
    other = browser.new_context(locale="fr-FR").new_page()
    log_in(other, live_server, "lea@exemple.fr", remember=True)
    log_in(page, live_server, "lea@exemple.fr")

    page.get_by_role("link", name="Mon compte").click()
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_label("Nouveau mot de passe (10 caractères au moins)").fill("une toute nouvelle phrase")
    page.get_by_label("Confirmez le mot de passe").fill("une toute nouvelle phrase")
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.get_by_role("status")).to_contain_text("Vos autres appareils sont déconnectés.")
    page.get_by_role("link", name="Ma progression").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("progression")

    other.goto(live_server("/progression"))
    expect(other).to_have_url(re.compile(r"/login"))
    expect(other.get_by_role("button", name="Se connecter")).to_be_visible()
    other.context.close()
