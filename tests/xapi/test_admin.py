"""Administration › xAPI: the LRS set by an administrator is used, and the backlog is on the dashboard."""

from __future__ import annotations

import pytest
from sqlmodel import select

from elearn.db import get_engine, session_scope
from elearn.models import AuditEvent
from elearn.models.outbox import XAPI
from elearn.outbox.worker import send_channel
from elearn.xapi.sender import xapi_transport
from tests import ralph as ralph_server
from tests.conftest import make_test_app

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(tmp_path, database_url):
    """No LRS in the environment: the administrator sets it."""
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=database_url)
    yield app
    get_engine(app).dispose()


def test_statements_wait_until_an_administrator_sets_the_lrs(app, client, auth, admin, learner, lrs):
    auth.login(learner.email)
    client.get("/modules/premiers-pas/accueil")
    auth.logout()
    assert send_channel(app, XAPI, xapi_transport, once=False) is None  # no LRS: nothing sent, nothing lost
    auth.login(admin.email)
    page = client.get("/admin/dashboard").get_data(as_text=True)
    assert "En attente d'envoi</dt><dd>1 (" in page

    refused = client.post("/admin/xapi", data={"url": "lrs.exemple.fr", "username": "", "password": ""})
    assert refused.status_code == 400 and "doit commencer par https://" in refused.get_data(as_text=True)
    saved = client.post("/admin/xapi", data={"url": lrs.url, "username": ralph_server.USERNAME,
                                              "password": ralph_server.PASSWORD}, follow_redirects=True)
    assert "Réglages du LRS enregistrés" in saved.get_data(as_text=True)
    report = send_channel(app, XAPI, xapi_transport, once=False)
    assert report is not None and report.sent == 1 and len(lrs.arrived()) == 1
    with app.app_context(), session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "xapi.lrs_configured")).one()
        assert ralph_server.PASSWORD not in str(event.details)
    page = client.get("/admin/xapi").get_data(as_text=True)
    assert "Dernier envoi réussi" in page and lrs.url in page
