"""Every administrator route answers 403 to learners and trainers, route by route.

The list comes from the application's URL map, so a route added later is checked without anyone having
to remember to add it here.
"""

from __future__ import annotations

import re
import tempfile

import pytest

from elearn import create_app

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


def admin_routes() -> list[tuple[str, str]]:
    """(method, url) for every method of every ``admin.*`` endpoint, with sample path arguments."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"TESTING": True, "SECRET_KEY": "listing", "ELEARN_INSTANCE_DIR": instance,
                          "ELEARN_DATABASE_URL": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = re.sub(r"<(?:int:)?(?:user|group|request)_id>", "1", rule.rule)
        url = url.replace("<decision>", "approve").replace("<slug>", "premiers-pas")
        url = url.replace("<dataset>", "completions").replace("<fmt>", "csv")
        url = url.replace("<code>", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA").replace("<kind>", "logo")
        assert "<" not in url, f"give a sample value for the arguments of {rule.rule}"
        routes += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


ROUTES = admin_routes()


def test_the_route_list_covers_the_admin_pages():
    urls = {url for _, url in ROUTES}
    assert {"/admin/dashboard", "/admin/learners", "/admin/exports", "/admin/audit", "/admin/users"} <= urls
    assert ("POST", "/admin/users/1/erase") in ROUTES


@pytest.mark.parametrize(("method", "url"), ROUTES)
@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_admin_route_is_forbidden(app, client, auth, learner, trainer, role, method, url):
    auth.login(learner.email if role == "learner" else trainer.email)
    response = client.open(url, method=method)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_admin_route_sends_anonymous_visitors_to_log_in(client, method, url):
    response = client.open(url, method=method)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
