"""Assemble a package: pages, shared assets, media and (SCORM) ``imsmanifest.xml``, in one ZIP.

Everything the pages use is inside the ZIP (no CDN, no call home). The ZIP is reproducible: entries in
a fixed order with a fixed date, so rebuilding unchanged modules gives the same bytes. A file target is
written beside its final name and renamed at the end, so a failed build never leaves half a package.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from elearn.packaging import pages
from elearn.packaging.manifest import build_manifest
from elearn.packaging.source import MEDIA_FOLDER, PackageContent, select_modules

FORMATS = ("scorm12", "scorm2004", "html")
PACKAGE_ROOT = Path(__file__).resolve().parent
STATIC = PACKAGE_ROOT.parent / "static"
#: The shared files every page uses, by their name in the package.
SHARED_ASSETS = {
    "shared/elearn.css": STATIC / "css" / "elearn.css",
    "shared/favicon.svg": STATIC / "favicon.svg",
    "shared/active-time.js": STATIC / "js" / "active-time.js",
    "shared/rules.js": PACKAGE_ROOT / "assets" / "rules.js",
    "shared/stores.js": PACKAGE_ROOT / "assets" / "stores.js",
    "shared/player.js": PACKAGE_ROOT / "assets" / "player.js",
}
_FIXED_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageResult:
    content: PackageContent
    format: str
    files: int
    size: int

    @property
    def filename(self) -> str:
        """A download name that says what the package holds and which version."""
        return f"elearn-{self.content.slug}-{self.format}-{self.content.version[:10]}.zip"


def build_package(
    modules_dir: Path, media_dir: Path, output: Path | BinaryIO, fmt: str, slug: str | None = None, whole_path: bool = False
) -> PackageResult:
    """Build the package of module ``slug`` (or of the whole path) into ``output`` (a path or a binary stream).

    Raises ContentError when a module has errors, PackagingError for an unknown module or a bad path file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown package format {fmt!r}")
    content = select_modules(Path(modules_dir), Path(media_dir), slug, whole_path, cross_links=fmt == "html")
    entries = _entries(content, fmt, Path(media_dir))
    if isinstance(output, (str, Path)):
        size = _write_file(Path(output), entries)
    else:
        size = _write(output, entries)
    return PackageResult(content, fmt, len(entries), size)


def _entries(content: PackageContent, fmt: str, media_dir: Path) -> dict[str, bytes]:
    """Every file of the package by its name in the ZIP, the manifest first."""
    files: dict[str, bytes] = {}
    module_files: dict[str, list[str]] = {}
    for module in content.modules:
        name = f"{module.slug}/index.html"
        files[name] = pages.render_module(module, content, fmt).encode()
        module_files[module.slug] = [quote(name)]
    if fmt == "html":
        files["index.html"] = pages.render_home(content).encode()
        files["recapitulatif.html"] = pages.render_summary(content).encode()
    for name, source in SHARED_ASSETS.items():
        files[name] = source.read_bytes()
    for name in content.media:
        files[f"{MEDIA_FOLDER}/{name}"] = (media_dir / name).read_bytes()
    if fmt != "html":
        shared = [quote(n) for n in files if not n.endswith("/index.html")]
        manifest = build_manifest(content, fmt, module_files, shared)
        files = {"imsmanifest.xml": manifest, **files}
    return files


def _write(stream: BinaryIO, entries: dict[str, bytes]) -> int:
    start = stream.tell() if stream.seekable() else 0
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return (stream.tell() - start) if stream.seekable() else 0


def _write_file(target: Path, entries: dict[str, bytes]) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            size = _write(stream, entries)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return size


def build_to_bytes(modules_dir: Path, media_dir: Path, fmt: str, slug: str | None = None, whole_path: bool = False) -> tuple[bytes, PackageResult]:
    """The package in memory, for a download."""
    buffer = io.BytesIO()
    result = build_package(modules_dir, media_dir, buffer, fmt, slug, whole_path)
    return buffer.getvalue(), result
