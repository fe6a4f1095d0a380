"""Media uploaded from the editor: checked by content, never silently overwritten, listed with their users.

The type comes from the file's first bytes (``filetype``), never from its name: a script renamed
``photo.png`` is refused. SVG is text and can carry scripts, so an SVG with a script, an event handler,
embedded HTML, an external reference or a DTD is refused with the reason (the site serves media from
its own origin, where such a file would run). Images need a text alternative and sounds and videos a
transcript: the upload returns the Markdown to insert, with both written in.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import filetype
from sqlmodel import Session, select

from elearn.content.parse import slugify
from elearn.models import MediaFile

#: Largest upload per kind, in bytes: images stay light for phones; a few minutes of sound or video.
SIZE_LIMITS = {"image": 2 * 1024 * 1024, "audio": 20 * 1024 * 1024, "video": 80 * 1024 * 1024}
#: Sniffed MIME type -> (extension, kind) accepted in media/ (the pipeline's media suffixes).
ACCEPTED = {
    "image/png": ("png", "image"), "image/jpeg": ("jpg", "image"), "image/gif": ("gif", "image"),
    "image/webp": ("webp", "image"), "image/svg+xml": ("svg", "image"),
    "audio/mpeg": ("mp3", "audio"), "audio/ogg": ("ogg", "audio"), "audio/x-wav": ("wav", "audio"),
    "audio/x-m4a": ("m4a", "audio"), "audio/m4a": ("m4a", "audio"),
    "video/mp4": ("mp4", "video"), "video/webm": ("webm", "video"),
}
_MEDIA_REF_RE = re.compile(r"media/([A-Za-z0-9._-]+)")
_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class MediaError(Exception):
    """The upload is refused; the message (French) says why and what to do."""


@dataclass(frozen=True)
class CheckedMedia:
    """An upload that passed the checks: its safe file name, kind and bytes."""

    name: str
    kind: str
    data: bytes


def check_upload(original_name: str, data: bytes) -> CheckedMedia:
    """Sniff, size-check and (for SVG) inspect an upload; the name gets the sniffed extension."""
    if not data:
        raise MediaError("Le fichier est vide.")
    mime = _sniff(data)
    if mime not in ACCEPTED:
        raise MediaError(
            "Ce fichier n'est ni une image (PNG, JPEG, GIF, WebP, SVG), ni un son (MP3, OGG, WAV, M4A), "
            "ni une vidéo (MP4, WebM), d'après son contenu."
        )
    extension, kind = ACCEPTED[mime]
    if len(data) > SIZE_LIMITS[kind]:
        limit = SIZE_LIMITS[kind] // (1024 * 1024)
        raise MediaError(f"Le fichier fait {len(data) / 1024 / 1024:.1f} Mo : la limite est de {limit} Mo pour ce type de média. Réduisez-le (taille d'image, compression).")
    if mime == "image/svg+xml":
        _check_svg(data)
    stem = slugify(PurePosixPath(original_name).stem)[:60].strip("-") or "media"
    return CheckedMedia(f"{stem}.{extension}", kind, data)


def _sniff(data: bytes) -> str | None:
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return kind.mime
    head = data[:1024].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<") and b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None


def _check_svg(data: bytes) -> None:
    """Refuse an SVG that could run code or fetch something, saying what was found."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MediaError("SVG refusé : il contient une déclaration DOCTYPE ou ENTITY. Exportez-le de nouveau en « SVG simple ».")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise MediaError(f"SVG refusé : ce n'est pas un fichier SVG lisible ({error}).") from error
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise MediaError("SVG refusé : l'élément principal n'est pas <svg>.")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "embed", "object"):
            raise MediaError(f"SVG refusé : il contient un élément <{tag}>, qui peut exécuter du code ou du HTML. Retirez-le.")
        for attribute, value in element.attrib.items():
            name = attribute.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                raise MediaError(f"SVG refusé : l'attribut « {name} » déclenche du code. Retirez-le.")
            if attribute in (_XLINK_HREF, "href") and not value.strip().startswith("#"):
                raise MediaError(f"SVG refusé : il fait référence à un élément extérieur (« {value[:60]} »). Intégrez-le au fichier.")
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise MediaError("SVG refusé : un style charge une ressource extérieure (url(...)). Retirez-la.")
    if b"<style" in data and (b"@import" in data or b"javascript:" in data):
        raise MediaError("SVG refusé : sa feuille de style importe ou exécute quelque chose. Retirez-la.")


def free_name(media_dir: Path, name: str) -> str:
    """``name`` if no file has it, else ``stem-2.ext``, ``stem-3.ext``…"""
    path = PurePosixPath(name)
    candidate, number = name, 2
    while (media_dir / candidate).exists():
        candidate, number = f"{path.stem}-{number}{path.suffix}", number + 1
    return candidate


def store(media_dir: Path, name: str, data: bytes, *, replace: bool) -> None:
    """Write the file; refuses to overwrite unless the trainer chose « Remplacer »."""
    media_dir.mkdir(parents=True, exist_ok=True)
    target = media_dir / name
    if target.exists() and not replace:
        raise MediaError(f"Un fichier « {name} » existe déjà : choisissez de le remplacer ou de renommer le nouveau.")
    temporary = media_dir / f".{name}.upload"
    temporary.write_bytes(data)
    temporary.replace(target)


def record(session: Session, name: str, data: bytes, user_id: int | None) -> MediaFile:
    """Keep the uploaded file in the database, so machines without a shared media/ get it too.

    A replacement is a new row (a new id), which is what workers watch for.
    """
    for old in session.exec(select(MediaFile).where(MediaFile.name == name)):
        session.delete(old)
    session.flush()
    row = MediaFile(name=name, data=data, content_hash=hashlib.sha256(data).hexdigest(), uploaded_by_id=user_id)
    session.add(row)
    session.commit()
    return row


def forget(session: Session, name: str) -> None:
    for old in session.exec(select(MediaFile).where(MediaFile.name == name)):
        session.delete(old)
    session.commit()


def sync_media(session: Session, media_dir: Path) -> list[str]:
    """Write the uploaded files this machine lacks (or has in another version); returns their names.

    Only the hashes are read first: a file's bytes leave the database only when they must be written.
    """
    written = []
    for row_id, name, content_hash in session.exec(select(MediaFile.id, MediaFile.name, MediaFile.content_hash)):
        path = media_dir / name
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == content_hash:
            continue
        store(media_dir, name, session.get(MediaFile, row_id).data, replace=True)
        written.append(name)
    return written


def snippet(name: str, kind: str, alt: str, transcript: str) -> str:
    """The Markdown to insert for the file, text alternative and transcript included."""
    alt = " ".join(alt.replace("]", ")").split())
    if kind == "image":
        return f"![{alt}](media/{name})\n"
    transcript = transcript.strip()
    return f"![{alt}](media/{name} \"Transcription ci-dessous\")\n\n**Transcription.** {transcript}\n"


def usages(media_dir: Path, texts: dict[str, str]) -> dict[str, list[str]]:
    """Every file of ``media_dir`` with the sources (module slugs, drafts…) whose text names it."""
    files = sorted(p.name for p in media_dir.iterdir() if p.is_file() and not p.name.startswith(".")) if media_dir.is_dir() else []
    used: dict[str, list[str]] = {name: [] for name in files}
    for source, text in texts.items():
        for name in set(_MEDIA_REF_RE.findall(text)):
            if name in used:
                used[name].append(source)
    return used
