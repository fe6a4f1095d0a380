"""Drafts: a module being edited in the browser, one row per file, each with its own version.

A draft is always a folder module: ``index.md`` (header and introduction) then one file per section,
numbered by position (``01-premiere-section.md``). A single-file module is split at its ``##``
headings when a draft is opened. Saving names the version the trainer started from; a save on an older
version is refused and the caller shows both texts (nothing is overwritten, nothing is lost).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, select

from elearn.authoring.checks import DraftReport
from elearn.authoring.files import Files, entries_on_disk, read_entry, write_entry
from elearn.authoring.publish import Author, latest, publish
from elearn.content.parse import VALID_ID_RE, discover, parse_module, slugify
from elearn.content.scaffold import MAX_NUMBER, TEMPLATE, next_order
from elearn.models import DraftSection, ModuleDraft, ModulePublication
from elearn.models.base import utcnow

INDEX = "index"
_NUMBERED_RE = re.compile(r"^(\d+)-(.+)$")
#: Longest text of one draft file, in characters (about a hundred pages).
MAX_SECTION_TEXT = 200_000


class DraftError(Exception):
    """The edit is refused; the message is for the trainer (French)."""


@dataclass(frozen=True)
class SaveConflict:
    """Another trainer saved this section since the editor was opened: both texts, for the trainer."""

    section: DraftSection
    mine: str


def sections_of(session: Session, draft: ModuleDraft) -> list[DraftSection]:
    statement = select(DraftSection).where(DraftSection.draft_id == draft.id).order_by(DraftSection.position)
    return list(session.exec(statement))


def find_draft(session: Session, slug: str) -> ModuleDraft | None:
    return session.exec(select(ModuleDraft).where(ModuleDraft.module_slug == slug)).first()


def drafts(session: Session) -> list[ModuleDraft]:
    return list(session.exec(select(ModuleDraft).order_by(ModuleDraft.module_slug)))


def file_name(section: DraftSection) -> str:
    return "index.md" if section.stem == INDEX else f"{section.position:02d}-{section.stem}.md"


def draft_files(draft: ModuleDraft, sections: list[DraftSection]) -> Files:
    """The draft as the files it will publish, keyed by path relative to ``modules/``."""
    return {f"{draft.entry}/{file_name(section)}": section.text for section in sections}


def open_draft(session: Session, slug: str, modules_dir: Path) -> ModuleDraft:
    """The module's draft, made from its latest publication (or its files) when there is none yet."""
    draft = find_draft(session, slug)
    if draft is not None:
        return draft
    publication = latest(session, slug)
    if publication is not None:
        entry, files = publication.entry, publication.files
    else:
        entry, files = _files_on_disk(modules_dir, slug)
    return _create(session, slug, entry, _split(entry, files), publication)


def new_module(session: Session, modules_dir: Path, slug: str, title: str) -> ModuleDraft:
    """A draft made from the commented skeleton of ``elearn new-module``; learners do not see it."""
    slug = slug.strip()
    title = " ".join(title.split())
    if not VALID_ID_RE.match(slug):
        raise DraftError(
            f"Nom court invalide « {slug} » : minuscules sans accent, chiffres et tirets (ex. refus-de-soins)."
        )
    if not title:
        raise DraftError("Donnez un titre au module.")
    taken = {source.slug: source.path.name for source in discover(modules_dir)[0]}
    taken.update({d.module_slug: d.entry for d in drafts(session)})
    taken.update({slug_: entry for slug_, entry in session.exec(select(ModulePublication.module_slug, ModulePublication.entry))})
    if slug in taken:
        raise DraftError(f"Un module « {slug} » existe déjà : choisissez un autre nom court.")
    numbers = {int(m.group(1)) for entry in taken.values() if (m := _NUMBERED_RE.match(entry))}
    free = [n for n in range(max(numbers, default=0) + 1, MAX_NUMBER + 1)] or [
        n for n in range(1, MAX_NUMBER + 1) if n not in numbers
    ]
    if not free:
        raise DraftError(f"Les numéros de module 01 à {MAX_NUMBER} sont tous pris.")
    entry = f"{free[0]:02d}-{slug}"
    order = _next_order(session, modules_dir)
    text = TEMPLATE.format(title=title.replace(":", " -"), order=order)
    return _create(session, slug, entry, _split(f"{entry}.md", {f"{entry}.md": text}), None)


