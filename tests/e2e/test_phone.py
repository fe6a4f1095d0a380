"""The learner's pages on a 390 px phone: one-row header and its menu, the certificate in two steps,
sections read in any order, the folded table of contents; axe on each of them.

The read test lowers the rule (a section counts as read after 1 s of active time, heartbeats every
second) so that it waits on the browser's real heartbeats without waiting 30 s per section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from elearn.models import Role
from tests.certificates.support import MEDIA, MODULES, complete_path
from tests.conftest import PASSWORD, add_user, make_test_app
from tests.e2e.conftest import LiveServer, serving
from tests.e2e.test_accessibility import audit

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    """The fixture modules, with the read rule and the heartbeat lowered to one second."""
    app = make_test_app(tmp_path_factory.mktemp("phone"), WTF_CSRF_ENABLED=True, SECTION_READ_SECONDS=1, HEARTBEAT_INTERVAL_SECONDS=1)
    with serving(app) as live:
        yield live


@pytest.fixture(scope="module")
def certificate_server(tmp_path_factory) -> Iterator[LiveServer]:
    app = make_test_app(tmp_path_factory.mktemp("phone-certificate"), WTF_CSRF_ENABLED=True,
                        ELEARN_MODULES_DIR=str(MODULES), ELEARN_MEDIA_DIR=str(MEDIA))
    with serving(app) as live:
        yield live


@pytest.fixture
def phone(browser: Browser, browser_context_args) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True})
    yield context.new_page()
    context.close()


def log_in_as_new_learner(page: Page, server: LiveServer, email: str) -> int:
    user = add_user(server.app, email, Role.LEARNER)
    page.goto(server("/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/modules")
    return user.id


def test_tap_on_obtenir_confirms_with_the_code_and_offers_the_download(phone: Page, certificate_server):
    user_id = log_in_as_new_learner(phone, certificate_server, "obtenir@exemple.fr")
    complete_path(certificate_server.app, user_id)
    phone.goto(certificate_server("/attestation"))
    phone.get_by_role("button", name="Obtenir mon attestation").tap()

    code = phone.locator(".certificate-code")
    expect(code).to_be_visible()
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){4}", code.inner_text())
    expect(phone.get_by_role("status")).to_contain_text(f"Son code de vérification est {code.inner_text()}")
    expect(phone.get_by_role("link", name=f"/verify/{code.inner_text()}")).to_be_visible()
    expect(phone.get_by_role("button", name="Obtenir mon attestation")).to_have_count(0)  # nothing left to tap twice
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger mon attestation (PDF)").tap()
    assert download.value.suggested_filename == f"attestation-{code.inner_text()}.pdf"
    assert audit(phone) == ""


def wait_for_credited_heartbeat(page: Page) -> None:
    """Wait for the page's next heartbeats until one is credited (the server credits only real time)."""
    for _ in range(10):
        with page.expect_response(lambda response: response.url.endswith("/activite")) as heartbeat:
            pass
        if heartbeat.value.json()["credited"] > 0:
            return
    raise AssertionError("no heartbeat was credited")


def jump_through_the_table_of_contents(page: Page, title: str) -> None:
    """On a phone the table of contents is folded: open it, then follow one of its entries."""
    toc = page.locator(".reader-toc")
    expect(toc.get_by_role("link", name=title)).to_be_hidden()
    toc.locator("summary", has_text="Sommaire du module").tap()
    toc.get_by_role("link", name=title).tap()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def test_sections_read_in_any_order_count_whichever_link_leaves_them(phone: Page, server):
    log_in_as_new_learner(phone, server, "sommaire@exemple.fr")
    phone.goto(server("/modules/premiers-pas"))
    phone.get_by_role("link", name="Notions").tap()
    expect(phone.get_by_text("Une section compte comme lue après 1 secondes de lecture active")).to_be_visible()
    wait_for_credited_heartbeat(phone)
    jump_through_the_table_of_contents(phone, "Vérifier ses acquis")
    wait_for_credited_heartbeat(phone)
    jump_through_the_table_of_contents(phone, "Accueil")
    wait_for_credited_heartbeat(phone)
    jump_through_the_table_of_contents(phone, "Notions")  # never left with « Suivante »

    expect(phone.locator(".reader-toc summary")).to_contain_text("(3 sur 3 lues)")
    expect(phone.get_by_text("Section 2 sur 3 · lue")).to_be_visible()
    phone.goto(server("/modules/premiers-pas"))
    expect(phone.locator(".toc .badge-ok", has_text="lue")).to_have_count(3)


def test_current_entry_of_the_table_of_contents_leaves_its_number_visible(phone: Page, server):
    log_in_as_new_learner(phone, server, "marque@exemple.fr")
    phone.goto(server("/modules/premiers-pas/notions"))
    phone.locator(".reader-toc summary").tap()
    current = phone.locator(".toc li", has=phone.locator("a[aria-current=page]"))
    # The bar and the highlight sit inside the entry's box; the number (its ::marker) is drawn outside it.
    box = current.bounding_box()
    link = current.get_by_role("link").bounding_box()
    assert box["x"] <= link["x"] and current.evaluate("li => getComputedStyle(li).marginLeft") == "0px"
    assert audit(phone) == ""


def test_header_is_one_row_on_a_phone_and_the_links_show_on_a_wide_screen(phone: Page, server):
    log_in_as_new_learner(phone, server, "entete@exemple.fr")
    for path in ("/modules", "/progression", "/attestation", "/modules/premiers-pas/accueil"):
        phone.goto(server(path))
        brand = phone.locator(".brand").bounding_box()
        menu = phone.get_by_text("Menu", exact=True).bounding_box()
        header = phone.locator(".site-header").bounding_box()
        assert header["height"] < 72, (path, header)
        assert menu["y"] < brand["y"] + brand["height"] and brand["y"] < menu["y"] + menu["height"], path  # one row
        expect(phone.get_by_role("link", name="Ma progression")).to_be_hidden()
    phone.set_viewport_size({"width": 1280, "height": 800})
    expect(phone.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(phone.get_by_role("link", name="Ma progression")).to_be_visible()
    expect(phone.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_menu_opens_and_closes_with_the_keyboard(phone: Page, server):
    log_in_as_new_learner(phone, server, "clavier-menu@exemple.fr")
    phone.goto(server("/progression"))
    for _ in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.innerText.trim()") == "Menu":
            break
    else:
        raise AssertionError("the menu button cannot be reached with the Tab key")
    menu = phone.locator("details.menu")
    expect(menu).not_to_have_attribute("open", "")

    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(phone.get_by_role("link", name="Mes modules")).to_be_visible()
    assert audit(phone) == ""  # open, over the page
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.innerText.trim()") == "Mes modules"
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Space")
    expect(menu).not_to_have_attribute("open", "")
    expect(phone.get_by_role("link", name="Mes modules")).to_be_hidden()
