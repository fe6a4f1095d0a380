"""The capacity figure: how many learners, behaving as learners do, one machine serves.

Unlike the closed-loop scenarios of :mod:`bench.load` (each client sends its next request as soon as
the previous one is answered), a simulated learner here spends most of its time reading:

- it logs in once, through the form;
- it opens a section of a module, reads it for a time drawn around that section's reading time (the
  module's ``duree`` spread over its sections, log-normal: most read close to it, some much longer),
  and while reading sends a heartbeat every :data:`HEARTBEAT_SECONDS`, and one as it leaves the page,
  as ``activity.js`` does;
- at the end of a section it posts « Suivante », or its quiz (right answers) when the section has one,
  then opens the next section; after the last one it starts the module again.

The ramp adds learners step by step (:data:`LEVELS`, each new learner starting at a random moment of a
heartbeat period so that heartbeats do not arrive in waves), lets each level settle, then holds it and
counts every request: the capacity is the largest level held for the whole hold with a p95 latency
under :data:`P95_LIMIT_MS` and no failed request. The load generator runs on the same machine and its
CPU is counted with the server's: that is the figure a deployment on one machine gets.

Limits of the method (also in docs/performance.md): logins are spread over each level's settling time
and not counted in its latencies; passwords are hashed with cheap Argon2 parameters in the benchmark's
app only (``BENCH_CHEAP_PASSWORD_HASHING``), so ten thousand log-ins do not each cost a production hash
— the cost of one production log-in is measured apart; every learner reads the same module; no learner
leaves; the network is the loopback.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

from bench import cpu
from bench.load import Figures
from elearn.learning.tracking import HEARTBEAT_INTERVAL_SECONDS

HEARTBEAT_SECONDS = HEARTBEAT_INTERVAL_SECONDS  # activity.js's cadence
P95_LIMIT_MS = 200
#: Learners present at each step of the ramp.
LEVELS = (500, 1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000, 25000)
#: Reading time of a section: log-normal around the nominal time, with this spread (sigma).
READING_SPREAD = 0.5


@dataclass(frozen=True)
class Course:
    """What a simulated learner reads: the module's sections, their reading time and quiz forms."""

    module: str
    sections: tuple[str, ...]
    seconds_per_section: float
    quizzes: dict[str, tuple[str, dict[str, list[str]]]]  # section -> (quiz id, right answers)


@dataclass
class Window:
    """The requests of one level's hold: latencies of those answered as expected, and failures."""

    start: float
    end: float
    figures: Figures = field(default_factory=lambda: Figures(seconds=0.0))

    def record(self, sent: float, ok: bool) -> None:
        if not self.start <= sent < self.end:
            return
        if ok:
            self.figures.latencies.append(time.perf_counter() - sent)
        else:
            self.figures.errors += 1


