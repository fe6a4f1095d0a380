"""Ralph, the learning record store, as a real HTTP server for the tests (``make ralph`` installs it).

It runs from its own virtualenv (``.venv-ralph``, or ``RALPH_BIN``) with the file-system backend: the
statements it accepts are appended to ``fs_lrs.jsonl`` in its data folder, in the order they arrived.

Ralph's file-system LRS backend (5.1.0 and the versions before it) writes with the data backend's
default operation, "create", which refuses a file that exists: the first POST of a run stores its
statements, every later one fails with HTTP 500. :data:`APPEND_PATCH` (a ``sitecustomize`` put on
Ralph's ``PYTHONPATH`` only) makes that backend append, as its own ``APPEND`` operation does; nothing
else of Ralph is changed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.pgserver import free_port

PROJECT_ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "elearn", "mot-de-passe-du-lrs"

APPEND_PATCH = """
try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend
except ImportError:
    pass
else:
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


class RalphUnavailable(RuntimeError):
    pass


def ralph_binary() -> Path:
    candidates = [os.environ.get("RALPH_BIN"), PROJECT_ROOT / ".venv-ralph" / "bin" / "ralph", shutil.which("ralph")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise RalphUnavailable("Ralph is not installed: run `make ralph`")


class Ralph:
    """One Ralph server: credentials made once, then started and stopped at will on the same port."""

    def __init__(self, folder: Path) -> None:
        self.binary = ralph_binary()
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        patch = folder / "patch"
        patch.mkdir(parents=True, exist_ok=True)
        (patch / "sitecustomize.py").write_text(APPEND_PATCH)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(patch),
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
        }
        self.process: subprocess.Popen | None = None
        self.log = folder / "ralph.log"
        subprocess.run(
            [str(self.binary), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", "-M", "mailto:lrs@exemple.fr", "-w"],
            env=self.env, check=True, capture_output=True,
        )

    @property
    def url(self) -> str:
        """The xAPI endpoint, as an administrator types it."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self, deadline: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.binary), "runserver", "-b", "fs", "--fs-default-directory-path", str(self.data),
                 "-p", str(self.port), "-h", "127.0.0.1"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        start = time.monotonic()
        while time.monotonic() - start < deadline:
            if self.process.poll() is not None:
                raise RalphUnavailable(f"Ralph exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RalphUnavailable(f"Ralph did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def arrived(self) -> list[dict]:
        """Every statement Ralph stored, in arrival order (its file-system backend appends them)."""
        path = self.data / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def fetch(self) -> list[dict]:
        """Every statement, as Ralph answers ``GET /xAPI/statements`` (all pages)."""
        found, url = [], f"http://127.0.0.1:{self.port}/xAPI/statements?limit=500"
        while url:
            request = urllib.request.Request(url, headers={"X-Experience-API-Version": "1.0.3"})
            request.add_header("Authorization", "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode())
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found

    def forget(self) -> None:
        """Empty the store between tests."""
        path = self.data / "fs_lrs.jsonl"
        if path.exists():
            path.unlink()
