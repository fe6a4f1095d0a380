"""The training path's module list (``parcours.yml``), edited from a form and published like a module.

Only the ``modules:`` list and ``version`` are rewritten; every other line (comments, organisation,
signatory) stays as the file has it. The result is judged by the same parser as ``elearn certificates
check`` before anything is published.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session

from elearn.authoring.files import PATH_FILE, files_hash, write_entry
from elearn.authoring.publish import Author, publish
from elearn.certificates.path import PathConfigError, parse_path
from elearn.models.authoring import PATH_SLUG

_LIST_ITEM_RE = re.compile(r"^\s+-\s")
_VERSION_RE = re.compile(r"^version\s*:.*$", re.MULTILINE)


class PathFormError(Exception):
    """The new path is refused; ``problems`` are the checker's messages (French)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def with_modules(text: str, slugs: list[str], version: str) -> str:
    """``parcours.yml`` with its ``modules:`` list and ``version`` replaced, the rest untouched."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^modules\s*:\s*(#.*)?$", line)), None)
    block = ["modules:", *[f"  - {slug}" for slug in slugs]]
    if start is None:
        lines += block
    else:
        end = start + 1
        while end < len(lines) and (_LIST_ITEM_RE.match(lines[end]) or not lines[end].strip() and end + 1 < len(lines) and _LIST_ITEM_RE.match(lines[end + 1])):
            end += 1
        lines[start:end] = block
    text = "\n".join(lines)
    quoted = '"' + version.replace("\\", "").replace('"', "") + '"'
    return _VERSION_RE.sub(f"version: {quoted}", text, count=1) if _VERSION_RE.search(text) else text + f"\nversion: {quoted}\n"


def publish_path(
    session: Session, modules_dir: Path, media_dir: Path, expected_hash: str, slugs: list[str], version: str,
    author: Author, message: str,
):  # noqa: ANN201 - ModulePublication
    """Check and publish the new path, refusing it if the file changed since the form was shown."""
    current = (modules_dir / PATH_FILE).read_text(encoding="utf-8")
    if files_hash({PATH_FILE: current}) != expected_hash:
        raise PathFormError(["parcours.yml a été modifié entre-temps : rechargez la page et recommencez."])
    if not version.strip():
        raise PathFormError(["Donnez une version au parcours (changez-la quand la liste des modules change)."])
    text = with_modules(current, slugs, version.strip())
    try:
        parse_path(text, media_dir)
    except PathConfigError as error:
        raise PathFormError(list(error.problems)) from error
    publication = publish(session, PATH_SLUG, PATH_FILE, {PATH_FILE: text}, author, message, "editeur")
    write_entry(modules_dir, PATH_FILE, {PATH_FILE: text})
    return publication
