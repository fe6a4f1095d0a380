"""The two applications the load generator compares, served by the same gunicorn stack.

``python -m bench.apps elearn|bare PORT WORKERS`` serves one of them through :func:`elearn.server.run`,
exactly as ``elearn serve`` does; the elearn one reads its configuration (a JSON object) from the
``ELEARN_BENCH_CONFIG`` environment variable, so it can turn CSRF off, which no ``ELEARN_*`` setting can.

The elearn application gets two reference endpoints of its own, which answer the bare endpoint's word
through the whole elearn stack: :data:`EMPTY_PAGE` (request hooks, the learner's session cookie read
and written again, security headers) and :data:`EMPTY_LOGGED_IN_PAGE` (the same plus Flask-Login's
check of the learner in the database, as every learner page does). They tell how much of a page's
cost is the page and how much is the stack under every page.
"""

from __future__ import annotations

import json
import os
import sys

from flask import Flask
from flask_login import login_required

from argon2 import PasswordHasher

from bench.seed import CHEAP_HASH
from elearn import accounts, create_app
from elearn.server import ServerOptions, run

CONFIG_VARIABLE = "ELEARN_BENCH_CONFIG"
EMPTY_PAGE = "/bench/empty"
EMPTY_LOGGED_IN_PAGE = "/bench/empty-logged-in"
#: Configuration flag of the benchmark's app: passwords hashed with bench.seed.CHEAP_HASH.
CHEAP_PASSWORD_HASHING = "BENCH_CHEAP_PASSWORD_HASHING"


def bare_app() -> Flask:
    """The reference: a Flask endpoint that does nothing, to measure the server stack alone."""
    app = Flask("bare")

    @app.route("/")
    def hello() -> str:
        return "bonjour"

    return app


def elearn_app() -> Flask:
    config = json.loads(os.environ[CONFIG_VARIABLE])
    if config.pop(CHEAP_PASSWORD_HASHING, False):
        # The capacity ramp logs thousands of learners in; their passwords were hashed with these
        # parameters, and the app must not re-hash them with the production ones at each log-in.
        accounts._hasher = PasswordHasher(**CHEAP_HASH)  # noqa: SLF001 - benchmark app only
    app = create_app(config)

    @app.route(EMPTY_PAGE)
    def empty() -> str:
        return "bonjour"

    @app.route(EMPTY_LOGGED_IN_PAGE)
    @login_required
    def empty_logged_in() -> str:
        return "bonjour"

    return app


def main(kind: str, port: str, workers: str) -> None:
    factory = {"elearn": elearn_app, "bare": bare_app}[kind]
    run(factory, ServerOptions(port=int(port), workers=int(workers)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
