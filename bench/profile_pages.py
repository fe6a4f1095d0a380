"""In-process profile of the learner's request path: time, SQL statements and commits per request.

``make bench`` measures the pages through gunicorn and a load generator, which takes minutes and
all the machine's cores. This script is the quick loop for working on the request path: it seeds a
database as the benchmark does (bench/seed.py, on SQLite and/or a throwaway PostgreSQL server), logs
one benchmark learner in through Flask's test client, then sends the same requests as the benchmark
(section page, catalog, quiz submission) and prints, per request: wall time (mean and p95), the CPU
time of this process (the application's share; the database server's is not in it), SQL statements
and commits. ``--profile NAME`` adds a cProfile of that scenario; ``--sql NAME`` lists the
statements one request of it sends.

    .venv/bin/python -m bench.profile_pages                       # both databases, 200 requests each
    .venv/bin/python -m bench.profile_pages --database sqlite --profile section --top 30
    .venv/bin/python -m bench.profile_pages --database postgresql --sql section
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from flask_login import login_required

from bench.apps import EMPTY_LOGGED_IN_PAGE
from bench.run import MEDIA_DIR, MODULES_DIR, database
from bench.seed import PASSWORD, Target, bench_config, seed
from elearn import create_app
from elearn.db import get_engine
from elearn.models.base import utcnow

SCENARIOS = ("section", "catalog", "quiz", "heartbeat", "empty")


@dataclass
class SqlCounter:
    """Statements and commits sent by an engine, and the text of the statements while ``keep`` is set."""

    statements: int = 0
    commits: int = 0
    keep: bool = False
    texts: list[str] = field(default_factory=list)

    def attach(self, app: Flask) -> None:
        engine = get_engine(app)
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, _conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001 - SQLAlchemy event
        self.statements += 1
        if self.keep:
            self.texts.append(" ".join(statement.split()))

    def _commit(self, _conn) -> None:  # noqa: ANN001 - SQLAlchemy event
        self.commits += 1


@dataclass
class Result:
    """One scenario's figures over ``len(seconds)`` requests."""

    name: str
    seconds: list[float]
    cpu_seconds: float
    statements: float
    commits: float

    def row(self) -> str:
        mean = 1000 * statistics.fmean(self.seconds)
        p95 = 1000 * statistics.quantiles(self.seconds, n=20)[-1]
        cpu = 1000 * self.cpu_seconds / len(self.seconds)
        return f"| {self.name:<8} | {mean:7.2f} | {p95:7.2f} | {cpu:6.2f} | {self.statements:10.1f} | {self.commits:7.2f} |"


def scenarios(client: FlaskClient, target: Target) -> dict[str, Callable[[], None]]:
    """One request of each benchmark scenario; each checks the answer the load generator expects."""
    section_url = f"/modules/{target.module}/{target.section}"
    quiz_url = f"/modules/{target.module}/quiz/{target.quiz}"
    form = client.get(f"/modules/{target.module}/{target.quiz_section}?refaire={target.quiz}").get_data(as_text=True)
    attempt = [int(re.search(r'name="tentative" value="(\d+)"', form).group(1))]  # type: ignore[union-attr]

    def section() -> None:
        assert client.get(section_url).status_code == 200

    def catalog() -> None:
        assert client.get("/modules").status_code == 200

    def quiz() -> None:
        sent = client.post(quiz_url, data={"tentative": str(attempt[0]), **target.answers})
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/tentative/{attempt[0]}")
        attempt[0] += 1

    clock = [utcnow()]

    def heartbeat() -> None:
        # A clock that moves 15 s per heartbeat, so that each one credits time as a real one does.
        clock[0] += timedelta(seconds=15)
        with patch("elearn.learning.tracking.utcnow", lambda: clock[0]):
            sent = client.post("/activite", json={"module": target.module, "section": target.section, "seconds": 15})
        assert sent.status_code == 200 and sent.get_json()["credited"] == 15, sent.get_data(as_text=True)

    def empty() -> None:
        assert client.get(EMPTY_LOGGED_IN_PAGE).status_code == 200

    client.get(section_url)  # the module is opened before its first heartbeat
    return {"section": section, "catalog": catalog, "quiz": quiz, "heartbeat": heartbeat, "empty": empty}


