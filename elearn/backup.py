"""Backups of the database while the application keeps running.

SQLite: the sqlite3 online backup API copies a consistent snapshot page by page, even while workers
write (a plain file copy of a WAL database can be torn). PostgreSQL: ``pg_dump`` in its custom format,
restored with ``pg_restore``. Backups hold personal data, so files are created readable by their owner
only. Restoring is described in docs/deploy.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup could not be made; ``message`` says why, in French, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_destination(instance_dir: Path, database_url: str, now: datetime | None = None) -> Path:
    """``<instance>/backups/elearn-<date>-<time>.<sqlite3|dump>``: sorted by name, sorted by age."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if make_url(database_url).get_backend_name() == "sqlite" else "dump"
    return instance_dir / "backups" / f"elearn-{stamp}.{suffix}"


def backup_database(database_url: str, destination: Path) -> Path:
    """Write a backup of the database at ``database_url`` to ``destination`` and return it."""
    url = make_url(database_url)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise BackupError(f"Le fichier {destination} existe déjà : choisissez un autre nom.")
    backend = url.get_backend_name()
    if backend == "sqlite":
        _backup_sqlite(Path(url.database or ""), destination)
    elif backend == "postgresql":
        _backup_postgresql(database_url, destination)
    else:
        raise BackupError(f"Sauvegarde impossible : base « {backend} » non prise en charge (SQLite ou PostgreSQL).")
    return destination


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600, so the copy is never readable by others, even briefly."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _backup_sqlite(source: Path, destination: Path) -> None:
    if not source.is_file():
        raise BackupError(f"Base SQLite introuvable : {source}")
    _private_file(destination)
    origin, copy = sqlite3.connect(source), sqlite3.connect(destination)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _backup_postgresql(database_url: str, destination: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump est introuvable : installez le client PostgreSQL de la même version que le serveur "
            "(Debian : apt-get install postgresql-client)."
        )
    url = make_url(database_url)
    # libpq reads the password from the environment: on the command line, any user could see it.
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    _private_file(destination)
    command = [pg_dump, "--format=custom", "--no-owner", f"--file={destination}", f"--dbname={conninfo}"]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)  # noqa: S603
    if result.returncode != 0:
        destination.unlink(missing_ok=True)
        raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
