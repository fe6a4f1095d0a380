"""A throwaway PostgreSQL server for the test suite and the benchmark.

It runs Debian's own binaries (``/usr/lib/postgresql/<version>/bin``, from the ``postgresql`` package
that ``make test`` installs when missing) on a data directory in a temporary folder, listens on
127.0.0.1 only (plus a unix socket inside that folder), trusts local connections, skips fsync because
the data is thrown away, and is stopped and deleted at the end. ``initdb`` refuses to run as root, so
under root the server runs as the ``postgres`` system user the Debian package creates.

Each test gets its own database, copied from a template that already holds the migrated schema:
``CREATE DATABASE ... TEMPLATE`` costs a few milliseconds, running the migrations again would not.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
START_TIMEOUT_SECONDS = 30
#: Durability is pointless for data deleted at the end of the run; without it, databases are
#: created from the template and commits return much faster.
SERVER_OPTIONS = ("-F", "-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "max_connections=300")


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here (package missing, no ``postgres`` user, start failure)."""


def find_bin_dir(root: Path = DEBIAN_ROOT) -> Path:
    """The ``bin`` folder of the newest PostgreSQL version the Debian package installed."""
    versions = [path.parent for path in root.glob("*/bin/initdb") if re.fullmatch(r"\d+(\.\d+)?", path.parent.parent.name)]
    if not versions:
        raise PostgresUnavailable(f"no PostgreSQL binaries under {root}/<version>/bin (apt-get install postgresql)")
    return max(versions, key=lambda path: float(path.parent.name))


def free_port() -> int:
    """A TCP port nobody listens on right now on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    """A running throwaway server; ``url(name)`` gives SQLAlchemy URLs for its databases."""

    bin_dir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        """The ``ELEARN_DATABASE_URL`` of one database on this server."""
        return f"postgresql+psycopg://{SYSTEM_USER}@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={SYSTEM_USER} dbname={database}"

    def execute(self, statement: sql.Composable) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE require it)."""
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(statement)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """Create a database (a copy of ``template`` when given) and return its name."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        self.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database; one still in use is left for ``stop()`` to delete with the whole server.

        Connections a test left open are not killed: their owner would later fail while rolling back,
        and a failure inside a garbage-collection finaliser can break an unrelated test. Nor are they
        waited for: ``DROP DATABASE`` would wait 5 seconds for them to go before failing, so a database
        with connections is left alone at once.
        """
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            in_use = connection.execute("SELECT 1 FROM pg_stat_activity WHERE datname = %s LIMIT 1", (name,)).fetchone()
            if in_use:
                return
            try:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            except psycopg.errors.ObjectInUse:
                pass

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return _run_as(self.run_as, [str(self.bin_dir / program), *args], check=check)


def _run_as(user: str | None, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a server program, as ``user`` when given (the server refuses to run as root)."""
    identity = {"user": user, "group": pwd.getpwnam(user).pw_gid} if user else {}
    return subprocess.run(command, capture_output=True, text=True, check=check, cwd="/", **identity)  # noqa: S603


def _server_user() -> str | None:
    """None when not root; otherwise the ``postgres`` system user, which must exist."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError as exc:
        raise PostgresUnavailable(f"running as root and no '{SYSTEM_USER}' system user to run the server") from exc
    return SYSTEM_USER


def start(parent: Path | None = None) -> PostgresServer:
    """Initialise a cluster in a new temporary folder and start it on a free loopback port."""
    bin_dir = find_bin_dir()
    run_as = _server_user()
    root = Path(tempfile.mkdtemp(prefix="elearn-pg-", dir=parent))
    if run_as:
        account = pwd.getpwnam(run_as)
        os.chown(root, account.pw_uid, account.pw_gid)
    server = PostgresServer(bin_dir, root, free_port(), run_as)
    try:
        server._run("initdb", "-D", str(server.data_dir), "-U", SYSTEM_USER, "--auth=trust", "--encoding=UTF8",
                    "--locale=C", "--no-sync")
        _start_server(server)
    except (OSError, subprocess.CalledProcessError) as exc:
        log = server.root / "server.log"
        detail = getattr(exc, "stderr", "") or (log.read_text(errors="replace") if log.exists() else "")
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"PostgreSQL did not start: {exc}\n{detail}") from exc
    return server


def _start_server(server: PostgresServer) -> None:
    options = " ".join(("-h", "127.0.0.1", "-p", str(server.port), "-k", str(server.root), *SERVER_OPTIONS))
    server._run("pg_ctl", "-D", str(server.data_dir), "-l", str(server.root / "server.log"), "-o", options,
                "-t", str(START_TIMEOUT_SECONDS), "-w", "start")


#: Put on a test module (``pytestmark = ONLY_POSTGRESQL``) whose tests concern PostgreSQL alone: the
#: ``database_url`` fixture (tests/conftest.py) then gives them the PostgreSQL database only.
ONLY_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
