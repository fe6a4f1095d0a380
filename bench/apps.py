"""The two applications the load generator compares, served by the same gunicorn stack.

``python -m bench.apps elearn|bare PORT WORKERS`` serves one of them through :func:`elearn.server.run`,
exactly as ``elearn serve`` does; the elearn one reads its configuration (a JSON object) from the
``ELEARN_BENCH_CONFIG`` environment variable, so it can turn CSRF off, which no ``ELEARN_*`` setting can.
"""

from __future__ import annotations

import json
import os
import sys

from flask import Flask

from elearn import create_app
from elearn.server import ServerOptions, run

CONFIG_VARIABLE = "ELEARN_BENCH_CONFIG"


def bare_app() -> Flask:
    """The reference: a Flask endpoint that does nothing, to measure the server stack alone."""
    app = Flask("bare")

    @app.route("/")
    def hello() -> str:
        return "bonjour"

    return app


def elearn_app() -> Flask:
    return create_app(json.loads(os.environ[CONFIG_VARIABLE]))


def main(kind: str, port: str, workers: str) -> None:
    factory = {"elearn": elearn_app, "bare": bare_app}[kind]
    run(factory, ServerOptions(port=int(port), workers=int(workers)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
