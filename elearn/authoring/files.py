"""A module as a set of text files: read from ``modules/``, hashed, written back atomically.

A module is a folder (``02-definition/index.md`` + section files) or a single file (``07-x.md``); its
*entry* is that folder or file name. Files are keyed by their path relative to ``modules/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from elearn.content.parse import content_digest, discover, module_files
from elearn.models.authoring import PATH_SLUG

Files = dict[str, str]
PATH_FILE = "parcours.yml"


def read_entry(modules_dir: Path, entry: str) -> Files | None:
    """The files of one module (or of ``parcours.yml``), None when it is not there."""
    path = modules_dir / entry
    if entry == PATH_FILE:
        return {entry: path.read_text(encoding="utf-8")} if path.is_file() else None
    files = module_files(path) if path.exists() else ()
    if not files:
        return None
    return {f.relative_to(modules_dir).as_posix(): f.read_text(encoding="utf-8", errors="replace") for f in files}


def entries_on_disk(modules_dir: Path) -> dict[str, str]:
    """slug -> entry for every module of the folder, plus ``parcours.yml`` when present."""
    entries = {source.slug: source.path.name for source in discover(modules_dir)[0]}
    if (modules_dir / PATH_FILE).is_file():
        entries[PATH_SLUG] = PATH_FILE
    return entries


def files_hash(files: Files) -> str:
    """The pipeline's ``content_hash`` of these files (the one completions record)."""
    ordered = sorted(files.items(), key=lambda item: (Path(item[0]).name != "index.md", item[0]))
    return content_digest([(Path(name).name, text.encode("utf-8")) for name, text in ordered])


def write_entry(modules_dir: Path, entry: str, files: Files, previous_entry: str | None = None) -> None:
    """Replace the module ``entry`` by ``files`` so readers see the old or the new version, never a mix.

    A folder is written beside its place and swapped in with two renames; a file with one. The old
    entry, when the module was renamed (file -> folder), is removed.
    """
    modules_dir.mkdir(parents=True, exist_ok=True)
    target = modules_dir / entry
    if all("/" not in name for name in files):
        _write_file(target, files[entry])
    else:
        staging = Path(tempfile.mkdtemp(prefix=f".{entry}-", dir=modules_dir))
        for name, text in files.items():
            (staging / Path(name).name).write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        old = modules_dir / f".{entry}-old-{os.getpid()}"
        if target.is_dir():
            target.rename(old)
        elif target.exists():
            target.unlink()
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    if previous_entry and previous_entry != entry:
        remove_entry(modules_dir, previous_entry)


def remove_entry(modules_dir: Path, entry: str) -> None:
    path = modules_dir / entry
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _write_file(target: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temporary, 0o644)
    if target.is_dir():
        shutil.rmtree(target)
    os.replace(temporary, target)
