"""Checking an uploaded signature or logo before it is stored and printed on certificates.

An upload is judged by its content, never by its name or declared type: the first bytes must be a
PNG or JPEG signature, Pillow must decode the whole image, and its size is bounded in bytes and in
pixels (a small file can expand to gigabytes). SVG is refused: it is a document that can carry
scripts and external references, and sanitising it well is a project of its own, while any
signature or logo exists as PNG. What is stored is the decoded image re-encoded as PNG, so no
metadata, trailing payload or polyglot content from the upload survives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from PIL import Image, ImageFile, UnidentifiedImageError

from elearn.i18n import _

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_PIXELS = 4000 * 4000
#: Stored images are scaled down to this width at most: a signature or a logo is printed a few cm wide.
MAX_STORED_WIDTH = 1200
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class ImageRejected(ValueError):
    """The upload is not an acceptable image; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff(content: bytes) -> str | None:
    """« PNG », « JPEG », « SVG » or None, from the first bytes (the name and declared type are ignored)."""
    for magic, kind in _MAGIC.items():
        if content.startswith(magic):
            return kind
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        return "SVG"
    return None


#: Uploads decoded one at a time while the flag is lowered (several threads may serve requests).
_DECODING = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow refusing truncated files while the upload is decoded.

    WeasyPrint, once imported (a worker's first certificate PDF), sets Pillow's process-wide
    ``LOAD_TRUNCATED_IMAGES``, which would let a damaged upload through as a half-grey picture.
    """
    with _DECODING:
        previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def checked_png(content: bytes) -> bytes:
    """The upload as a clean PNG, or :class:`ImageRejected` with the reason."""
    if not content:
        raise ImageRejected(_("Le fichier est vide."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImageRejected(_("L'image dépasse %(max)d Ko : réduisez-la avant de l'envoyer.", max=MAX_UPLOAD_BYTES // 1024))
    kind = sniff(content)
    if kind == "SVG":
        raise ImageRejected(_("Les images SVG ne sont pas acceptées : enregistrez l'image au format PNG ou JPEG."))
    if kind is None:
        raise ImageRejected(_("Ce fichier n'est pas une image PNG ou JPEG."))
    try:
        with _strict_decoding(), Image.open(BytesIO(content), formats=[kind]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(_("L'image est trop grande (4 000 × 4 000 pixels au plus)."))
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageRejected(_("Cette image est illisible ou endommagée : enregistrez-la de nouveau en PNG ou JPEG.")) from error
    if picture.width > MAX_STORED_WIDTH:
        picture = picture.resize((MAX_STORED_WIDTH, max(1, round(picture.height * MAX_STORED_WIDTH / picture.width))))
    output = BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()
