"""Web-level protections: headers, cookies, session renewal, redirects, paths, authored HTML."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from elearn.web.auth.routes import safe_next
from elearn.web.setup import SECURITY_HEADERS
from tests.conftest import FIXTURE_MODULES, PASSWORD, add_user, make_test_app

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

TEMPLATES = Path(__file__).parents[2] / "elearn" / "templates"


# Headers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/page-qui-n-existe-pas", "/static/css/elearn.css"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "Strict-Transport-Security" not in headers  # plain HTTP by default: HSTS would be a lie


def test_each_header_is_sent_once_and_a_views_own_wins(tmp_path):
    """The headers are added where the view sent none: a view's own policy (the stored images'
    ``default-src 'none'``) is kept, and no header is sent twice."""
    app = make_test_app(tmp_path)
    app.add_url_rule("/image-test", "image_test", lambda: ("x", 200, {"Content-Security-Policy": "default-src 'none'"}))
    headers = app.test_client().get("/image-test").headers
    assert headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    for name in SECURITY_HEADERS:
        assert len(headers.getlist(name)) == 1, name


@pytest.mark.parametrize("request_args", [
    {"path": "/login?q=%00"},
    {"path": "/login?%00=x"},
    {"path": "/login", "method": "POST", "data": {"email": "a\x00@exemple.fr", "password": "x"}},
    {"path": "/login", "method": "POST", "data": {"email\x00": "a@exemple.fr"}},
    {"path": "/login", "method": "POST", "data": {"email": "a\x00@exemple.fr"}, "content_type": "multipart/form-data"},
])
def test_a_nul_character_is_refused_before_any_page_runs(client, request_args):
    """PostgreSQL text cannot hold U+0000: a query string or a form carrying one gets a 400, not a 500."""
    arguments = dict(request_args)
    assert client.open(arguments.pop("path"), **arguments).status_code == 400


def test_an_encoded_percent_sign_is_no_nul_character(client):
    assert client.get("/login?next=%2500").status_code == 200


def test_hsts_is_sent_when_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_SECURE_COOKIES", "1")
    app = make_test_app(tmp_path)
    assert app.test_client().get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_of_logged_in_users_are_not_cached(client, auth, learner):
    assert "Cache-Control" not in client.get("/login").headers
    auth.login(learner.email)
    assert client.get("/modules").headers["Cache-Control"] == "private, no-store"


def _attributes(pattern: str) -> list[str]:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        if "certificates" in template.parts:  # printed to PDF by WeasyPrint, never served to a browser
            continue
        if "packaging" in template.parts:  # written into SCORM/offline packages, played by an LMS or from file://
            continue
        found += [f"{template.relative_to(TEMPLATES)}: {m}" for m in re.findall(pattern, template.read_text(encoding="utf-8"))]
    return found


def test_templates_hold_nothing_the_csp_would_block():
    # inline script; a JSON data block (the packages' module data) is never run, so the CSP lets it be
    assert _attributes(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>") == []
    assert _attributes(r"\son[a-z]+\s*=") == []  # event handler attributes
    assert _attributes(r"\sstyle\s*=") == []  # style attributes
    assert _attributes(r"<style[\s>]") == []  # style elements
    assert _attributes(r"javascript:") == []


# Cookies and session -----------------------------------------------------------------------------------


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_cookies_are_httponly_and_samesite(client, learner):
    response = client.post("/login", data={"email": learner.email, "password": PASSWORD, "remember": "y"})
    cookies = _set_cookies(response)
    assert {"session", "remember_token", "elearn_device"} <= set(cookies)
    for header in cookies.values():
        assert "HttpOnly" in header and "SameSite=Lax" in header
        assert "Secure" not in header


def test_cookies_are_secure_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_SECURE_COOKIES", "1")
    app = make_test_app(tmp_path)
    add_user(app, "a@exemple.fr")
    response = app.test_client().post("/login", data={"email": "a@exemple.fr", "password": PASSWORD, "remember": "y"})
    cookies = _set_cookies(response)
    assert len(cookies) == 3
    assert all("; Secure" in header for header in cookies.values())
    # Over HTTPS the session also works inside an LMS's iframe (LTI), a third-party context.
    assert all("SameSite=None" in cookies[name] for name in ("session", "remember_token"))


def test_log_in_starts_a_fresh_session(client, learner):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = client.get_cookie("session").value
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


# Redirects ---------------------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "///evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_never_leaves_the_site(client, learner, target):
    assert safe_next(target) is None
    response = client.post("/login", query_string={"next": target}, data={"email": learner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/modules", "/modules/premiers-pas?x=1#y", "/%2F%2Fevil.example"])
def test_local_next_is_followed(client, learner, target):
    response = client.post("/login", query_string={"next": target}, data={"email": learner.email, "password": PASSWORD})
    assert response.headers["Location"] == target


# Paths ---------------------------------------------------------------------------------------------------


@pytest.fixture
def media_app(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "schema.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    return make_test_app(tmp_path, ELEARN_MEDIA_DIR=str(media))


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/..%2fsecret.txt",
        "/media/..%2Fsecret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/%2e%2e%2fsecret.txt",
        "/media/..%5csecret.txt",
        "/media/....//secret.txt",
        "/media/%252e%252e%252fsecret.txt",
        "/media//etc/passwd",
        "/media/%2fetc%2fpasswd",
        "/media/schema.svg%00.txt",
    ],
)
def test_media_cannot_leave_its_folder(media_app, path):
    client = media_app.test_client()
    assert client.get("/media/schema.svg").status_code == 200
    response = client.get(path, follow_redirects=True)  # "//" is merged into "/" by a redirect first
    assert response.status_code in (400, 404)
    assert response.request.path.startswith("/media/")
    assert b"SECRET" not in response.data and b"root:" not in response.data


def test_missing_media_gets_the_french_404_page(media_app):
    response = media_app.test_client().get("/media/absent.mp4")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/modules/..%2f..%2fetc", "/modules/%2e%2e/%2e%2e", "/modules/premiers-pas/..%2f02-suite"])
def test_module_urls_only_name_modules_of_the_library(client, auth, learner, path):
    auth.login(learner.email)
    assert client.get(path).status_code == 404


# Authored HTML -------------------------------------------------------------------------------------------

HOSTILE_SECTION = """
## Piège

Texte <script>document.title = 'pwned'</script> normal.

<img src="x" onerror="alert(1)" alt="image">

<a href="javascript:alert(2)">lien</a> <p style="position:fixed" onclick="alert(3)">clic</p>

<iframe src="https://evil.example"></iframe>
"""


def test_authored_script_never_reaches_the_learner(tmp_path):
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    accueil = modules / "01-premiers-pas" / "01-accueil.md"
    accueil.write_text(accueil.read_text(encoding="utf-8") + HOSTILE_SECTION, encoding="utf-8")
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules))
    add_user(app, "a@exemple.fr")
    client = app.test_client()
    client.post("/login", data={"email": "a@exemple.fr", "password": PASSWORD})
    response = client.get("/modules/premiers-pas/piege")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "clic" in page
    body = page.split('id="contenu"', 1)[1]
    assert "<script>" not in body and "pwned" not in body
    assert not re.search(r"\son[a-z]+=", body)
    assert "javascript:" not in body and "<iframe" not in body and "position:fixed" not in body
