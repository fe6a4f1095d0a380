"""Interface languages: French by default, English on request, module content untouched, catalogue complete."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from elearn import formatting
from elearn.i18n import COOKIE_NAME

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "elearn" / "translations" / "en" / "LC_MESSAGES"
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def english(client) -> None:  # noqa: ANN001
    """Choose English the way a visitor does: through the footer's link."""
    client.get("/langue/en")


def page(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


# The choice of language


def test_french_is_the_default(client):
    html = page(client.get("/login"))
    assert '<html lang="fr">' in html
    assert "<h1>Se connecter</h1>" in html
    assert 'hreflang="en">English</a>' in html


def test_browser_asking_for_english_gets_english(client):
    html = page(client.get("/login", headers=ENGLISH))
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Se connecter" not in html


def test_browser_asking_for_another_language_gets_french(client):
    html = page(client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert '<html lang="fr">' in html


def test_choice_outranks_the_browser_and_outlives_the_session(client, auth, learner):
    client.get("/langue/fr", headers=ENGLISH)
    assert "<h1>Se connecter</h1>" in page(client.get("/login", headers=ENGLISH))
    english(client)
    auth.login(learner.email)  # log-in clears the session; the language is a cookie of its own
    assert "<h1>My training course</h1>" in page(client.get("/modules", headers={"Accept-Language": "fr"}))


def test_switch_keeps_the_visitor_on_the_same_page(client):
    response = client.get("/langue/en?next=/password/forgot")
    assert response.status_code == 302
    assert response.headers["Location"] == "/password/forgot"
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None and cookie.value == "en" and cookie.http_only
    assert "<h1>Forgotten password</h1>" in page(client.get(response.headers["Location"]))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_switch_never_leaves_the_site(client, target):
    response = client.get("/langue/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/langue/de").status_code == 404
    assert client.get_cookie(COOKIE_NAME) is None


def test_footer_links_back_to_the_current_page(client):
    html = page(client.get("/password/forgot?x=1"))
    assert 'href="/langue/en?next=/password/forgot?x%3D1"' in html


# Pages, messages and errors in English


def test_flash_message_in_english(client, auth, learner):
    english(client)
    auth.login(learner.email)
    html = page(client.post("/logout", follow_redirects=True))
    assert "You are logged out." in html


def test_form_errors_in_english(client):
    english(client)
    html = page(client.post("/register", data={}))
    assert "The form contains 4 errors" in html
    assert "This field is required." in html
    assert "Ce champ est obligatoire." not in html
    failed = page(client.post("/login", data={"email": "nobody@example.org", "password": "wrong password"}))
    assert "Incorrect e-mail address or password." in failed


def test_domain_error_in_english(client, learner):
    english(client)
    html = page(client.post("/register", data={
        "full_name": "Camille Martin", "email": learner.email, "password": "a long password", "confirm": "a long password",
    }))
    assert "An account already exists with this address." in html


def test_error_page_in_english(client):
    english(client)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page(response)
    assert "Back to the home page" in page(response)


def test_catalog_in_english_keeps_the_modules_in_french(client, auth, learner):
    english(client)
    auth.login(learner.email)
    catalog = page(client.get("/modules"))
    assert "<h1>My training course</h1>" in catalog
    assert "Planned duration: 15 min" in catalog
    assert "Premiers pas" in catalog and "Un module d&#39;essai pour les tests de parcours." in catalog
    assert "Logged in: Camille Martin (Learner)" in catalog
    section = page(client.get("/modules/premiers-pas/verifier-ses-acquis"))
    assert "Section 3 of 3" in section
    assert "Submit my answers" in section
    assert "un refus de soins discriminatoire" in section  # module content is not translated


def test_admin_dashboard_in_english(client, auth, admin):
    english(client)
    auth.login(admin.email)
    html = page(client.get("/admin/dashboard"))
    assert "<h1>Dashboard</h1>" in html
    assert f"From 1 January {date.today().year} to" in html
    assert "Last 30 days" in html and "Pass rate" in html


def test_french_wording_is_unchanged_without_a_choice(client, auth, admin):
    auth.login(admin.email)
    html = page(client.get("/admin/dashboard"))
    assert "<h1>Tableau de bord</h1>" in html
    assert f"Du 1er janvier {date.today().year} au" in html


# Dates and durations


def test_dates_and_durations_have_an_english_form():
    moment = datetime(2026, 3, 1, 13, 5, tzinfo=UTC)  # 14:05 in Paris
    assert formatting.FORMATTERS["fr"]["date"](moment) == "1er mars 2026"
    assert formatting.FORMATTERS["en"]["date"](moment) == "1 March 2026"
    assert formatting.FORMATTERS["fr"]["datetime"](moment) == "1er mars 2026 à 14 h 05"
    assert formatting.FORMATTERS["en"]["datetime"](moment) == "1 March 2026 at 14:05"
    assert formatting.FORMATTERS["en"]["duration"](59) == formatting.FORMATTERS["fr"]["duration"](59) == "0 min"
    assert formatting.FORMATTERS["en"]["duration"](3900) == formatting.FORMATTERS["fr"]["duration"](3900) == "1 h 05 min"


# The catalogue


def _catalogue():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="en")


def test_every_message_is_translated():
    catalogue = _catalogue()
    untranslated = [m.id for m in catalogue if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []  # placeholders of each translation match its French original


def test_catalogue_covers_every_message_of_the_code():
    """A new ``_("…")`` fails here until ``make translations`` is run and the entry translated."""
    method_map = [("elearn/**.py", "python"), ("elearn/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None, "lazy_gettext": None}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=keywords)
    }
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue() if m.id}
    assert sorted(found - known) == []


def _entries(catalogue) -> dict:  # noqa: ANN001 - a babel Catalog
    """Message id -> translation, plural ids and forms as tuples."""
    as_key = lambda value: value if isinstance(value, str) else tuple(value)  # noqa: E731
    return {as_key(m.id): as_key(m.string) for m in catalogue if m.id}


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what the app loads: it must be the .po compiled (``make translations``)."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    compiled.seek(0)
    expected = _entries(read_mo(compiled))
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        shipped = _entries(read_mo(handle))
    assert shipped == expected
