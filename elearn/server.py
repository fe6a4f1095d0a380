"""The production server: gunicorn running one elearn application per worker process.

Workers share nothing but the database. Each builds its own application after the fork (own engine,
connection pool and module library), which is why ``run`` is handed a factory and never an app: a
connection pool opened before the fork would be shared by several processes and corrupted. What must
be the same in every worker (the secret key that signs session cookies, the certificate signing key)
is read from the environment or from files in the instance folder, created before the fork.

Beside the workers runs one companion process, the outbox's senders (xAPI statements to the learning
record store, scores to LMS gradebooks): gunicorn's arbiter starts it once it is ready and stops it when
it exits, so a server has exactly one sender however many workers it has, and requests never wait on a
remote peer.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

#: gunicorn's combined log format plus the worker's process id (``pid=``) and the duration in seconds.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" pid=%(p)s %(L)ss'


@dataclass(frozen=True)
class ServerOptions:
    """What an operator chooses on the command line."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 1
    timeout: int = 60
    access_log: str | None = None

    def gunicorn_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "timeout": self.timeout,
            "graceful_timeout": 20,
            "preload_app": False,
            # Headers set by the reverse proxy are trusted through ELEARN_PROXY_HOPS (werkzeug's
            # ProxyFix), not by gunicorn: one place decides which proxies to believe.
            "forwarded_allow_ips": "",
            # gunicorn >= 24 opens a control socket at one fixed path per user: two servers on one
            # machine (staging beside production, the tests) would fight over it, and nothing uses it.
            "control_socket_disable": True,
        }
        if self.access_log:
            settings.update(accesslog=self.access_log, access_log_format=ACCESS_LOG_FORMAT)
        return settings


class _GunicornApplication(BaseApplication):
    """gunicorn driven from Python: settings from ``ServerOptions``, the app from the factory."""

    def __init__(self, factory: Callable[[], Flask], settings: dict[str, Any]) -> None:
        self._factory = factory
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            if name in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(name, value)

    def load(self) -> Flask:
        return self._factory()


#: The outbox's senders, as ``elearn serve`` runs them beside the workers.
SENDERS_COMMAND = (sys.executable, "-m", "elearn.outbox.worker")


class Companion:
    """A process started when the server is ready and stopped (SIGTERM, then killed) when it exits."""

    def __init__(self, command: Sequence[str]) -> None:
        self._command = list(command)
        self._process: subprocess.Popen | None = None

    def start(self, _server: object = None) -> None:
        self._process = subprocess.Popen(self._command)

    def stop(self, _server: object = None) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def run(factory: Callable[[], Flask], options: ServerOptions, companion: Sequence[str] | None = SENDERS_COMMAND) -> None:
    """Serve until stopped (SIGTERM or Ctrl-C); each worker calls ``factory`` once; ``companion`` runs
    beside the workers for as long as the server does."""
    settings = options.gunicorn_settings()
    if companion:
        process = Companion(companion)
        settings.update(when_ready=process.start, on_exit=process.stop)
    _GunicornApplication(factory, settings).run()
