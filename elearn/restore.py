"""``elearn restore``: put a backup back in place of the database, with its keys, losing nothing.

Restoring by hand went wrong in a way nobody could see: copying a SQLite backup over
``elearn.sqlite3`` leaves the old ``-wal`` file beside it, and SQLite replays that log on top of the
copy at the next open, bringing back the very data the restore was meant to undo. So a restore here:

1. refuses while a server runs on the instance folder (:mod:`elearn.server_lock`), and keeps servers
   from starting until it is done;
2. checks the backup first: the archive's SHA-256 sums, SQLite's ``integrity_check`` or
   ``pg_restore --list``, and that it is an elearn database this version can upgrade;
3. moves the current database aside (SQLite: the file with its ``-wal`` and ``-shm``, into
   ``instance/restore-aside/<date>/``; PostgreSQL: the database is renamed), so nothing is lost and a
   wrong restore can itself be undone;
4. installs the backup (PostgreSQL: ``pg_restore`` into a fresh database, which then takes the name),
   then the keys it carries (the current ones, where they differ, go aside too);
5. runs the migrations, so a backup from an older version is brought up to date.

Every step is reported through ``echo`` as it happens, in French, for the operator.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from elearn import migrate, server_lock
from elearn.backup import MANIFEST, sha256_of
from elearn.db import make_engine

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
#: Where the database and keys that a restore replaced are kept, inside the instance folder.
ASIDE_DIR = "restore-aside"

Echo = Callable[[str], None]


class RestoreError(Exception):
    """The restore cannot go on; ``message`` says why and what to do, in French. Nothing was changed
    unless the message says otherwise."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Backup:
    """A backup opened and checked: its database copy and the keys it carries, extracted to a work folder."""

    backend: str
    database: Path
    keys: dict[str, Path] = field(default_factory=dict)
    created_at: str | None = None
    is_archive: bool = True


def open_backup(file: Path, work: Path) -> Backup:
    """Read ``file`` (an ``elearn backup`` archive, or a bare ``.sqlite3``/``.dump`` copy) into ``work``."""
    if not file.is_file():
        raise RestoreError(f"Sauvegarde introuvable : {file}")
    with file.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return Backup("sqlite", file, is_archive=False)
    if head.startswith(PG_CUSTOM_HEADER):
        return Backup("postgresql", file, is_archive=False)
    if not tarfile.is_tarfile(file):
        raise RestoreError(f"{file} n'est pas une sauvegarde d'elearn (ni archive, ni copie SQLite, ni export pg_dump).")
    return _extract_archive(file, work)


