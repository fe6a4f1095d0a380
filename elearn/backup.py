"""Backups of the database, and of the keys that go with it, while the application keeps running.

SQLite: the sqlite3 online backup API copies a consistent snapshot page by page, even while workers
write (a plain file copy of a WAL database can be torn). PostgreSQL: ``pg_dump`` in its custom format,
restored with ``pg_restore``.

``elearn backup`` writes one archive (:func:`write_backup_archive`): the database copy, the instance
folder's keys and a manifest with the SHA-256 of each. The keys travel with the data because a
database is useless without them: without ``secret_key`` every session ends, and without the signing
key the certificates stored in the database no longer verify against "this organisation's key". A
backup already holds everyone's personal data and must be protected as such; holding the keys too adds
the power to sign certificates, which is why archives are created readable by their owner only, and
why ``--without-keys`` exists for operators who keep keys in a separate vault. ``elearn restore``
(:mod:`elearn.restore`) reads these archives, and the plain database copies that older versions wrote.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from elearn import __version__

#: Name of the manifest inside an archive; the database and keys sit beside it.
MANIFEST = "elearn-backup.json"
ARCHIVE_FORMAT = 1
#: Keys of the instance folder that a restored database needs: the session secret, the certificates'
#: signing key, and any certificate or key file beside them (``*.pem``, ``*.crt``: the signing key's
#: X.509 certificate, an organisation-supplied key).
KEY_NAMES = ("secret_key",)
KEY_SUFFIXES = (".pem", ".crt", ".key", ".p12")


class BackupError(Exception):
    """A backup could not be made; ``message`` says why, in French, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_destination(instance_dir: Path, now: datetime | None = None) -> Path:
    """``<instance>/backups/elearn-<date>-<time>.tar.gz``: sorted by name, sorted by age."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return instance_dir / "backups" / f"elearn-{stamp}.tar.gz"


def database_member(database_url: str) -> str:
    """The database's name inside an archive: ``database.sqlite3`` or ``database.dump``."""
    return "database.sqlite3" if make_url(database_url).get_backend_name() == "sqlite" else "database.dump"


def key_files(instance_dir: Path) -> list[Path]:
    """The key files of the instance folder (see :data:`KEY_NAMES`), sorted by name."""
    if not instance_dir.is_dir():
        return []
    return sorted(
        path for path in instance_dir.iterdir()
        if path.is_file() and not path.is_symlink() and (path.name in KEY_NAMES or path.suffix in KEY_SUFFIXES)
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ArchiveReport:
    """What an archive holds, for the operator: the file, and the keys it does or does not carry."""

    path: Path
    keys: list[str] = field(default_factory=list)
    keys_left_out: list[Path] = field(default_factory=list)


def write_backup_archive(instance_dir: Path, database_url: str, destination: Path, *, with_keys: bool = True) -> ArchiveReport:
    """Write the database copy, the keys (unless ``with_keys`` is false) and a manifest to one archive.

    The archive is created with mode 0600 before anything is written to it and appears under its name
    only once complete (a crash leaves no half archive that looks like a backup).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise BackupError(f"Le fichier {destination} existe déjà : choisissez un autre nom.")
    keys = key_files(instance_dir)
    member = database_member(database_url)
    with tempfile.TemporaryDirectory(prefix=".elearn-backup-", dir=destination.parent) as work:
        copy = backup_database(database_url, Path(work) / member)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "elearn_version": __version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"file": member, "backend": make_url(database_url).get_backend_name(), "sha256": sha256_of(copy)},
            "keys": {key.name: sha256_of(key) for key in keys} if with_keys else {},
        }
        partial = Path(work) / "archive.tar.gz"
        _private_file(partial)
        with partial.open("r+b") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
            archive.add(copy, arcname=member, filter=_private_member)
            for key in keys if with_keys else []:
                archive.add(key, arcname=f"keys/{key.name}", filter=_private_member)
        os.link(partial, destination)  # fails rather than overwrite a file created meanwhile
    return ArchiveReport(destination, sorted(manifest["keys"]), [] if with_keys else keys)


def _private_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


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
