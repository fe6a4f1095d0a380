"""``elearn serve`` runs the outbox's sender beside its workers: a learner's page view reaches Ralph
without anyone running ``elearn xapi send``, and stopping the server stops the sender."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests import ralph as ralph_server
from tests.conftest import FIXTURE_MEDIA, FIXTURE_MODULES
from tests.pgserver import free_port
from tests.production.test_serve import ELEARN, Browser, wait_until_up

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_the_server_delivers_statements_by_itself(app, learner, lrs, tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "ELEARN_DATABASE_URL": app.config["ELEARN_DATABASE_URL"],
        "ELEARN_INSTANCE_DIR": str(tmp_path / "served-instance"),
        "ELEARN_MODULES_DIR": str(FIXTURE_MODULES),
        "ELEARN_MEDIA_DIR": str(FIXTURE_MEDIA),
        "ELEARN_XAPI_LRS_URL": lrs.url,
        "ELEARN_XAPI_LRS_USERNAME": ralph_server.USERNAME,
        "ELEARN_XAPI_LRS_PASSWORD": ralph_server.PASSWORD,
    }
    command = [str(ELEARN), "serve", "--workers", "1", "--port", str(port)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.login(learner.email)
        assert browser.get("/modules/premiers-pas/accueil")[0] == 200
        deadline = time.monotonic() + 30
        while not lrs.arrived() and time.monotonic() < deadline:
            time.sleep(0.2)  # the sender looks at the outbox every 2 seconds
        verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in lrs.arrived()]
        assert verbs == ["launched"]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert "outbox sender stopped" in errors