def measure(name: str, request: Callable[[], None], counter: SqlCounter, count: int) -> Result:
    """Send ``count`` requests (after ten unmeasured ones) and average the SQL figures per request."""
    for _ in range(10):
        request()
    counter.statements = counter.commits = 0
    seconds = []
    cpu_start = time.process_time()
    for _ in range(count):
        start = time.perf_counter()
        request()
        seconds.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_start
    return Result(name, seconds, cpu, counter.statements / count, counter.commits / count)


def profile(request: Callable[[], None], count: int, top: int) -> str:
    """cProfile of ``count`` requests, sorted by cumulative then by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        request()
    profiler.disable()
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return output.getvalue()


def statements_of(request: Callable[[], None], counter: SqlCounter) -> list[str]:
    counter.texts.clear()
    counter.keep = True
    try:
        request()
    finally:
        counter.keep = False
    return list(counter.texts)


@contextmanager
def seeded_app(kind: str, clients: int) -> Iterator[tuple[Flask, Target]]:
    """An application on a seeded database of ``kind`` (the benchmark's data), and its target."""
    folder = Path(tempfile.mkdtemp(prefix="elearn-profile-"))
    with database(kind, folder) as url:
        config = bench_config(folder / "instance", url, MODULES_DIR, MEDIA_DIR)
        target = seed(config, clients)
        app = create_app(config)
        app.add_url_rule(EMPTY_LOGGED_IN_PAGE, "bench_empty_logged_in", login_required(lambda: "bonjour"))
        try:
            yield app, target
        finally:
            get_engine(app).dispose()


def run(kind: str, options: argparse.Namespace) -> None:
    started = time.perf_counter()
    with seeded_app(kind, options.clients) as (app, target):
        print(f"\n## {kind} (seeded in {time.perf_counter() - started:.0f} s), {options.requests} requests per scenario\n")
        counter = SqlCounter()
        counter.attach(app)
        client = app.test_client()
        assert client.post("/login", data={"email": target.emails[0], "password": PASSWORD}).status_code == 302
        requests = scenarios(client, target)
        # Each scenario's listings come right after its figures: quiz submissions add attempts, which
        # the other pages then read, so the order is the benchmark's (section, catalog, quiz).
        reports = []
        for name in options.scenarios:
            reports.append(measure(name, requests[name], counter, options.requests).row())
            if name in options.sql:
                statements = statements_of(requests[name], counter)
                reports.append(f"\n### SQL statements of one {name} request\n")
                reports += [f"{n}. {text[:200]}" for n, text in enumerate(statements, 1)]
            if name in options.profile:
                reports.append(f"\n### cProfile of {options.requests} {name} requests\n")
                reports.append(profile(requests[name], options.requests, options.top))
        print("| scenario | ms mean |  ms p95 | cpu ms | statements | commits |")
        print("|----------|---------|---------|--------|------------|---------|")
        print("\n".join(line for line in reports if line.startswith("| ")))
        print("\n".join(line for line in reports if not line.startswith("| ")))


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_pages", description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--profile", nargs="*", choices=SCENARIOS, default=[], help="cProfile these scenarios")
    parser.add_argument("--sql", nargs="*", choices=SCENARIOS, default=[], help="list the statements of one request")
    parser.add_argument("--top", type=int, default=25, help="functions shown per cProfile listing")
    parser.add_argument("--clients", type=int, default=2, help="benchmark learners to create (one is used)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    for kind in ("sqlite", "postgresql") if options.database == "both" else (options.database,):
        run(kind, options)


if __name__ == "__main__":
    main()
