"""``make bench``: every figure of docs/performance.md, measured in one run on this machine.

Steps: start a throwaway PostgreSQL server (tests/pgserver.py; ``--database sqlite`` for a SQLite file),
seed it (bench/seed.py), serve a bare Flask app then elearn under the same gunicorn settings and load
them with concurrent clients (bench/load.py), run the offline measurements in fresh processes
(bench/offline.py), and print one table with each figure, its target and PASS/FAIL.

The table always prints; the exit status is 1 when a page view parsed Markdown (that is a bug), and
with ``--strict`` also when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import capacity, cpu, load
from bench.apps import CHEAP_PASSWORD_HASHING, CONFIG_VARIABLE, EMPTY_LOGGED_IN_PAGE, EMPTY_PAGE
from bench.offline import measure_in_subprocess
from bench.seed import FIRST_HEARTBEAT_ID, PASSWORD, Target, bench_config, seed, seed_capacity_learners
from elearn.config import PROJECT_ROOT
from tests import pgserver

MODULES_DIR = PROJECT_ROOT / "modules"
MEDIA_DIR = PROJECT_ROOT / "media"


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, the figure, the target and the verdict."""

    measure: str
    figure: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]


def print_table(rows: list[Row]) -> None:
    """A Markdown table, so it can be pasted into docs/performance.md as it is."""
    header = ("measure", "figure", "target", "result")
    cells = [header, *((r.measure, r.figure, r.target, r.verdict) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(4)]
    for number, line in enumerate(cells):
        print("| " + " | ".join(text.ljust(width) for text, width in zip(line, widths)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


# Servers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """A running server: where to send requests, and whose CPU to count (gunicorn's master pid)."""

    base_url: str
    pid: int


@contextmanager
def served(kind: str, config: dict[str, object], port: int, workers: int, log: Path) -> Iterator[Served]:
    """``python -m bench.apps KIND`` (gunicorn through elearn.server) until the block ends."""
    environment = {**os.environ, CONFIG_VARIABLE: json.dumps(config)}
    with log.open("a") as output:
        process = subprocess.Popen([sys.executable, "-m", "bench.apps", kind, str(port), str(workers)],  # noqa: S603
                                   env=environment, stdout=output, stderr=output, cwd=PROJECT_ROOT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base_url + ("/healthz" if kind == "elearn" else "/"), process)
        yield Served(base_url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited (code {process.returncode}); see the log in the work folder")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


# Load measurements ---------------------------------------------------------------------------------


def http_rows(options: argparse.Namespace, config: dict[str, object], target: Target, folder: Path) -> list[Row]:
    """Bare Flask, then elearn's empty endpoints, the section page, the catalog and quiz submission, at
    ``clients`` clients."""
    log = folder / "servers.log"
    url = str(config["ELEARN_DATABASE_URL"])
    database_pid = cpu.postgres_pid(url) if url.startswith("postgresql") else None
    bare = _measure_bare(options, config, database_pid, log)
    section_url = f"/modules/{target.module}/{target.section}"
    pool_emails, _module = seed_capacity_learners(config, HEARTBEAT_POOL, FIRST_HEARTBEAT_ID)
    # Cheap hashing: the heartbeat pool's thousands of log-ins (not measured) must not take minutes.
    with served("elearn", {**config, CHEAP_PASSWORD_HASHING: True}, pgserver.free_port(), options.workers, log) as server:
        base_url = server.base_url
        scenarios = {
            "empty": load.get_page(base_url + EMPTY_PAGE),
            "empty logged in": load.get_page(base_url + EMPTY_LOGGED_IN_PAGE),
            "section": load.get_page(base_url + section_url),
            "catalog": load.get_page(base_url + "/modules"),
            "quiz": load.submit_quiz(f"{base_url}/modules/{target.module}/quiz/{target.quiz}", target.answers, options.clients),
        }
        measured = asyncio.run(_measure(options, server, database_pid, target, scenarios))
        measured["heartbeat"], pool = asyncio.run(_measure_heartbeats(options, server, database_pid, pool_emails, target, section_url))
    # The machine's load drifts during the minutes elearn is measured: the reference is measured again
    # after, and the CPU ratios are taken to the mean of both.
    measured["bare after"] = _measure_bare(options, config, database_pid, log)
    return _load_rows(options.clients, bare, measured, section_url, pool)


def _measure_bare(options: argparse.Namespace, config: dict[str, object], database_pid: int | None, log: Path) -> load.Figures:
    with served("bare", config, pgserver.free_port(), options.workers, log) as server:
        bare_page = {"bare": load.get_page(server.base_url + "/")}
        return asyncio.run(_measure(options, server, database_pid, None, bare_page))["bare"]


#: Learners whose heartbeats the heartbeat scenario sends in turn: each comes back every second or more.
HEARTBEAT_POOL = 2_000


async def _measure_heartbeats(options: argparse.Namespace, server: Served, database_pid: int | None, emails: list[str],
                              target: Target, section_url: str) -> tuple[load.Figures, load.Pool]:
    """Heartbeats of many learners on the section they opened (each learner's clock credits time once
    a second at most, so one learner's heartbeats in a closed loop would mostly credit nothing)."""
    clients = await load.open_clients(options.clients, cookies=False)
    try:
        pool = await load.log_in_pool(clients, server.base_url, emails, PASSWORD, section_url)
        scenario = load.heartbeat(server.base_url + "/activite", target.module, target.section, pool, options.clients)
        figures = (await _run_measured(clients, {"heartbeat": scenario}, options, server, database_pid))["heartbeat"]
        return figures, pool
    finally:
        await load.close_clients(clients)


async def _run_measured(clients: list, scenarios: dict[str, load.Scenario], options: argparse.Namespace, server: Served,
                        database_pid: int | None) -> dict[str, load.Figures]:
    results = {}
    for name, scenario in scenarios.items():
        await load.run_scenario(clients, scenario, options.warmup, 0)
        before = cpu.snapshot(server.pid, database_pid)
        figures = await load.run_scenario(clients, scenario, options.duration, 0)
        figures.cpu = before.per_request(cpu.snapshot(server.pid, database_pid), len(figures.latencies) + figures.errors)
        results[name] = figures
    return results


async def _measure(options: argparse.Namespace, server: Served, database_pid: int | None, target: Target | None,
                   scenarios: dict[str, load.Scenario]) -> dict[str, load.Figures]:
    """Each scenario: a warm-up, then ``duration`` seconds counted, with the CPU the processes used."""
    clients = await load.open_clients(options.clients)
    try:
        if target is not None:
            await load.log_in(clients, server.base_url, target.emails, PASSWORD)
        return await _run_measured(clients, scenarios, options, server, database_pid)
    finally:
        await load.close_clients(clients)


#: Issue #24: each page's server CPU per request, at most this many times the bare endpoint's (same run).
CPU_RATIO_GOALS = {"empty logged in": 2.0, "section": 4.0, "quiz": 4.0, "catalog": 5.0, "heartbeat": 2.0}


def _load_rows(clients: int, bare: load.Figures, measured: dict[str, load.Figures], section_url: str,
               pool: load.Pool) -> list[Row]:
    def ratio(name: str) -> float:
        return measured[name].requests_per_second / bare.requests_per_second if bare.requests_per_second else 0.0

    rows = [*_figure_rows("bare Flask endpoint", bare, clients)]
    # The same word through elearn's stack, without then with the learner's check in the database: what
    # every page pays before doing anything of its own (no target: references for the section page).
    for name, label in (("empty", f"elearn, empty page {EMPTY_PAGE}"),
                        ("empty logged in", f"elearn, empty page, learner checked {EMPTY_LOGGED_IN_PAGE}")):
        rows += _figure_rows(label, measured[name], clients, target=False)
        rows.append(Row(f"{label} / bare Flask throughput", f"{ratio(name):.2f}"))
    rows += _figure_rows(f"section page {section_url}", measured["section"], clients)
    rows.append(Row("section / bare Flask throughput", f"{ratio('section'):.2f}"))
    rows += _figure_rows("quiz submission (POST)", measured["quiz"], clients)
    rows += _figure_rows("catalog /modules", measured["catalog"], clients)
    sent = pool.credited + pool.not_credited
    rows += _figure_rows(f"heartbeat POST /activite ({len(pool.cookies):,} learners in turn)", measured["heartbeat"], clients)
    rows.append(Row("heartbeats that credited time (the path of a real heartbeat)",
                    f"{100 * pool.credited / sent:.0f} %" if sent else "none", "≥ 95 %", sent > 0 and pool.credited >= 0.95 * sent))
    return rows + cpu_ratio_rows(bare, measured)


def cpu_ratio_rows(bare: load.Figures, measured: dict[str, load.Figures]) -> list[Row]:
    """Each page's server CPU per request as a multiple of the bare endpoint's (the mean of its
    measurements before and after elearn's), against its goal."""
    after = measured["bare after"].cpu
    if not bare.cpu or not bare.cpu.server or not after:
        return [Row("CPU ratios to the bare endpoint", "no CPU figures (not Linux?)")]
    reference = (bare.cpu.server + after.server) / 2
    rows = [Row("bare endpoint's server CPU per request, before / after elearn's scenarios",
                f"{bare.cpu.server:.2f} / {after.server:.2f} ms (mean {reference:.2f} ms)")]
    for name, goal in CPU_RATIO_GOALS.items():
        figures = measured[name].cpu
        if figures is None:
            continue
        times = figures.server / reference
        rows.append(Row(f"server CPU per request, {name} / bare endpoint ({figures.server:.2f} / {reference:.2f} ms)",
                        f"{times:.1f}×", f"≤ {goal:g}×", times <= goal))
    return rows


def _figure_rows(name: str, figures: load.Figures, clients: int, *, target: bool = True) -> list[Row]:
    p95 = figures.percentile(0.95)
    latency = f"{figures.percentile(0.5):.1f} / {p95:.1f} ms"
    return [
        Row(f"{name}: requests/s", f"{figures.requests_per_second:.0f}", "", None if not figures.errors else False),
        Row(f"{name}: p50 / p95 latency", latency, f"p95 < 50 ms at {clients} clients", p95 < 50) if target
        else Row(f"{name}: p50 / p95 latency", latency),
        *([Row(f"{name}: CPU per request (server / PostgreSQL / load generator)", str(figures.cpu))] if figures.cpu else []),
        *([Row(f"{name}: errors", str(figures.errors), "0", False)] if figures.errors else []),
    ]


# Capacity -------------------------------------------------------------------------------------------

CAPACITY_GOAL = 10_000  # issue #24: concurrently active learners on 2 cores with PostgreSQL


def capacity_rows(options: argparse.Namespace, config: dict[str, object], folder: Path) -> list[Row]:
    """Simulated learners (bench/capacity.py), ramped until p95 passes 200 ms or a request fails."""
    top = max(level for level in capacity.LEVELS if level <= options.capacity_max)
    emails, module = seed_capacity_learners(config, top)
    url = str(config["ELEARN_DATABASE_URL"])
    database_pid = cpu.postgres_pid(url) if url.startswith("postgresql") else None
    with served("elearn", {**config, CHEAP_PASSWORD_HASHING: True}, pgserver.free_port(), options.workers, folder / "servers.log") as server:
        course = _course(config, module)
        print(f"capacity ramp: {module}, {len(course.sections)} sections of about {course.seconds_per_section:.0f} s, "
              f"hold {options.capacity_hold:.0f} s per level", flush=True)
        levels = asyncio.run(capacity.ramp(server.base_url, course, emails, PASSWORD, options.capacity_hold,
                                           options.capacity_settle, server.pid, database_pid))
    rows = [
        Row(f"capacity ramp, {level.learners} learners: req/s, p95, errors, CPU per request (server / PostgreSQL / generator)",
            f"{level.figures.requests_per_second:.0f} req/s, p95 {level.figures.percentile(0.95):.0f} ms, {level.figures.errors} errors, "
            f"{level.figures.cpu}", f"p95 < {capacity.P95_LIMIT_MS} ms, 0 errors", bool(level.held))
        for level in levels
    ]
    held = capacity.capacity(levels)
    ceiling = "" if levels and not levels[-1].held else f" (the ramp stopped at {top}: not the limit)"
    rows.append(Row(f"capacity: concurrently active learners held {options.capacity_hold:.0f} s{ceiling}", f"{held:,}",
                    f"≥ {CAPACITY_GOAL:,}", held >= CAPACITY_GOAL))
    return rows


def _course(config: dict[str, object], slug: str) -> capacity.Course:
    """The module the simulated learners read, from the library as the app loads it."""
    from elearn import create_app
    from elearn.db import get_engine
    from elearn.web.modules import get_library

    app = create_app(config)
    with app.app_context():
        module = get_library().get(slug)
    get_engine(app).dispose()
    quizzes = {section.id: (section.quizzes[0].id, {q.id: sorted(q.correct_ids) for q in section.quizzes[0].questions})
               for section in module.sections if section.quizzes}
    sections = tuple(section.id for section in module.sections)
    return capacity.Course(module.slug, sections, module.duration_minutes * 60 / len(sections), quizzes)


# Offline measurements -------------------------------------------------------------------------------


def offline_rows(config: dict[str, object], target: Target) -> tuple[list[Row], bool]:
    """PDF, exports, catalog start-up and the parse check; the flag says whether pages parsed Markdown."""
    rows: list[Row] = []
    pdf = measure_in_subprocess("certificate_pdf")
    rows.append(Row("certificate PDF, cold (a worker's first: WeasyPrint loading included)", f"{pdf['cold'] * 1000:.0f} ms"))
    rows.append(Row("certificate PDF, warm", f"{pdf['warm'] * 1000:.0f} ms"))
    for fmt, label in (("csv", "CSV"), ("xapi", "xAPI")):
        figures = measure_in_subprocess("export", config=config, fmt=fmt)
        records = f"{figures['lines'] - 1:,} lines" if fmt == "csv" else f"{figures['bytes'] / 2**20:.0f} MiB"
        rows.append(Row(f"export 100,000 completion records, {label}: time ({records})", f"{figures['seconds']:.2f} s", "< 5 s",
                        figures["seconds"] < 5))
        rows.append(Row(f"export {label}: peak memory of the process (before the export: {figures['baseline_mb']:.0f} MB)",
                        f"{figures['peak_mb']:.0f} MB", "< 150 MB", figures["peak_mb"] < 150))
    catalog = measure_in_subprocess("catalog_startup", modules=50, sections=10)
    loaded = f"{catalog['modules']} modules, {catalog['sections']} sections"
    rows.append(Row(f"catalog start-up ({loaded})", f"{catalog['seconds']:.2f} s", "", None if not catalog["errors"] else False))
    parses = measure_in_subprocess("parse_calls", config=config, email=target.emails[0], password=PASSWORD,
                                   module=target.module, section=target.section, quiz_section=target.quiz_section,
                                   quiz=target.quiz, answers=target.answers)
    later = parses["later_views"]
    clean = later["render"] == 0 and later["parse"] == 0
    rows.append(Row("Markdown renders / module parses in 120 page views and 20 quiz submissions after the first round",
                    f"{later['render']} / {later['parse']} (first round: {parses['first_view']['render']} / "
                    f"{parses['first_view']['parse']})", "0 / 0", clean))
    return rows, clean


PACKAGE_SECONDS = 10  # issue #20: the whole path packaged in under 10 s


def package_rows() -> list[Row]:
    """``elearn package --path`` in each format (no server nor database needed: runnable on its own)."""
    figures = measure_in_subprocess("package_path", formats=["scorm12", "scorm2004", "html"])
    return [
        Row(f"elearn package --path --format {fmt} (shipped modules, {f['bytes'] / 1024:.0f} KiB)", f"{f['seconds']:.2f} s",
            f"< {PACKAGE_SECONDS} s", f["seconds"] < PACKAGE_SECONDS)
        for fmt, f in figures.items()
    ]


def outbox_rows(database_url: str | None = None) -> list[Row]:
    """The xAPI outbox's share of a quiz submission's server CPU."""
    figures = measure_in_subprocess("outbox_cost", database_url=database_url)
    return [Row(
        f"xAPI outbox: server CPU of a quiz submission ({figures['without_ms']:.2f} ms without, "
        f"{figures['with_ms']:.2f} ms with)",
        f"+{figures['overhead_percent']:.1f} %", "< 10 %", figures["overhead_percent"] < 10,
    )]


# Main -----------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds not counted before each scenario")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", choices=("pages", "packages", "capacity", "evidence", "outbox"),
                        help="run only this part: pages (throughput, latency and CPU per request of each page, with the CPU ratios), packages (no server, no database), the capacity ramp, evidence (a 1,000-learner pack), or outbox (the xAPI outbox's share of a quiz submission's CPU)")
    parser.add_argument("--capacity-hold", type=float, default=60.0, help="seconds each level of the capacity ramp is held")
    parser.add_argument("--capacity-settle", type=float, default=float(capacity.HEARTBEAT_SECONDS),
                        help="seconds over which a level's new learners start, before the hold (a heartbeat period: no waves)")
    parser.add_argument("--capacity-max", type=int, default=max(capacity.LEVELS), help="learners at most in the ramp")
    return parser.parse_args(argv)


def evidence_rows(kind: str, folder: Path) -> list[Row]:
    """The evidence pack of a 1,000-learner group (bench/evidence.py), on its own database."""
    from bench import evidence

    with database(kind, folder) as url:
        config = bench_config(folder / "instance-evidence", url, MODULES_DIR, MEDIA_DIR)
        started = time.perf_counter()
        evidence.seed_group(config)
        print(f"evidence: seeded {evidence.LEARNERS} learners in {time.perf_counter() - started:.0f} s", flush=True)
        result = measure_in_subprocess("evidence_pack", config=config, output=str(folder / "pack.zip"))
    return [
        Row(f"evidence pack, {result['learners']} learners ({result['bytes'] / 2**20:.0f} MB ZIP): time",
            f"{result['seconds']:.1f} s", f"< {evidence.SECONDS_TARGET:.0f} s", result["seconds"] < evidence.SECONDS_TARGET),
        Row("evidence pack: peak memory of the process", f"{result['peak_mb']:.0f} MB",
            f"< {evidence.PEAK_MB_TARGET:.0f} MB", result["peak_mb"] < evidence.PEAK_MB_TARGET),
    ]


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database for the run: a SQLite file, or one on a throwaway PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    server = pgserver.start()
    try:
        yield server.url(server.create_database("bench"))
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if options.only == "outbox":
        rows = outbox_rows()
        print_table(rows)
        return 1 if options.strict and any(row.passed is False for row in rows) else 0
    if options.only == "packages":
        rows = package_rows()
        print_table(rows)
        return 1 if options.strict and any(row.passed is False for row in rows) else 0
    folder = Path(tempfile.mkdtemp(prefix="elearn-bench-"))
    os.environ["TMPDIR"] = str(folder)  # the measuring processes' temporary files go there too
    if options.only == "evidence":
        rows = evidence_rows(options.database, folder)
        print_table(rows)
        shutil.rmtree(folder)
        return 1 if options.strict and any(row.passed is False for row in rows) else 0
    print(f"elearn bench: {os.cpu_count()} cores, {options.workers} gunicorn workers, {options.clients} clients, "
          f"{options.database}, work folder {folder}", flush=True)
    with database(options.database, folder) as url:
        config = bench_config(folder / "instance", url, MODULES_DIR, MEDIA_DIR)
        if options.only == "capacity":
            rows = capacity_rows(options, config, folder)
            print_table(rows)
            return 1 if options.strict and any(row.passed is False for row in rows) else 0
        started = time.perf_counter()
        target = seed(config, options.clients)
        print(f"seeded in {time.perf_counter() - started:.0f} s; measuring...", flush=True)
        rows = http_rows(options, config, target, folder)
        if options.only == "pages":
            print_table(rows)
            return 1 if options.strict and any(row.passed is False for row in rows) else 0
        rows += capacity_rows(options, config, folder)
        more, clean = offline_rows(config, target)
        more += outbox_rows(url)
    rows += more + package_rows()
    rows += evidence_rows(options.database, folder)
    print_table(rows)
    shutil.rmtree(folder)  # kept, with the servers' log, only when the run failed
    if not clean:
        print("FAIL: a page view parsed Markdown again; pages must come from the library's cache.")
        return 1
    return 1 if options.strict and any(row.passed is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
