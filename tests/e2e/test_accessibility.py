"""Accessibility in a real browser: axe-core on every page type, keyboard-only journey, zoom, phones.

axe-core comes inside the axe-playwright-python package (no download at run time) and is injected
through Playwright's evaluate, which the CSP does not block. A page passes when axe reports no WCAG
2.1 A or AA violation. The pages are those of a seeded world (tests/security/world.py) so that every
page shows real content: an attempt, a shared answer, a certificate, a situation, a synthesis.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Error, Page
from werkzeug.serving import make_server

from elearn.models import Role
from tests.conftest import PASSWORD, add_user
from tests.e2e.conftest import LiveServer
from tests.security.world import QUIZ, World, build_world

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
QUIZ_SECTION = f"/modules/{QUIZ[0]}/verifier-ses-acquis"
QUIZ_RESULT = f"/modules/{QUIZ[0]}/quiz/{QUIZ[1]}/tentative/1"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def server(world) -> Iterator[LiveServer]:
    """One live server on the seeded world for the whole module (pages only read)."""
    httpd = make_server("127.0.0.1", 0, world.app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(world.app, f"http://127.0.0.1:{httpd.server_port}")
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def contexts(browser: Browser, browser_context_args, server, world) -> Iterator[dict[str, BrowserContext]]:
    """A browser context per role, logged in through the real form."""
    made = {}
    for role in ("anonymous", "learner", "trainer", "admin"):
        context = browser.new_context(**browser_context_args)
        if role != "anonymous":
            page = context.new_page()
            page.goto(server("/login"))
            page.get_by_label("Adresse e-mail").fill(world.users[role].email)
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url(lambda url: "/login" not in url)
            page.close()
        made[role] = context
    yield made
    for context in made.values():
        context.close()


def pages(world: World) -> list[tuple[str, str]]:
    """(role, path) of every page type."""
    learner, code = world.users["learner"].id, world.certificate_code
    return [
        ("anonymous", "/"),
        ("anonymous", "/login"),
        ("anonymous", "/register"),
        ("anonymous", "/password/forgot"),
        ("anonymous", f"/password/reset/{world.reset_token}"),
        ("anonymous", "/password/reset/lien-perime"),
        ("anonymous", "/verify"),
        ("anonymous", f"/verify/{code}"),
        ("anonymous", "/verify/AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"),
        ("anonymous", "/page-qui-n-existe-pas"),
        ("learner", "/modules"),
        ("learner", f"/modules/{QUIZ[0]}"),
        ("learner", f"/modules/{QUIZ[0]}/accueil"),
        ("learner", QUIZ_SECTION),
        ("learner", QUIZ_RESULT),
        ("learner", "/modules/suite"),
        ("learner", "/modules/atelier/pratique"),
        ("learner", "/progression"),
        ("learner", "/attestation"),
        ("learner", "/compte"),
        ("learner", "/reseau/"),
        ("learner", "/reseau/signaler"),
        ("learner", "/reseau/merci"),
        ("learner", "/admin/"),
        ("trainer", "/trainer/"),
        ("trainer", f"/trainer/apercu/{QUIZ[0]}/"),
        ("trainer", f"/trainer/apercu/{QUIZ[0]}/verifier-ses-acquis"),
        ("trainer", "/trainer/editeur/"),
        ("trainer", f"/trainer/editeur/{QUIZ[0]}/"),
        ("trainer", f"/trainer/editeur/{QUIZ[0]}/sections/{world.draft_section_id}"),
        ("trainer", f"/trainer/editeur/{QUIZ[0]}/historique?de=1&a=1"),
        ("trainer", "/trainer/medias/"),
        ("trainer", "/trainer/editeur/parcours"),
        ("trainer", "/trainer/reflexions"),
        ("trainer", "/trainer/syntheses"),
        ("trainer", f"/trainer/syntheses/{world.synthesis_id}"),
        ("trainer", "/reseau/situations"),
        ("trainer", f"/reseau/situations/{world.situation_id}"),
        ("admin", "/admin/dashboard"),
        ("admin", "/admin/learners"),
        ("admin", f"/admin/learners/{learner}"),
        ("admin", "/admin/exports"),
        ("admin", "/admin/audit"),
        ("admin", "/admin/users"),
        ("admin", f"/admin/users/{learner}"),
        ("admin", f"/admin/users/{learner}/erase"),
        ("admin", "/admin/certificates"),
        ("admin", f"/admin/certificates/{code}"),
        ("admin", "/admin/groups"),
        ("admin", f"/admin/groups/{world.group_id}"),
        ("admin", "/admin/users/new"),
        ("admin", "/admin/users/import"),
        ("admin", "/admin/modules"),
        ("admin", "/admin/me"),
        ("trainer", "/trainer/guide"),
    ]


def audit(page: Page) -> str:
    """axe's report of WCAG 2.1 A/AA violations, empty when there are none.

    A click that leads to a new page returns before that page has loaded; axe run in between
    finds no document (or has its context destroyed). Wait for the page to load, and run again
    when the navigation raced the audit.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page, options=WCAG_AA)
            break
        except Error as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
    return results.generate_report() if results.violations_count else ""


