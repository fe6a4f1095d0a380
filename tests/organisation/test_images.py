"""Uploaded signature and logo: judged by their content, bounded, stored as a clean PNG; SVG refused."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from elearn.organisation.images import MAX_UPLOAD_BYTES, ImageRejected, checked_png, sniff

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def picture(format_: str, size: tuple[int, int] = (120, 40), **options: object) -> bytes:
    output = BytesIO()
    Image.new("RGB", size, "white").save(output, format=format_, **options)
    return output.getvalue()


def rejected(content: bytes) -> str:
    with pytest.raises(ImageRejected) as caught:
        checked_png(content)
    return caught.value.message


@pytest.mark.parametrize("format_", ["PNG", "JPEG"])
def test_png_and_jpeg_are_stored_as_png(format_):
    stored = checked_png(picture(format_))
    with Image.open(BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (120, 40))


def test_the_type_comes_from_the_content_not_the_name():
    assert sniff(picture("JPEG")) == "JPEG" and sniff(b"  \n<svg width='1'/>") == "SVG" and sniff(b"GIF89a") is None


def test_svg_is_refused_whatever_its_name():
    assert rejected(SVG) == "Les images SVG ne sont pas acceptées : enregistrez l'image au format PNG ou JPEG."


def test_other_files_are_refused():
    assert rejected(b"%PDF-1.7 ...") == "Ce fichier n'est pas une image PNG ou JPEG."
    assert rejected(b"") == "Le fichier est vide."


def test_a_damaged_image_is_refused():
    assert rejected(picture("PNG")[:60]).startswith("Cette image est illisible ou endommagée")


def test_size_is_bounded_in_bytes_and_pixels():
    assert rejected(picture("PNG") + b"\0" * MAX_UPLOAD_BYTES).startswith("L'image dépasse 1024 Ko")
    assert rejected(picture("PNG", (5000, 4000))) == "L'image est trop grande (4 000 × 4 000 pixels au plus)."


def test_nothing_appended_to_the_upload_survives():
    payload = b"<script>alert(1)</script>"
    stored = checked_png(picture("PNG", pnginfo=None) + payload)
    assert payload not in stored


def test_wide_images_are_scaled_down():
    with Image.open(BytesIO(checked_png(picture("PNG", (2400, 600))))) as image:
        assert image.size == (1200, 300)


def test_a_damaged_image_is_refused_even_after_weasyprint_loosened_pillow():
    """WeasyPrint, imported for certificates, sets Pillow to accept truncated files for the whole process."""
    from PIL import ImageFile

    import weasyprint  # noqa: F401 - its import is what loosens Pillow

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert rejected(picture("PNG")[:60]).startswith("Cette image est illisible ou endommagée")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it
