"""The load generator: N concurrent clients (one logged-in learner each), requests/s and latencies.

Each client is an asyncio task with its own cookie jar that sends its next request as soon as the
previous one is answered (a closed loop, like ``wrk``): at 50 clients, 50 requests are always in
flight. Requests started during the warm-up are not counted; a response other than the expected
status counts as an error.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

from bench.cpu import Snapshot
from elearn.learning.tracking import HEARTBEAT_INTERVAL_SECONDS

#: A scenario sends one request for client ``index`` and says whether the expected answer came back.
Scenario = Callable[[aiohttp.ClientSession, int], Awaitable[bool]]


@dataclass
class Figures:
    """One scenario's results."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    #: CPU per request of the processes involved, when the caller measured it (bench/cpu.py).
    cpu: Snapshot | None = None

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Latency in milliseconds below which ``share`` of the requests were answered."""
        if len(self.latencies) < 2:
            return float("nan")
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[round(share * 100) - 1]


async def open_clients(count: int, *, cookies: bool = True) -> list[aiohttp.ClientSession]:
    """Client sessions whose cookie jars accept cookies from 127.0.0.1 (``unsafe``: an IP address);
    ``cookies=False``: no jar, for scenarios that send each request as a learner of a :class:`Pool`."""
    timeout = aiohttp.ClientTimeout(total=60)
    return [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True) if cookies else aiohttp.DummyCookieJar(),
                                  timeout=timeout) for _ in range(count)]


async def close_clients(clients: list[aiohttp.ClientSession]) -> None:
    await asyncio.gather(*(client.close() for client in clients))


async def log_in(clients: list[aiohttp.ClientSession], base_url: str, emails: tuple[str, ...], password: str) -> None:
    """Log every client in as its own learner (sequentially: password hashing is meant to be slow)."""
    for client, email in zip(clients, emails, strict=True):
        async with client.post(f"{base_url}/login", data={"email": email, "password": password}, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"log-in of {email} answered {response.status}")


async def run_scenario(clients: list[aiohttp.ClientSession], scenario: Scenario, duration: float, warmup: float) -> Figures:
    """Every client runs ``scenario`` in a loop for ``warmup + duration`` seconds."""
    start = time.perf_counter()
    counted_from, end = start + warmup, start + warmup + duration
    figures = Figures(seconds=duration)

    async def client_loop(client: aiohttp.ClientSession, index: int) -> None:
        while (sent := time.perf_counter()) < end:
            try:
                ok = await scenario(client, index)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                ok = False
            if sent < counted_from:
                continue
            if ok:
                figures.latencies.append(time.perf_counter() - sent)
            else:
                figures.errors += 1

    await asyncio.gather(*(client_loop(client, index) for index, client in enumerate(clients)))
    return figures


def get_page(url: str) -> Scenario:
    """GET ``url``; 200 expected, without following redirects (a redirect to log-in is an error)."""

    async def scenario(client: aiohttp.ClientSession, _index: int) -> bool:
        async with client.get(url, allow_redirects=False) as response:
            await response.read()
            return response.status == 200

    return scenario


def submit_quiz(url: str, answers: dict[str, list[str]], clients: int) -> Scenario:
    """POST a new attempt for each client's learner (numbers 1, 2, 3 ...); a redirect to the result
    page of that attempt is expected."""
    next_number = [1] * clients

    async def scenario(client: aiohttp.ClientSession, index: int) -> bool:
        number = next_number[index]
        form = [("tentative", str(number)), *((question, choice) for question, choices in answers.items() for choice in choices)]
        async with client.post(url, data=form, allow_redirects=False) as response:
            await response.read()
            created = response.status == 302 and response.headers.get("Location", "").endswith(f"/tentative/{number}")
        if created:
            next_number[index] += 1
        return created

    return scenario


@dataclass
class Pool:
    """Logged-in learners' cookies, for scenarios whose requests must come from many learners."""

    cookies: list[str]
    #: Heartbeats answered with some seconds credited (the path a real heartbeat takes), and with none.
    credited: int = 0
    not_credited: int = 0


async def log_in_pool(clients: list[aiohttp.ClientSession], base_url: str, emails: list[str], password: str,
                      opened: str) -> Pool:
    """Log every learner in (each client takes its share) and open ``opened`` as them, as a reader
    does before its first heartbeat; their session cookies, in the order of ``emails``."""
    cookies: list[str] = [""] * len(emails)

    async def share(index: int) -> None:
        for number in range(index, len(emails), len(clients)):
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as learner:
                form = {"email": emails[number], "password": password}
                async with learner.post(f"{base_url}/login", data=form, allow_redirects=False) as response:
                    if response.status != 302:
                        raise RuntimeError(f"log-in of {emails[number]} answered {response.status}")
                async with learner.get(base_url + opened, allow_redirects=False) as response:
                    if response.status != 200:
                        raise RuntimeError(f"{opened} answered {response.status} to {emails[number]}")
                cookies[number] = "; ".join(f"{morsel.key}={morsel.value}" for morsel in learner.cookie_jar)

    await asyncio.gather(*(share(index) for index in range(len(clients))))
    return Pool(cookies)


def heartbeat(url: str, module: str, section: str, pool: Pool, clients: int) -> Scenario:
    """POST a one-minute heartbeat (activity.js's cadence) as the next learner of the client's share of ``pool``.

    Each learner's clock credits at most the time since its previous heartbeat, so the pool must be
    large enough for every learner to be back after a second or more: the pool counts how many
    heartbeats credited time, which the table shows (a heartbeat crediting nothing is cheaper)."""
    shares = [pool.cookies[index::clients] for index in range(clients)]
    turn = [0] * clients
    payload = {"module": module, "section": section, "seconds": HEARTBEAT_INTERVAL_SECONDS}

    async def scenario(client: aiohttp.ClientSession, index: int) -> bool:
        share = shares[index]
        cookie = share[turn[index] % len(share)]
        turn[index] += 1
        async with client.post(url, json=payload, headers={"Cookie": cookie}, allow_redirects=False) as response:
            body = await response.json() if response.status == 200 else None
        if body is None:
            return False
        if body.get("credited"):
            pool.credited += 1
        else:
            pool.not_credited += 1
        return True

    return scenario
