"""Two app nodes, one PostgreSQL: a learner whose requests alternate between them sees one platform.

Each node is a separate ``elearn serve`` process with its own instance folder and its own copy of the
modules, as on two machines; they share only the database, ``ELEARN_SECRET_KEY`` and the certificates'
signing key (docs/deploy.md says how). A round-robin TCP proxy in front hands each new connection to
the next node, so consecutive requests of one browser land on different nodes.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import re
import select
import shutil
import socket
import socketserver
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import func, select as sql_select

from elearn.certificates import signing
from elearn.db import get_engine, session_scope
from elearn.models import ActiveTime, Certificate, QuizAttempt
from elearn.security.ratelimit import FREE_FAILURES
from tests.certificates.support import BASE_URL, MEDIA, MODULES, certificate_app, complete_path
from tests.conftest import add_user, open_module
from tests.pgserver import free_port
from tests.production.test_serve import ELEARN, Browser, wait_until_up

SHARED_SECRET = "cle-de-session-commune-aux-deux-noeuds-0123456789abcdef"


class RoundRobinProxy(socketserver.ThreadingTCPServer):
    """Hands each new TCP connection to the next node in turn (what a load balancer does)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self.turn = itertools.count()
        self.served: Counter[int] = Counter()
        super().__init__(("127.0.0.1", 0), _Pipe)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Pipe(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        proxy: RoundRobinProxy = self.server  # type: ignore[assignment]
        node = next(proxy.turn) % len(proxy.backends)
        proxy.served[node] += 1
        with socket.create_connection(proxy.backends[node], timeout=30) as upstream:
            ends = {self.request: upstream, upstream: self.request}
            while True:
                readable, _, _ = select.select(list(ends), [], [], 30)
                if not readable:
                    return
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    ends[end].sendall(data)


@dataclass
class Cluster:
    proxy: RoundRobinProxy
    app: object  # a Flask app on the same database, for setting up and reading data
    modules: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.proxy.url


def start_node(instance: Path, modules: Path, database_url: str, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    environment = {
        **os.environ,
        "ELEARN_DATABASE_URL": database_url, "ELEARN_INSTANCE_DIR": str(instance), "ELEARN_SECRET_KEY": SHARED_SECRET,
        "ELEARN_MODULES_DIR": str(modules), "ELEARN_MEDIA_DIR": str(MEDIA), "ELEARN_BASE_URL": BASE_URL,
    }
    command = [str(ELEARN), "serve", "--workers", "1", "--port", str(port), "--access-log", str(log)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    wait_until_up(f"http://127.0.0.1:{port}", process)
    return process, port


@pytest.fixture(scope="module")
def cluster(postgres_server, tmp_path_factory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("two-nodes")
    name = postgres_server.create_database(template="elearn_template")
    database_url = postgres_server.url(name)
    app = certificate_app(folder, ELEARN_DATABASE_URL=database_url, SECRET_KEY=SHARED_SECRET)
    key = signing.load_or_create_private_key(folder / "shared-keys")  # one key, copied to every node
    processes, ports, modules = [], [], []
    try:
        for node in ("a", "b"):
            instance = folder / f"node-{node}" / "instance"
            instance.mkdir(parents=True)
            shutil.copy2(folder / "shared-keys" / signing.KEY_FILE, instance / signing.KEY_FILE)
            modules.append(shutil.copytree(MODULES, folder / f"node-{node}" / "modules"))
            process, port = start_node(instance, modules[-1], database_url, folder / f"node-{node}" / "access.log")
            processes.append(process)
            ports.append(port)
        proxy = RoundRobinProxy([("127.0.0.1", port) for port in ports])
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        assert key is not None
        yield Cluster(proxy, app, modules)
        proxy.shutdown()
        proxy.server_close()
    finally:
        for process in processes:
            process.terminate()
            process.communicate(timeout=30)
        get_engine(app).dispose()
        postgres_server.drop_database(name)


class Learner(Browser):
    """A browser that also sends activity.js's JSON heartbeats."""

    def post_json(self, path: str, payload: dict, token: str) -> tuple[int, str, str]:
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        return self._open(request)


def jar(browser: Browser) -> http.cookiejar.CookieJar:
    return next(handler.cookiejar for handler in browser.opener.handlers if isinstance(handler, urllib.request.HTTPCookieProcessor))


def csrf(page: str) -> str:
    return re.search(r'(?:name="csrf_token"[^>]*value|data-csrf)="([^"]+)"', page).group(1)


def count(app, model, **where) -> int:  # noqa: ANN001
    with app.app_context(), session_scope() as session:
        query = sql_select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.exec(query).one()


def test_log_in_and_out_across_nodes(cluster):
    user = add_user(cluster.app, "alterne@exemple.fr")
    browser = Browser(cluster.url)
    before = dict(cluster.proxy.served)
    status, landed, _ = browser.login(user.email)
    assert status == 200 and landed != "/login"
    pages = [browser.get("/modules") for _ in range(4)]
    assert {(status, landed) for status, landed, _ in pages} == {(200, "/modules")}
    assert all(cluster.proxy.served[node] > before.get(node, 0) for node in (0, 1)), "both nodes served the journey"
    saved = list(jar(browser))  # the cookies as they were before log-out, as an attacker would keep them
    _, _, page = browser.get("/progression")
    status, landed, _ = browser.post("/logout", {"csrf_token": csrf(page)})
    assert landed == "/login"
    assert [browser.get("/progression")[1] for _ in range(2)] == ["/login", "/login"]  # on both nodes
    replay = Browser(cluster.url)
    for cookie in saved:
        jar(replay).set_cookie(cookie)
    assert [replay.get("/progression")[1] for _ in range(2)] == ["/login", "/login"]  # ended on both nodes


def test_progress_and_active_time_are_one_record_across_nodes(cluster):
    user = add_user(cluster.app, "temps@exemple.fr")
    open_module(cluster.app, user.id, "reperer")  # an hour ago: the first heartbeat may credit its 15 s
    browser = Learner(cluster.url)
    browser.login(user.email)
    opened = time.monotonic()
    _, _, page = browser.get("/modules/reperer/")
    _, _, section = browser.get("/modules/reperer/les-situations")
    token = csrf(section)
    credited = []
    for _ in range(6):
        status, _, body = browser.post_json("/activite", {"module": "reperer", "section": "les-situations", "seconds": 15}, token)
        assert status == 200, body
        credited.append(body)
    elapsed = time.monotonic() - opened
    with cluster.app.app_context(), session_scope() as session:
        rows = session.exec(sql_select(ActiveTime).where(ActiveTime.user_id == user.id)).all()
    total = sum(row.seconds for row in rows)
    # One clock in the database: the first heartbeat credits 15 s, the next ones no more than the real
    # time since the one before. Nodes keeping a clock of their own would each credit a first 15 s.
    assert 15 <= total <= 15 + elapsed + 1
    assert len(rows) == 1


def test_failed_logins_are_counted_across_nodes(cluster):
    user = add_user(cluster.app, "verrou@exemple.fr")
    browser = Browser(cluster.url)
    for _ in range(FREE_FAILURES):
        status, _, _ = browser.login(user.email, "pas le mot de passe")
        assert status == 401
    status, _, body = browser.login(user.email)
    assert status == 429 and "Trop de tentatives" in body


def test_the_same_quiz_attempt_sent_to_both_nodes_is_stored_once(cluster):
    user = add_user(cluster.app, "quiz@exemple.fr")
    browser = Browser(cluster.url)
    browser.login(user.email)
    _, _, page = browser.get("/modules/reperer/les-situations")
    form = re.search(r'<form[^>]*action="(/modules/reperer/quiz/[^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form, "the section holds a quiz"
    fields = {"csrf_token": csrf(form.group(2)), "tentative": re.search(r'name="tentative" value="(\d+)"', form.group(2)).group(1)}
    for name, value in re.findall(r'name="(q[^"]*)" value="([^"]+)"', form.group(2)):
        fields.setdefault(name, value)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: browser.post(form.group(1), fields), range(4)))
    assert {status for status, _, _ in answers} == {200}
    assert count(cluster.app, QuizAttempt, user_id=user.id) == 1


def test_the_certificate_is_issued_once_whatever_node_answers(cluster):
    user = add_user(cluster.app, "attestation@exemple.fr", full_name="Awa Diallo")
    complete_path(cluster.app, user.id)
    browser = Browser(cluster.url)
    browser.login(user.email)
    _, _, page = browser.get("/attestation")
    token = csrf(page)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: browser.post("/attestation", {"csrf_token": token}), range(4)))
    assert all(status == 200 for status, _, _ in answers)
    assert count(cluster.app, Certificate, user_id=user.id) == 1


def test_a_module_change_deployed_to_both_nodes_is_served_by_both(cluster):
    user = add_user(cluster.app, "module@exemple.fr")
    browser = Browser(cluster.url)
    browser.login(user.email)
    for modules in cluster.modules:  # a deployment updates every node's copy
        target = modules / "01-reperer.md"
        text = target.read_text(encoding="utf-8")
        title = re.search(r"^titre: (.*)$", text, re.M).group(0)
        target.write_text(text.replace(title, "titre: Repérer, édition revue"), encoding="utf-8")
    # Each node looks at its files at most once a second: ask both until they answer (10 s at most).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pages = [browser.get("/modules")[2] for _ in range(2)]
        if all("édition revue" in page for page in pages):
            break
    assert all("édition revue" in page for page in pages)
