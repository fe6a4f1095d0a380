"""The LTI platform server (lti1p3platform over HTTP), started once; an elearn app that registered it;
a browser's walk through a launch."""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request

import pytest

from tests.lti.platform import LaunchPlan, Platform


@pytest.fixture(scope="session")
def platform_server():
    server = Platform()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def platform(platform_server, app, client, admin, auth):
    """The platform, registered in elearn by an administrator through Administration › LTI, knowing
    elearn's key set; a fresh launch plan; logged out again."""
    platform_server.plan = LaunchPlan()
    platform_server.scores.clear()
    platform_server.content_items = []
    platform_server.fail_scores = False
    platform_server.tool_jwks = client.get("/lti/jwks").get_json()
    auth.login(admin.email)
    response = client.post("/admin/lti", data=platform_server.registration_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return platform_server


def form_fields(page: str, form_id: str | None = None) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the page's first form (or of the form ``form_id``)."""
    pattern = r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>' if form_id is None else (
        r'<form[^>]*action="([^"]*)"[^>]*id="' + form_id + r'"[^>]*>(.*?)</form>')
    action, body = re.search(pattern, page, re.S).groups()
    fields = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', body)}
    return html.unescape(action), fields


def platform_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def start_launch(client, platform: Platform) -> dict[str, str]:
    """From the platform's link to the id_token it posts to elearn: login initiation (with elearn's
    cookie check), the platform's authorisation answer. Returns the form fields (id_token, state)."""
    login = urllib.parse.urlsplit(platform.login_initiation_url())
    page = client.get(f"{login.path}?{login.query}")
    assert page.status_code == 200, page.get_data(as_text=True)
    continue_url = html.unescape(re.search(r'data-continue="([^"]+)"', page.get_data(as_text=True)).group(1))
    to_platform = client.get(continue_url)
    assert to_platform.status_code == 302, to_platform.get_data(as_text=True)
    _action, fields = form_fields(platform_get(to_platform.headers["Location"]))
    return fields


def launch(client, platform: Platform, **changes: object):  # noqa: ANN201
    """A whole launch; ``changes`` alter the fields elearn receives. Returns elearn's answer."""
    fields = start_launch(client, platform)
    fields.update({k: v for k, v in changes.items() if v is not None})
    for name in [k for k, v in changes.items() if v is None]:
        fields.pop(name, None)
    return client.post("/lti/launch", data=fields)