def _next_order(session: Session, modules_dir: Path) -> int:
    """One past the highest ``ordre`` of the modules and of the other drafts."""
    orders = [next_order(modules_dir) - 1]
    for draft in drafts(session):
        index = next(iter(sections_of(session, draft)), None)
        match = re.search(r"^ordre:\s*(\d+)", index.text if index else "", re.MULTILINE)
        if match:
            orders.append(int(match.group(1)))
    return max(orders, default=0) + 1


def _files_on_disk(modules_dir: Path, slug: str) -> tuple[str, Files]:
    source = next((s for s in discover(modules_dir)[0] if s.slug == slug), None)
    files = read_entry(modules_dir, source.path.name) if source else None
    if source is None or files is None:
        raise DraftError(f"Aucun module « {slug} ».")
    return source.path.name, files


def _split(entry: str, files: Files) -> list[tuple[str, str]]:
    """(stem, text) per file, index first: folder files as they are, a single file cut at its ``##``."""
    if len(files) != 1 or not entry.endswith(".md"):
        parts = []
        for name, text in sorted(files.items()):
            base = Path(name).stem
            match = _NUMBERED_RE.match(base)
            parts.append((INDEX if base == INDEX else (match.group(2) if match else base), text))
        return sorted(parts, key=lambda part: part[0] != INDEX)
    text = next(iter(files.values()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "module.md"
        path.write_text(text, encoding="utf-8")
        starts = [section.line for section in parse_module(path).sections]
    lines = text.split("\n")
    bounds = [0, *[line - 1 for line in starts], len(lines)]
    parts = [(INDEX, "\n".join(lines[bounds[0] : bounds[1]]).rstrip("\n") + "\n")]
    for start, end in zip(bounds[1:-1], bounds[2:], strict=True):
        chunk = "\n".join(lines[start:end]).rstrip("\n") + "\n"
        parts.append((_stem(chunk, {stem for stem, _ in parts}), chunk))
    return parts


def _stem(text: str, used: set[str]) -> str:
    """A file name for a section, from its ``##`` title, unique in the draft."""
    first = text.lstrip().split("\n", 1)[0].lstrip("#").strip()
    first = re.sub(r"\s*\{#[^}]*\}\s*$", "", first)
    stem = (slugify(first) or "section")[:60].strip("-") or "section"
    candidate, number = stem, 2
    while candidate in used or candidate == INDEX:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def _create(
    session: Session, slug: str, entry: str, parts: list[tuple[str, str]], publication: ModulePublication | None
) -> ModuleDraft:
    entry = entry.removesuffix(".md")
    draft = ModuleDraft(module_slug=slug, entry=entry, base_publication_id=publication.id if publication else None)
    session.add(draft)
    session.flush()
    for position, (stem, text) in enumerate(parts):
        session.add(DraftSection(draft_id=draft.id, position=position, stem=stem, text=text))
    session.commit()
    session.refresh(draft)
    return draft


def save_section(
    session: Session, section: DraftSection, text: str, expected_version: int, user_id: int | None
) -> SaveConflict | None:
    """Save ``text`` if nobody saved the section since ``expected_version``; else the conflict.

    The check and the write are one ``UPDATE ... WHERE version = ?``: two saves racing cannot both win.
    """
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_SECTION_TEXT:
        raise DraftError(f"Le texte dépasse {MAX_SECTION_TEXT} caractères : découpez la section.")
    result = session.execute(
        update(DraftSection)
        .where(DraftSection.id == section.id, DraftSection.version == expected_version)
        .values(text=text, version=DraftSection.version + 1, updated_by_id=user_id, updated_at=utcnow())
    )
    session.commit()
    session.refresh(section)
    if result.rowcount == 1:
        return None
    return SaveConflict(section, text)


def add_section(session: Session, draft: ModuleDraft, title: str) -> DraftSection:
    title = " ".join(title.split())
    if not title:
        raise DraftError("Donnez un titre à la nouvelle section.")
    sections = sections_of(session, draft)
    text = f"## {title}\n\nÉcrivez ici le contenu de la section.\n"
    section = DraftSection(
        draft_id=draft.id, position=len(sections), stem=_stem(text, {s.stem for s in sections}), text=text
    )
    session.add(section)
    session.commit()
    return section


def move_section(session: Session, draft: ModuleDraft, section: DraftSection, offset: int) -> None:
    """Move a section up (-1) or down (+1); the header file stays first."""
    sections = [s for s in sections_of(session, draft) if s.stem != INDEX]
    index = next(i for i, s in enumerate(sections) if s.id == section.id)
    target = index + offset
    if section.stem == INDEX or not 0 <= target < len(sections):
        return
    sections[index], sections[target] = sections[target], sections[index]
    _renumber(session, sections)


def delete_section(session: Session, draft: ModuleDraft, section: DraftSection) -> None:
    if section.stem == INDEX:
        raise DraftError("L'en-tête du module ne peut pas être supprimé.")
    session.delete(section)
    session.flush()
    _renumber(session, [s for s in sections_of(session, draft) if s.stem != INDEX])


def _renumber(session: Session, sections: list[DraftSection]) -> None:
    for position, section in enumerate(sections, start=1):
        section.position = position
        session.add(section)
    session.commit()


def discard(session: Session, draft: ModuleDraft) -> None:
    """Drop a draft (after publication, or when the trainer abandons it)."""
    for section in sections_of(session, draft):
        session.delete(section)
    session.delete(draft)
    session.commit()


class StaleDraft(DraftError):
    """A newer publication appeared since the draft was opened; publishing would replace it."""

    def __init__(self, newer: ModulePublication) -> None:
        self.newer = newer
        super().__init__(
            f"La version {newer.number} a été publiée par {newer.author_name} pendant que vous modifiiez ce "
            f"module (« {newer.message} ») : comparez-la dans l'historique, puis confirmez que votre brouillon la remplace."
        )


def publish_draft(
    session: Session, draft: ModuleDraft, report: DraftReport, author: Author, message: str, modules_dir: Path,
    *, replace_newer: bool = False,
) -> ModulePublication:
    """Publish a draft without errors, write its files to ``modules/`` and drop the draft."""
    if report.errors:
        raise DraftError(
            f"Ce brouillon a {len(report.errors)} erreur(s) : il reste enregistré, mais ne peut être publié "
            "qu'une fois les erreurs corrigées."
        )
    current = latest(session, draft.module_slug)
    if current is not None and current.id != draft.base_publication_id and not replace_newer:
        raise StaleDraft(current)
    files = draft_files(draft, sections_of(session, draft))
    previous_entry = entries_on_disk(modules_dir).get(draft.module_slug) or (current.entry if current else None)
    publication = publish(session, draft.module_slug, draft.entry, files, author, message, "editeur")
    write_entry(modules_dir, draft.entry, files, previous_entry=previous_entry)
    discard(session, draft)
    return publication


def write_publication(modules_dir: Path, publication: ModulePublication) -> None:
    """Put a publication (a rollback) in ``modules/`` at once, for this worker's next request."""
    previous_entry = entries_on_disk(modules_dir).get(publication.module_slug)
    write_entry(modules_dir, publication.entry, publication.files, previous_entry=previous_entry)


#: Header keys the « Parcours et réussite » form edits (their rules and meanings: validate.FRONT_KEYS).
SETTING_KEYS = ("ordre", "duree", "seuil", "tentatives_max")
_FRONT_END_RE = re.compile(r"^(?:---|\.\.\.)\s*$")


def set_front_values(text: str, values: dict[str, str]) -> str:
    """``index.md`` with header keys set (an empty value removes the key); comments and the rest stay.

    Values are written as typed: the pipeline's checker then judges them, as ``elearn check`` would.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DraftError("L'en-tête du module est introuvable : corrigez d'abord le fichier d'en-tête.")
    end = next((i for i, line in enumerate(lines[1:], start=1) if _FRONT_END_RE.match(line)), None)
    if end is None:
        raise DraftError("L'en-tête du module n'est pas fermé par « --- » : corrigez d'abord le fichier d'en-tête.")
    for key, value in values.items():
        value = " ".join(value.split())
        pattern = re.compile(rf"^{re.escape(key)}\s*:(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")
        index = next((i for i in range(1, end) if pattern.match(lines[i])), None)
        if index is None and value:
            lines.insert(end, f"{key}: {value}")
            end += 1
        elif index is not None and not value:
            del lines[index]
            end -= 1
        elif index is not None:
            comment = pattern.match(lines[index]).group("comment") or ""
            lines[index] = f"{key}: {value}{comment}"
    return "\n".join(lines)


def front_values(text: str) -> dict[str, str]:
    """The current text of each setting key in ``index.md`` (empty when absent)."""
    found = {}
    for key in SETTING_KEYS:
        match = re.search(rf"^{re.escape(key)}\s*:([^#\n]*)", text.split("\n---", 1)[0], re.MULTILINE)
        found[key] = match.group(1).strip() if match else ""
    return found
