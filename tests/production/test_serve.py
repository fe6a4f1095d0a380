"""``elearn serve --workers 4`` on PostgreSQL: whatever worker answers, the learner sees the same thing.

The server runs as a real subprocess on a free loopback port; its access log records the process id of
the worker behind every response, so the tests can check that several workers took part.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from elearn.security.ratelimit import FREE_FAILURES
from tests.conftest import FIXTURE_MEDIA, FIXTURE_MODULES, PASSWORD, add_user
from tests.pgserver import ONLY_POSTGRESQL, free_port

pytestmark = ONLY_POSTGRESQL

WORKERS = 4
ELEARN = Path(sys.executable).with_name("elearn")
MODULE_INDEX = Path("01-premiers-pas") / "index.md"


@dataclass
class Server:
    url: str
    modules: Path
    access_log: Path

    def worker_pids(self, path: str) -> set[str]:
        """Process ids of the workers that answered requests for ``path``."""
        lines = self.access_log.read_text().splitlines()
        return {re.search(r"pid=<?(\d+)", line).group(1) for line in lines if f" {path} HTTP" in line}


class Browser:
    """A client with its own cookie jar, as one person's browser (urllib: no extra dependency)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, final path after redirects, body)."""
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def login(self, email: str, password: str = PASSWORD) -> tuple[int, str, str]:
        _, _, page = self.get("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.post("/login", {"email": email, "password": password, "csrf_token": token})

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, urllib.parse.urlsplit(response.url).path, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, urllib.parse.urlsplit(error.url).path, error.read().decode()


def wait_until_up(url: str, process: subprocess.Popen, deadline: float = 30) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            pytest.fail(f"elearn serve exited: {process.communicate()[1]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("elearn serve did not answer /healthz in time")


@pytest.fixture
def server(app, tmp_path) -> Iterator[Server]:
    """The app's PostgreSQL database served by 4 gunicorn workers, modules in a folder the test may edit."""
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    port, access_log = free_port(), tmp_path / "access.log"
    environment = {
        **os.environ,
        "ELEARN_DATABASE_URL": app.config["ELEARN_DATABASE_URL"],
        "ELEARN_INSTANCE_DIR": str(tmp_path / "served-instance"),  # no key yet: made once, before the fork
        "ELEARN_MODULES_DIR": str(modules),
        "ELEARN_MEDIA_DIR": str(FIXTURE_MEDIA),
    }
    environment.pop("ELEARN_SECRET_KEY", None)
    command = [str(ELEARN), "serve", "--workers", str(WORKERS), "--port", str(port), "--access-log", str(access_log)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        yield Server(f"http://127.0.0.1:{port}", modules, access_log)
    finally:
        process.terminate()
        process.communicate(timeout=30)


def in_parallel(count: int, call) -> list:  # noqa: ANN001
    """``call()`` ``count`` times from 8 threads: concurrent requests keep several workers busy."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: call(), range(count)))


def test_a_session_opened_on_one_worker_is_valid_on_every_worker(server, learner):
    browser = Browser(server.url)
    status, landed, _ = browser.login(learner.email)
    assert status == 200 and landed != "/login"
    pages = in_parallel(48, lambda: browser.get("/modules"))
    assert {(status, landed) for status, landed, _ in pages} == {(200, "/modules")}
    assert all("Premiers pas" in body for _, _, body in pages)
    assert len(server.worker_pids("/modules")) >= 2


def test_an_edited_module_is_served_by_every_worker_within_seconds(server, learner):
    browser = Browser(server.url)
    browser.login(learner.email)
    in_parallel(16, lambda: browser.get("/modules"))  # every worker has loaded the library
    index = server.modules / MODULE_INDEX
    index.write_text(index.read_text(encoding="utf-8").replace("Premiers pas", "Premiers pas revus"), encoding="utf-8")
    time.sleep(1.5)  # the library looks at the files at most once a second
    pages = in_parallel(48, lambda: browser.get("/modules"))
    assert all("Premiers pas revus" in body for _, _, body in pages)
    assert len(server.worker_pids("/modules")) >= 2


def test_failed_logins_are_counted_across_workers(server, learner):
    browser = Browser(server.url)
    for _ in range(FREE_FAILURES):
        status, _, _ = browser.login(learner.email, "not the password")
        assert status == 401  # the form again, with an error
    status, _, body = browser.login(learner.email)
    assert status == 429 and "Trop de tentatives" in body
    assert len(server.worker_pids("/login")) >= 2
