"""Keep ``modules/`` on this machine equal to the database's latest publications, losing no edit.

The database is the reference: every worker of every machine polls its newest publication id (one
cheap query, at most once a second) and, when it changed, rewrites the modules that changed. Files
edited by hand (the file workflow) are imported as publications when the server starts and by
``elearn modules import``.

Each machine remembers, per module, which publication its files were last equal to (a small JSON file
in the instance folder). That tells the three cases apart: the files are older (rewrite them), the
files were edited here (import them), or both moved. In the last case the files' version is moved to
``modules/_conflits/`` and reported (log and Espace formateur): it is never lost without a word.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from elearn.authoring.files import Files, entries_on_disk, files_hash, read_entry, remove_entry, write_entry
from elearn.authoring.publish import Author, latest_of_each, publish
from elearn.models import ModulePublication

log = logging.getLogger("elearn")

STATE_FILE = "modules-sync.json"
CONFLICTS_DIR = "_conflits"
FILES_AUTHOR = Author("Fichiers du dossier modules/")


@dataclass
class SyncReport:
    """What a synchronisation did, by module slug."""

    imported: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # paths of the set-aside copies


def sync_folder(session: Session, modules_dir: Path, state_dir: Path, *, import_edits: bool) -> SyncReport:
    """Bring ``modules_dir`` and the database together; see the module docstring for the rules.

    ``import_edits`` is True at start-up and for ``elearn modules import``; a running worker passes
    False and leaves hand edits in place (they show at once, as before, and are imported at the next
    start) unless a newer publication must replace them, in which case they are set aside.
    """
    report = SyncReport()
    with _locked(state_dir):
        state = _read_state(state_dir)
        published = latest_of_each(session)
        on_disk = entries_on_disk(modules_dir)
        for slug in sorted(set(published) | set(on_disk)):
            _sync_one(session, modules_dir, slug, on_disk.get(slug), published.get(slug), state, report, import_edits)
        _write_state(state_dir, state)
    for path in report.conflicts:
        log.warning("Module edited both in files and in the browser: the files' version is kept in %s", path)
    return report


def _sync_one(
    session: Session, modules_dir: Path, slug: str, entry: str | None, publication: ModulePublication | None,
    state: dict, report: SyncReport, import_edits: bool,
) -> None:
    files = read_entry(modules_dir, entry) if entry else None
    disk_hash = files_hash(files) if files is not None else None
    known = state.get(slug)
    if publication is None:
        if files is not None and import_edits:
            publication = publish(session, slug, entry, files, FILES_AUTHOR, "Import des fichiers de modules/", "fichiers")
            report.imported.append(slug)
            state[slug] = {"publication": publication.id, "hash": disk_hash}
        return
    if disk_hash == publication.content_hash:
        state[slug] = {"publication": publication.id, "hash": disk_hash}
        return
    unchanged_here = files is None or (known is not None and known["hash"] == disk_hash) or (
        known is None and _is_older_publication(session, slug, disk_hash)
    )
    edited_here_only = known is not None and known["publication"] == publication.id
    if not unchanged_here and edited_here_only:
        if import_edits:
            new = publish(session, slug, entry, files, FILES_AUTHOR, "Modifications faites dans les fichiers", "fichiers")
            report.imported.append(slug)
            state[slug] = {"publication": new.id, "hash": disk_hash}
        return
    if not unchanged_here:
        report.conflicts.append(str(_set_aside(modules_dir, entry, files)))
    write_entry(modules_dir, publication.entry, publication.files, previous_entry=entry)
    report.written.append(slug)
    state[slug] = {"publication": publication.id, "hash": publication.content_hash}


def _is_older_publication(session: Session, slug: str, content_hash: str | None) -> bool:
    statement = select(ModulePublication.id).where(
        ModulePublication.module_slug == slug, ModulePublication.content_hash == content_hash
    )
    return session.exec(statement.limit(1)).first() is not None


def _set_aside(modules_dir: Path, entry: str, files: Files) -> Path:
    """Copy the files' version under ``modules/_conflits/`` (ignored by the pipeline)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = modules_dir / CONFLICTS_DIR / f"{stamp}-{entry}"
    for name, text in files.items():
        path = target / Path(name).name if "/" in name else target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


def set_aside_copies(modules_dir: Path) -> list[str]:
    """The versions set aside by conflicts, for the Espace formateur."""
    folder = modules_dir / CONFLICTS_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def export_folder(session: Session, target: Path) -> list[str]:
    """Write exactly the published modules (and ``parcours.yml``) into ``target``; returns the slugs.

    Modules of ``target`` that are not published are removed, so the folder ends equal to what learners get.
    """
    published = latest_of_each(session)
    target.mkdir(parents=True, exist_ok=True)
    wanted = {publication.entry for publication in published.values()}
    for entry in entries_on_disk(target).values():
        if entry not in wanted:
            remove_entry(target, entry)
    for publication in published.values():
        write_entry(target, publication.entry, publication.files)
    return sorted(published)


def import_folder(session: Session, source: Path, author: Author, message: str) -> tuple[list[str], list[str]]:
    """Publish every module of ``source`` whose text differs from its latest publication.

    Returns (published slugs, unchanged slugs). Validation is the caller's job (``elearn check``).
    """
    published = latest_of_each(session)
    changed, unchanged = [], []
    for slug, entry in sorted(entries_on_disk(source).items()):
        files = read_entry(source, entry)
        current = published.get(slug)
        if files is None or (current is not None and current.content_hash == files_hash(files)):
            unchanged.append(slug)
            continue
        publish(session, slug, entry, files, author, message, "import")
        changed.append(slug)
    return changed, unchanged


@contextmanager
def _locked(state_dir: Path) -> Iterator[None]:
    """One synchronisation at a time on this machine (the workers share ``modules/``)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(state_dir / f"{STATE_FILE}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _read_state(state_dir: Path) -> dict:
    try:
        return json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(state_dir: Path, state: dict) -> None:
    temporary = state_dir / f".{STATE_FILE}.tmp"
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, state_dir / STATE_FILE)