def _extract_archive(file: Path, work: Path) -> Backup:
    """Extract only the members the manifest names, each checked against its SHA-256."""
    try:
        with tarfile.open(file, mode="r:*") as archive:
            manifest = json.loads(_member(archive, MANIFEST).read().decode("utf-8"))
            database = manifest["database"]
            wanted = {database["file"]: database["sha256"], **{f"keys/{name}": digest for name, digest in manifest["keys"].items()}}
            extracted: dict[str, Path] = {}
            for name, digest in wanted.items():
                if "/" in name.removeprefix("keys/") or name.startswith(("/", "..")):
                    raise RestoreError(f"Nom de fichier refusé dans l'archive : {name}")
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with _member(archive, name) as source, _private_create(target) as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                if sha256_of(target) != digest:
                    raise RestoreError(f"Sauvegarde altérée : {name} ne correspond pas à l'empreinte de son manifeste.")
                extracted[name] = target
    except (tarfile.TarError, EOFError, OSError) as error:
        raise RestoreError(f"Archive illisible ou incomplète ({file}) : {error}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise RestoreError(f"Manifeste de sauvegarde invalide dans {file} : {error}") from error
    keys = {name.removeprefix("keys/"): path for name, path in extracted.items() if name.startswith("keys/")}
    return Backup(database["backend"], extracted[database["file"]], keys, manifest.get("created_at"))


def _member(archive: tarfile.TarFile, name: str):  # noqa: ANN202 - a binary file object
    try:
        info = archive.getmember(name)
    except KeyError as error:
        raise RestoreError(f"L'archive ne contient pas {name} : ce n'est pas une sauvegarde complète d'elearn.") from error
    source = archive.extractfile(info) if info.isfile() else None
    if source is None:
        raise RestoreError(f"{name} n'est pas un fichier dans l'archive.")
    return source


def _private_create(path: Path):  # noqa: ANN202 - a binary file object
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


# Checks ------------------------------------------------------------------------------------------


def check_sqlite_copy(path: Path) -> str:
    """``integrity_check`` and the schema revision of a SQLite copy; the revision."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            if result is None or result[0] != "ok":
                raise RestoreError(f"La copie SQLite est endommagée (integrity_check : {result[0] if result else '?'}).")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                raise RestoreError("Ce fichier SQLite n'est pas une base d'elearn (pas de table alembic_version).")
            revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        raise RestoreError(f"La copie SQLite est illisible : {error}") from error
    return _known_revision(revisions)


def check_pg_dump(path: Path) -> None:
    """``pg_restore --list`` reads the whole table of contents of a custom-format dump."""
    result = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RestoreError(f"L'export PostgreSQL est illisible (pg_restore --list) : {result.stderr.strip()}")
    if "alembic_version" not in result.stdout:
        raise RestoreError("Cet export PostgreSQL n'est pas une base d'elearn (pas de table alembic_version).")


def _known_revision(revisions: list[str]) -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    for revision in revisions:
        if not _exists(script, revision):
            raise RestoreError(
                f"Cette sauvegarde est au schéma « {revision} », inconnu de cette version d'elearn : "
                "elle vient d'une version plus récente. Installez au moins cette version avant de restaurer."
            )
    return ", ".join(revisions) or "aucune"


def _exists(script, revision: str) -> bool:  # noqa: ANN001 - alembic ScriptDirectory
    try:
        return script.get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RestoreError(f"{name} est introuvable : installez le client PostgreSQL (Debian : apt-get install postgresql-client).")
    return path


# The restore ---------------------------------------------------------------------------------------


def restore(instance_dir: Path, database_url: str, file: Path, echo: Echo = print) -> Path:
    """Restore ``file`` into the database at ``database_url``; returns the folder holding what was set aside."""
    echo = _numbered(echo)
    url = make_url(database_url)
    backend = url.get_backend_name()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = instance_dir / ASIDE_DIR / stamp
    with server_lock.exclusive(instance_dir), tempfile.TemporaryDirectory(prefix=".elearn-restore-", dir=_work_parent(instance_dir)) as work:
        backup = open_backup(file, Path(work))
        if backup.backend != backend:
            raise RestoreError(
                f"Cette sauvegarde vient d'une base {backup.backend} et la base configurée est {backend} : "
                "restaurez-la dans une base du même type."
            )
        if backend == "sqlite":
            revision = check_sqlite_copy(backup.database)
            echo(f"Sauvegarde vérifiée : intégrité correcte, schéma {revision}"
                 + (f", faite le {backup.created_at}." if backup.created_at else "."))
            _install_sqlite(Path(url.database or ""), backup.database, aside, echo)
        elif backend == "postgresql":
            check_pg_dump(backup.database)
            echo("Sauvegarde vérifiée : pg_restore en lit toute la table des matières"
                 + (f", faite le {backup.created_at}." if backup.created_at else "."))
            _install_postgresql(url, backup.database, stamp, echo)
        else:
            raise RestoreError(f"Restauration impossible : base « {backend} » non prise en charge (SQLite ou PostgreSQL).")
        _install_keys(instance_dir, backup, aside, echo)
        engine = make_engine(database_url)
        try:
            migrate.upgrade(engine)
            revisions = ", ".join(sorted(migrate.current_revisions(engine)))
        finally:
            engine.dispose()
        echo(f"Migrations appliquées : la base est au schéma {revisions}. Vous pouvez redémarrer le serveur.")
    return aside


def _numbered(echo: Echo) -> Echo:
    """``echo`` that numbers the steps it reports: 1., 2., ..."""
    count = 0

    def step(message: str) -> None:
        nonlocal count
        count += 1
        echo(f"{count}. {message}")

    return step


def _work_parent(instance_dir: Path) -> Path:
    """Extract beside the instance folder's data (same file system: installing is then a rename)."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    return instance_dir


def _install_sqlite(target: Path, copy: Path, aside: Path, echo: Echo) -> None:
    """Move the database, its WAL and shared-memory files aside, then put the copy in its place."""
    companions = [Path(f"{target}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    present = [path for path in companions if path.exists()]
    if present:
        aside.mkdir(parents=True, exist_ok=True, mode=0o700)
        for path in present:
            shutil.move(path, aside / path.name)
        echo(f"Base actuelle mise de côté avec son journal : {aside} ({', '.join(p.name for p in present)}).")
    else:
        echo(f"Aucune base à {target} : rien à mettre de côté.")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restauration")
    try:
        shutil.copyfile(copy, staging)
        os.chmod(staging, 0o600)
        with staging.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    except OSError as error:
        staging.unlink(missing_ok=True)
        for path in present:  # put everything back as it was
            shutil.move(aside / path.name, path)
        raise RestoreError(f"Installation de la sauvegarde impossible ({error}) : la base d'origine a été remise en place.") from error
    echo(f"Sauvegarde installée : {target}")


def _install_postgresql(url: URL, dump: Path, stamp: str, echo: Echo) -> None:
    """pg_restore into a fresh database, then swap names: the current database is kept, renamed."""
    name = url.database or ""
    fresh, previous = f"{name}_restauration_{stamp}"[:63], f"{name}_avant_{stamp}"[:63]
    maintenance = _conninfo(url.set(database="postgres"))
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
            others = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
            ).fetchone()[0]
            if others:
                raise RestoreError(
                    f"{others} connexion(s) encore ouverte(s) sur la base « {name} » (un autre serveur, un autre nœud ?) : "
                    "arrêtez-les puis recommencez. Rien n'a été modifié."
                )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    except psycopg.Error as error:
        raise RestoreError(
            f"PostgreSQL refuse la préparation ({error}). Étapes à faire à la main avec un compte autorisé :\n"
            f"  createdb {fresh}\n  pg_restore --no-owner --exit-on-error --dbname={fresh} {dump}\n"
            f"  psql -c 'ALTER DATABASE \"{name}\" RENAME TO \"{previous}\"' -c 'ALTER DATABASE \"{fresh}\" RENAME TO \"{name}\"'\n"
            "  puis elearn db upgrade."
        ) from error
    echo(f"Base vide « {fresh} » créée pour recevoir la sauvegarde.")
    result = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_conninfo(url.set(database=fresh))}", str(dump)],
        capture_output=True, text=True, env=environment, check=False,
    )
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if result.returncode != 0:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
            raise RestoreError(f"pg_restore a échoué, la base actuelle est intacte : {result.stderr.strip()}")
        echo(f"Sauvegarde chargée dans « {fresh} » (pg_restore --no-owner --exit-on-error).")
        if exists:
            connection.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(previous)))
        connection.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(fresh), sql.Identifier(name)))
    kept = f"la base remplacée est conservée sous le nom « {previous} » (à supprimer quand tout est vérifié)" if exists else "aucune base n'existait"
    echo(f"« {fresh} » renommée « {name} » ; {kept}.")


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _install_keys(instance_dir: Path, backup: Backup, aside: Path, echo: Echo) -> None:
    """Put the backup's keys in place; a different current key goes aside rather than being lost."""
    if not backup.keys:
        present = ", ".join(sorted(path.name for path in instance_dir.iterdir() if path.name in ("secret_key", "certificate_signing_key.pem")))
        echo(
            "4. Cette sauvegarde ne contient pas les clés. Remettez dans " f"{instance_dir} les fichiers secret_key et "
            "certificate_signing_key.pem de la sauvegarde des clés : sans eux, les sessions sont perdues et les "
            f"attestations déjà délivrées ne se vérifient plus (présents : {present or 'aucun'})."
        )
        return
    installed, kept, replaced = [], [], []
    for name, source in sorted(backup.keys.items()):
        target = instance_dir / name
        if target.exists() and sha256_of(target) == sha256_of(source):
            kept.append(name)
            continue
        if target.exists():
            aside.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(target, aside / name)
            replaced.append(name)
        with source.open("rb") as data, _private_create(target) as out:
            shutil.copyfileobj(data, out)
        installed.append(name)
    if installed:
        echo(f"Clés de la sauvegarde remises en place : {', '.join(installed)}."
             + (f" Celles qu'elles remplacent ({', '.join(replaced)}) sont dans {aside}." if replaced else ""))
    else:
        echo(f"Clés : celles du dossier sont déjà celles de la sauvegarde ({', '.join(kept)}).")
