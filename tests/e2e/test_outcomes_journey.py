"""The acceptance journey of learning outcomes, in a real browser, every new page checked with axe.

A new learner of a group takes the positioning test, the two fixture modules, fails the final
assessment once and passes it, sees their gain and answers the satisfaction survey; the group's trainer
sees the gain, the per-question table and the satisfaction; the administrator exports them.
Set ELEARN_SHOTS to a folder to keep screenshots of every new page at 390 and 1280 px.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from elearn.db import session_scope
from elearn.groups import create_group
from elearn.models import Role, User
from tests.assessment.conftest import assessment_modules
from tests.certificates.support import MEDIA
from tests.conftest import add_user
from tests.e2e.test_accessibility import audit
from tests.e2e.test_certificate_journey import pass_quiz_and_finish
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("ELEARN_SHOTS")


@pytest.fixture
def live_server_config(tmp_path) -> dict[str, object]:
    return {"ELEARN_MODULES_DIR": str(assessment_modules(tmp_path)), "ELEARN_MEDIA_DIR": str(MEDIA)}


def check(page: Page, name: str) -> None:
    """No WCAG 2.1 AA violation, at desktop width and at 390 px; screenshots when asked for."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert audit(page) == "", f"{name} at {width} px:\n{audit(page)}"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def answer_all(page: Page, prefix: str) -> None:
    """Tick every answer whose text starts with ``prefix`` (the bank's « Juste … » or « Faux … »)."""
    for label in page.locator("form.quiz-form label").all():
        if label.inner_text().startswith(prefix):
            label.click()
    page.get_by_role("button", name="Valider mes réponses").click()


def test_positioning_modules_final_gain_survey_then_trainer_and_administrator(page: Page, live_server, browser, browser_context_args):
    app = live_server.app
    with app.app_context(), session_scope() as session:
        group_id = create_group(session, "Atelier Lyon", actor=None).id
    add_user(app, "lea@exemple.fr", full_name="Léa Fontaine")
    add_user(app, "lyon@exemple.fr", Role.TRAINER, "Formatrice Lyon")
    add_user(app, "admin@exemple.fr", Role.ADMIN, "Alex Admin")
    with app.app_context(), session_scope() as session:
        for email in ("lea@exemple.fr", "lyon@exemple.fr"):
            session.exec(select(User).where(User.email == email)).one().group_id = group_id

    # Before: the positioning test, offered on the catalog, never a condition.
    log_in(page, live_server, "lea@exemple.fr")
    page.get_by_role("link", name="Passer le test de positionnement").click()
    expect(page.get_by_role("button", name="Commencer")).to_be_visible()
    check(page, "positionnement-accueil")
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("button", name="Valider mes réponses")).to_be_visible()
    check(page, "positionnement-tentative")
    answer_all(page, "Faux")
    expect(page.get_by_role("status")).to_contain_text("Votre point de départ est enregistré")
    check(page, "positionnement-resultat")

    # The modules, in the reader.
    page.goto(live_server("/modules/premiers-pas"))
    page.get_by_role("link", name="Commencer le module").click()
    for _ in (1, 2):
        page.get_by_role("button", name=re.compile("Suivante")).click()
    pass_quiz_and_finish(page, ["D'un refus de soins discriminatoire", "L'origine", "Le lieu de résidence"])
    page.goto(live_server("/modules/suite"))
    page.get_by_role("link", name="Commencer le module").click()
    pass_quiz_and_finish(page, ["Vrai"])

    # After: the final assessment, failed once (no correction yet), then passed.
    page.goto(live_server("/modules"))
    check(page, "catalogue-finale-ouverte")
    page.get_by_role("link", name="Passer l'évaluation finale").click()
    expect(page.get_by_role("button", name="Commencer")).to_be_visible()
    check(page, "finale-accueil")
    page.get_by_role("button", name="Commencer").click()
    answer_all(page, "Faux")
    expect(page.get_by_role("status")).to_contain_text("Pas encore")
    expect(page.get_by_text("La correction s'affichera quand l'évaluation sera terminée")).to_be_visible()
    expect(page.get_by_text("bonne réponse", exact=True)).to_have_count(0)
    check(page, "finale-echec")
    page.get_by_role("button", name="Commencer la tentative n° 2").click()
    expect(page.get_by_role("button", name="Valider mes réponses")).to_be_visible()
    check(page, "finale-tentative")
    answer_all(page, "Juste")
    expect(page.get_by_role("status")).to_contain_text("Réussie")
    expect(page.get_by_role("heading", name="Vos acquis : avant et après la formation")).to_be_visible()
    expect(page.locator(".gain")).to_contain_text("+100 points")
    expect(page.get_by_role("heading", name="Correction")).to_be_visible()
    check(page, "finale-reussite")

    # Satisfaction « à chaud ».
    page.get_by_role("link", name="Répondre au questionnaire").click()
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_be_visible()
    check(page, "questionnaire-chaud")
    for fieldset in page.locator("fieldset.likert").all():
        fieldset.get_by_label("Plutôt d'accord").check()
    page.get_by_label(re.compile("Qu'avez-vous le plus apprécié")).fill("Les cas pratiques, très proches du terrain.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci pour vos réponses !")).to_be_visible()
    page.goto(live_server("/progression"))
    expect(page.locator(".gain")).to_contain_text("+100 points")
    check(page, "progression-acquis")

    # The group's trainer.
    trainer = browser.new_context(**browser_context_args).new_page()
    log_in(trainer, live_server, "lyon@exemple.fr")
    trainer.goto(live_server("/trainer/"))
    trainer.get_by_role("link", name="Résultats : acquis et satisfaction").click()
    expect(trainer.get_by_text("Groupe « Atelier Lyon ».")).to_be_visible()
    expect(trainer.get_by_role("table", name="Bonnes réponses par question, avant et après")).to_contain_text("Première question")
    expect(trainer.get_by_text("Les cas pratiques, très proches du terrain.")).to_be_visible()
    expect(trainer.locator("main")).not_to_contain_text("Léa")
    check(trainer, "formateur-resultats")

    # The administrator: charts on the dashboard, then the exports.
    admin = browser.new_context(**browser_context_args).new_page()
    log_in(admin, live_server, "admin@exemple.fr")
    admin.goto(live_server("/admin/dashboard?from=&to="))
    expect(admin.get_by_role("img", name=re.compile("Acquis : scores avant et après"))).to_be_visible()
    check(admin, "admin-tableau-de-bord")
    admin.goto(live_server("/admin/exports?group=Atelier+Lyon"))
    check(admin, "admin-exports")
    card = admin.get_by_role("region", name="Acquis avant-après")
    with admin.expect_download() as download:
        card.get_by_role("link", name="CSV (tableur français)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.startswith("# ")  # the comment line naming the organisation, then the table
    rows = list(csv.DictReader(io.StringIO(exported.split("\n", 1)[1]), delimiter=";"))
    assert [(r["Nom"], r["Avant : test de positionnement (%)"], r["Après : évaluation finale (%)"]) for r in rows] == [
        ("Léa Fontaine", "0", "100")]
    with admin.expect_download() as download:
        admin.get_by_role("region", name="Satisfaction (anonyme)").get_by_role("link", name="CSV (tableur français)").click()
    assert "Les cas pratiques, très proches du terrain." in Path(download.value.path()).read_text(encoding="utf-8-sig")
