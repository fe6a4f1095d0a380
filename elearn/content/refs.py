"""Images, media and links written in a module's Markdown, found with their line for validation.

The renderer turns the same syntax into HTML; both use ``media_kind`` so a file is an image, an audio or
a video for the checker exactly when it is for the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from elearn.content.parse import ParsedModule

MediaKind = Literal["image", "audio", "video"]

AUDIO_SUFFIXES = frozenset({".mp3", ".ogg", ".wav", ".m4a"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm"})
MEDIA_PREFIX = "media/"
DECORATIVE_CLASS = "decorative"

_INLINE_CODE_RE = re.compile(r"`+[^`]*`+")
_IMAGE_RE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)(\{[^}]*\})?')
_LINK_RE = re.compile(r'(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
#: Script URLs, in Markdown links and raw HTML (``href``/``src``), spaces and case as a browser forgives them.
_SCRIPT_URL_RE = re.compile(r"(?:\]\(\s*<?|(?:href|src)\s*=\s*[\"']?)\s*((?:java|vb)script\s*:|data\s*:\s*text/html)", re.IGNORECASE)


@dataclass(frozen=True)
class ImageRef:
    path: str
    line: int
    alt: str
    src: str
    decorative: bool


@dataclass(frozen=True)
class LinkRef:
    path: str
    line: int
    slug: str | None  # None: a link inside the same module (#section)
    section: str | None


def media_kind(src: str) -> MediaKind:
    suffix = PurePosixPath(src.split("?", 1)[0]).suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return "image"


def media_name(src: str) -> str | None:
    """The file name inside the media folder for ``media/<name>``, or None when it points elsewhere."""
    if not src.startswith(MEDIA_PREFIX):
        return None
    name = src[len(MEDIA_PREFIX) :]
    parts = PurePosixPath(name).parts
    if not name or any(part in ("..", "") for part in parts) or name.startswith("/"):
        return None
    return name


def internal_target(href: str) -> tuple[str | None, str | None] | None:
    """``module:slug#sec`` -> (slug, sec); ``#sec`` -> (None, sec); anything else -> None."""
    if href.startswith("module:"):
        slug, _, section = href[len("module:") :].partition("#")
        return slug, section or None
    if href.startswith("#") and len(href) > 1:
        return None, href[1:]
    return None


def scan(parsed: ParsedModule) -> tuple[list[ImageRef], list[LinkRef]]:
    """Every image and internal link outside code and HTML comments."""
    images: list[ImageRef] = []
    links: list[LinkRef] = []
    for path, number, text in _content_lines(parsed):
        if (path, number) in parsed.verbatim:
            continue
        text = _INLINE_CODE_RE.sub("", text)
        for match in _IMAGE_RE.finditer(text):
            attrs = match.group(3) or ""
            decorative = DECORATIVE_CLASS in re.findall(r"\.([\w-]+)", attrs)
            images.append(ImageRef(path, number, match.group(1).strip(), match.group(2), decorative))
        for match in _LINK_RE.finditer(text):
            target = internal_target(match.group(1))
            if target is not None:
                links.append(LinkRef(path, number, *target))
    return images, links


@dataclass(frozen=True)
class ScriptLink:
    """A ``javascript:`` (or ``vbscript:``, ``data:text/html``) link, which sanitising removes at display."""

    path: str
    line: int
    href: str


def script_links(parsed: ParsedModule) -> list[ScriptLink]:
    """Links the reader will never see work: their author should hear it from the checker."""
    found = []
    for path, number, text in _content_lines(parsed):
        if (path, number) in parsed.verbatim:
            continue
        for match in _SCRIPT_URL_RE.finditer(_INLINE_CODE_RE.sub("", text)):
            found.append(ScriptLink(path, number, " ".join(match.group(1).split()).lower()))
    return found


def _content_lines(parsed: ParsedModule) -> Iterator[tuple[str, int, str]]:
    parts = list(parsed.intro) + [part for section in parsed.sections for part in section.parts]
    for part in parts:
        for number, text in part.lines:
            yield part.path, number, text
