"""Browser-test fixtures: Debian's chromium driven by Playwright against a live elearn server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app

CHROMIUM = "/usr/bin/chromium"
#: Flags for a sandbox-less, offline machine: without the background-networking ones, chromium keeps
#: trying to reach Google's hosts and gets refused by the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@dataclass
class LiveServer:
    app: object
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server_config() -> dict[str, object]:
    """Extra app configuration for ``live_server``; a test module overrides this fixture to change it."""
    return {}


@contextmanager
def serving(app) -> Iterator[LiveServer]:  # noqa: ANN001 - a Flask app
    """Serve ``app`` from a thread, on a free loopback port, until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(tmp_path, live_server_config) -> Iterator[LiveServer]:
    """A real HTTP server in a thread, on a free loopback port, with CSRF protection on."""
    with serving(make_test_app(tmp_path, WTF_CSRF_ENABLED=True, **live_server_config)) as server:
        yield server