def test_axe_does_report_violations(contexts, server):
    """Guard against a silent audit: a page with an unlabelled image and field must fail."""
    page = contexts["anonymous"].new_page()
    page.goto(server("/login"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x><input type=text>')")
    assert "image-alt" in audit(page) and "label" in audit(page)
    page.close()


def open_page(context: BrowserContext, server, path: str) -> Page:
    page = context.new_page()
    page.goto(server(path))
    assert path == "/login" or "/login" not in page.url, f"{path} led to the log-in page"
    return page


def test_every_page_type_has_no_wcag_violation(contexts, server, world):
    failures = []
    for role, path in pages(world):
        page = open_page(contexts[role], server, path)
        report = audit(page)
        if report:
            failures.append(f"--- {role} {path}\n{report}")
        page.close()
    assert not failures, "\n".join(failures)


def _send(page: Page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


#: Pages in an error state, as a person who made a mistake sees them: (role, path, what to do).
ERROR_STATES = [
    ("anonymous", "/register", lambda page: _send(page, "Créer mon compte")),
    ("anonymous", "/login", lambda page: (
        page.get_by_label("Adresse e-mail").fill("personne@exemple.fr"),
        page.get_by_label("Mot de passe").fill("pas le bon mot de passe"),
        _send(page, "Se connecter"),
    )),
    ("anonymous", "/password/forgot", lambda page: _send(page, "Envoyer la demande")),
    ("learner", QUIZ_SECTION, lambda page: _send(page, "Valider mes réponses")),
    ("learner", "/reseau/signaler", lambda page: _send(page, "Envoyer anonymement")),
    ("admin", "/admin/groups", lambda page: _send(page, "Créer le groupe")),
    ("learner", "/compte", lambda page: _send(page, "Changer le mot de passe")),
    ("admin", "/admin/users/new", lambda page: _send(page, "Créer le compte")),
    ("admin", "/admin/me", lambda page: _send(page, "Enregistrer")),
]


@pytest.mark.parametrize(("role", "path", "act"), ERROR_STATES, ids=[f"{r} {p}" for r, p, _ in ERROR_STATES])
def test_pages_showing_errors_have_no_wcag_violation(contexts, server, role, path, act):
    page = open_page(contexts[role], server, path)
    act(page)
    assert page.locator(".field-error, .error-summary, [role=alert]").count() > 0, "no error shown"
    assert audit(page) == ""
    page.close()


#: CSS pixel widths: small and common phones, and a 1280 px window zoomed to 200 % (WCAG 1.4.10 reflow).
WIDTHS = [320, 390, 640]
SCROLLS_SIDEWAYS = "document.scrollingElement.scrollWidth > window.innerWidth"


def test_no_page_scrolls_sideways_on_phones_or_at_200_percent_zoom(contexts, server, world):
    too_wide = []
    for role, path in pages(world):
        page = contexts[role].new_page()
        page.goto(server(path))
        for width in WIDTHS:  # the layout follows the viewport: no need to reload
            page.set_viewport_size({"width": width, "height": 800})
            if page.evaluate(SCROLLS_SIDEWAYS):
                widest = page.evaluate(
                    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                    ".slice(-3).map(e => e.tagName + '.' + e.className).join(', ')"
                )
                too_wide.append(f"{width} px, {role} {path}: {widest}")
        page.close()
    assert not too_wide, "\n".join(too_wide)


# Keyboard only ------------------------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const style = getComputedStyle(e);
  return {text: (label || e.innerText || e.value || '').trim(), tag: e.tagName,
          visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
}"""


def tab_to(page: Page, text: str, limit: int = 60) -> None:
    """Press Tab until the focused element's label or text starts with ``text``; its focus must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["text"].startswith(text):
            assert focused["visible"], f"no visible focus on {text!r}"
            return
    raise AssertionError(f"{text!r} cannot be reached with the Tab key")


def test_whole_learner_journey_with_the_keyboard_alone(page: Page, live_server):
    add_user(live_server.app, "clavier@exemple.fr", Role.LEARNER, "Noa Clavier")
    page.goto(live_server("/login"))

    tab_to(page, "Adresse e-mail")
    page.keyboard.type("clavier@exemple.fr")
    tab_to(page, "Mot de passe")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/modules")

    tab_to(page, "Commencer")
    page.keyboard.press("Enter")
    for section in ("Section 1 sur 3", "Section 2 sur 3"):
        page.get_by_text(section).wait_for()
        tab_to(page, "Suivante")
        page.keyboard.press("Enter")

    page.get_by_text("Section 3 sur 3").wait_for()
    tab_to(page, "D'un refus de soins")  # a radio group is one Tab stop ...
    page.keyboard.press("ArrowDown")  # ... whose options the arrows choose
    page.keyboard.press("ArrowUp")
    assert page.get_by_label("D'un refus de soins discriminatoire").is_checked()
    tab_to(page, "L'origine")
    page.keyboard.press("Space")
    tab_to(page, "Le lieu de résidence")
    page.keyboard.press("Space")
    tab_to(page, "Valider mes réponses")
    page.keyboard.press("Enter")

    status = page.get_by_role("status")
    status.wait_for()
    assert "Réussi" in status.inner_text() and "100 %" in status.inner_text()
    assert page.title().startswith("Réussi")  # read first by screen readers when the page loads
    tab_to(page, "Terminer le module")
    page.keyboard.press("Enter")
    page.get_by_text("Module terminé le").wait_for()
