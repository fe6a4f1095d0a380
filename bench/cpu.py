"""CPU time of the processes a load measurement involves: the server's, PostgreSQL's, the generator's.

Requests per second depend on whatever else the machine runs; CPU seconds per request do much less,
and they say where a request's cost goes. Linux only (``/proc``); elsewhere the figures are missing.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

_PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Snapshot:
    """CPU seconds used so far by the server's processes, PostgreSQL's and the load generator."""

    server: float
    database: float
    generator: float

    def per_request(self, later: Snapshot, requests: int) -> Snapshot:
        """Milliseconds of CPU per request between this snapshot and ``later``."""
        scale = 1000 / requests if requests else 0.0
        return Snapshot((later.server - self.server) * scale, (later.database - self.database) * scale,
                        (later.generator - self.generator) * scale)

    def __str__(self) -> str:
        return f"{self.server:.2f} / {self.database:.2f} / {self.generator:.2f} ms"


def snapshot(server_pid: int, database_pid: int | None) -> Snapshot:
    """CPU of the process trees under ``server_pid`` (gunicorn's master and workers) and ``database_pid``
    (the postmaster and its backends; ``None`` for SQLite, whose work is in the server's processes)."""
    tree = _process_tree()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    database = _tree_seconds(database_pid, tree) if database_pid else 0.0
    return Snapshot(_tree_seconds(server_pid, tree), database, usage.ru_utime + usage.ru_stime)


def postgres_pid(url: str) -> int:
    """The postmaster's process id of the server behind a SQLAlchemy URL (from its ``postmaster.pid``)."""
    parts = make_url(url)
    with psycopg.connect(host=parts.host, port=parts.port, user=parts.username, dbname=parts.database) as connection:
        data_directory = connection.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
    return int(Path(data_directory, "postmaster.pid").read_text().split()[0])


def _process_tree() -> dict[int, list[int]]:
    """Children of each process, from ``/proc/<pid>/stat``."""
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                children.setdefault(int(stat[1]), []).append(int(entry.name))
    return children


def _tree_seconds(root: int, children: dict[int, list[int]]) -> float:
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        stat = _stat(pid)
        if stat:
            total += (int(stat[11]) + int(stat[12])) / _TICKS  # utime, stime
        pending += children.get(pid, [])
    return total


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (field 3 onwards), or None if it has gone."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()
