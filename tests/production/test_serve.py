"""``elearn serve --workers 4`` on PostgreSQL: whatever worker answers, the learner sees the same thing.

The server runs as a real subprocess on a free loopback port; its access log records the process id of
the worker behind every response. The tests do not count on gunicorn spreading the load: they send the
same request to every worker in turn (``Browser.on_every_worker``).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
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

    @property
    def address(self) -> tuple[str, int]:
        netloc = urllib.parse.urlsplit(self.url)
        return netloc.hostname, netloc.port

    def worker_pids(self, path: str) -> set[str]:
        """Process ids of the workers that answered requests for ``path``."""
        lines = self.access_log.read_text().splitlines()
        return {re.search(r"pid=<?(\d+)", line).group(1) for line in lines if f" {path} HTTP" in line}

    def accept_queue(self) -> int:
        """Connections waiting for a worker to accept them (the listening socket's backlog, from /proc)."""
        port = f"{self.address[1]:04X}"
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1] == f"0100007F:{port}" and fields[3] == "0A":  # 127.0.0.1:port, LISTEN
                return int(fields[4].split(":")[1], 16)
        pytest.fail(f"nothing listens on {self.url}")


class Browser:
    """A client with its own cookie jar, as one person's browser (urllib: no extra dependency)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf_token(self) -> str:
        _, _, page = self.get("/login")
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, final path after redirects, body)."""
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def login(self, email: str, password: str = PASSWORD) -> tuple[int, str, str]:
        return self.post("/login", {"email": email, "password": password, "csrf_token": self.csrf_token()})

    def on_every_worker(self, server: Server, method: str, path: str, fields: dict[str, str] | None = None) -> list[tuple[int, str]]:
        """The same request, answered once by each worker: [(status, body)] in worker order.

        No luck involved: a sync worker holds the connection it accepted until it has answered it, so
        once :data:`WORKERS` connections are all accepted (the listening socket's queue is empty), and
        before any request is sent, each worker holds exactly one.
        Reading up to the server's close means the worker has also written its access-log line.
        """
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        body = urllib.parse.urlencode(fields or {}).encode()
        head = (f"{method} {path} HTTP/1.0\r\nHost: {urllib.parse.urlsplit(self.base_url).netloc}\r\nCookie: {cookie}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n")
        connections = [socket.create_connection(server.address, timeout=10) for _ in range(WORKERS)]
        deadline = time.monotonic() + 30  # workers still starting up take them when ready
        while server.accept_queue() and time.monotonic() < deadline:
            os.sched_yield()
        assert server.accept_queue() == 0, "some worker never took its connection"
        answers = []
        for connection in connections:
            with connection:
                connection.sendall(head.encode() + body)
                raw = b"".join(iter(lambda: connection.recv(65536), b""))  # noqa: B023 - used at once
            status_line, _, rest = raw.partition(b"\r\n")
            answers.append((int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2].decode()))
        return answers

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, urllib.parse.urlsplit(response.url).path, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, urllib.parse.urlsplit(error.url).path, error.read().decode()


def wait_until_up(url: str, process: subprocess.Popen, deadline: float = 90) -> None:
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
        process.communicate(timeout=90)


def test_a_session_opened_on_one_worker_is_valid_on_every_worker(server, learner):
    browser = Browser(server.url)
    status, landed, _ = browser.login(learner.email)
    assert status == 200 and landed != "/login"
    pages = browser.on_every_worker(server, "GET", "/modules")
    assert [status for status, _ in pages] == [200] * WORKERS
    assert all("Premiers pas" in body for _, body in pages)
    assert len(server.worker_pids("/modules")) == WORKERS


def test_an_edited_module_is_served_by_every_worker_within_seconds(server, learner):
    browser = Browser(server.url)
    browser.login(learner.email)
    browser.on_every_worker(server, "GET", "/modules")  # every worker has loaded the library
    index = server.modules / MODULE_INDEX
    index.write_text(index.read_text(encoding="utf-8").replace("Premiers pas", "Premiers pas revus"), encoding="utf-8")
    edited = time.monotonic()
    # The library looks at its files at most once a second: ask every worker until all serve the edit.
    while not all("Premiers pas revus" in body for _, body in browser.on_every_worker(server, "GET", "/modules")):
        assert time.monotonic() - edited < 5, "a worker still serves the old module after 5 seconds"
    assert len(server.worker_pids("/modules")) == WORKERS


def test_failed_logins_are_counted_across_workers(server, learner):
    browser = Browser(server.url)
    token = browser.csrf_token()
    wrong = {"email": learner.email, "password": "not the password", "csrf_token": token}
    failures = browser.on_every_worker(server, "POST", "/login", wrong)  # one failure on each worker
    assert [status for status, _ in failures] == [401] * WORKERS  # the form again, with an error
    for _ in range(FREE_FAILURES - WORKERS):
        assert browser.login(learner.email, "not the password")[0] == 401
    status, _, body = browser.login(learner.email)
    assert status == 429 and "Trop de tentatives" in body
    assert len(server.worker_pids("/login")) == WORKERS