class Simulation:
    """The learners of the ramp, their shared connection pool, and the current counting window."""

    def __init__(self, base_url: str, course: Course, emails: list[str], password: str) -> None:
        self.base_url = base_url
        self.course = course
        self.emails = emails
        self.password = password
        self.window: Window | None = None
        self.tasks: list[asyncio.Task] = []
        self.stopping = False
        self.connector = aiohttp.TCPConnector(limit=0, force_close=True)  # gunicorn's sync workers close anyway
        self.failed_logins = 0

    async def grow_to(self, count: int, spread: float) -> None:
        """Start learners until ``count`` are reading; each starts within ``spread`` seconds."""
        while len(self.tasks) < min(count, len(self.emails)):
            index = len(self.tasks)
            self.tasks.append(asyncio.create_task(self._learner(index, random.uniform(0, spread))))
            await asyncio.sleep(0)

    async def stop(self) -> None:
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.connector.close()

    async def _learner(self, index: int, delay: float) -> None:
        await asyncio.sleep(delay)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(connector=self.connector, connector_owner=False, cookie_jar=jar,
                                         timeout=aiohttp.ClientTimeout(total=60)) as client:
            login = {"email": self.emails[index], "password": self.password}
            if not await self._send(client.post(f"{self.base_url}/login", data=login, allow_redirects=False), {302}, count=False):
                self.failed_logins += 1
                return
            course, attempt = self.course, 1
            section_index = random.randrange(len(course.sections))  # learners are spread over the module
            while not self.stopping:
                section = course.sections[section_index]
                await self._send(client.get(f"{self.base_url}/modules/{course.module}/{section}", allow_redirects=False), {200})
                await self._read(client, section)
                if section in course.quizzes:
                    quiz, answers = course.quizzes[section]
                    form = [("tentative", str(attempt)), *((q, c) for q, choices in answers.items() for c in choices)]
                    url = f"{self.base_url}/modules/{course.module}/quiz/{quiz}"
                    attempt += 1 if await self._send(client.post(url, data=form, allow_redirects=False), {302}) else 0
                else:
                    url = f"{self.base_url}/modules/{course.module}/{section}/suivant"
                    await self._send(client.post(url, allow_redirects=False), {302})
                section_index = (section_index + 1) % len(course.sections)

    async def _read(self, client: aiohttp.ClientSession, section: str) -> None:
        """Read for a drawn time, sending a heartbeat at the end of every full period read and, as the
        page is left, one for the seconds read since the last (activity.js's beacon on leaving)."""
        mu = math.log(self.course.seconds_per_section) - READING_SPREAD**2 / 2  # mean = the nominal time
        remaining = random.lognormvariate(mu, READING_SPREAD)
        while remaining > 0 and not self.stopping:
            pause = min(HEARTBEAT_SECONDS, remaining)
            await asyncio.sleep(pause)
            remaining -= pause
            if pause >= 1:
                payload = {"module": self.course.module, "section": section, "seconds": round(pause)}
                await self._send(client.post(f"{self.base_url}/activite", json=payload), {200})

    async def _send(self, request: Awaitable[aiohttp.ClientResponse], expected: set[int], *, count: bool = True) -> bool:
        sent = time.perf_counter()
        try:
            async with request as response:  # type: ignore[attr-defined]
                await response.read()
                ok = response.status in expected
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        if count and self.window is not None:
            self.window.record(sent, ok)
        return ok


@dataclass(frozen=True)
class Level:
    learners: int
    figures: Figures

    @property
    def held(self) -> bool:
        return not self.figures.errors and self.figures.latencies and self.figures.percentile(0.95) < P95_LIMIT_MS


async def ramp(base_url: str, course: Course, emails: list[str], password: str, hold: float, settle: float,
               server_pid: int, database_pid: int | None, report: Callable[[str], None] = print) -> list[Level]:
    """Hold each level of :data:`LEVELS` in turn until one fails; the levels measured, in order."""
    simulation = Simulation(base_url, course, emails, password)
    levels: list[Level] = []
    try:
        for count in (level for level in LEVELS if level <= len(emails)):
            await simulation.grow_to(count, spread=settle)
            await asyncio.sleep(settle)
            now = time.perf_counter()
            simulation.window = Window(now, now + hold, Figures(seconds=hold))
            before = cpu.snapshot(server_pid, database_pid)
            await asyncio.sleep(hold)
            figures = simulation.window.figures
            figures.cpu = before.per_request(cpu.snapshot(server_pid, database_pid), len(figures.latencies) + figures.errors)
            level = Level(count, figures)
            levels.append(level)
            report(f"  {count} learners: {figures.requests_per_second:.0f} req/s, p95 {figures.percentile(0.95):.0f} ms, "
                   f"{figures.errors} errors, {simulation.failed_logins} failed log-ins -> {'held' if level.held else 'NOT held'}")
            if not level.held:
                break
    finally:
        await simulation.stop()
    return levels


def capacity(levels: list[Level]) -> int:
    """The largest level held before the first one that was not (0 when even the first failed)."""
    held = 0
    for level in levels:
        if not level.held:
            break
        held = level.learners
    return held
