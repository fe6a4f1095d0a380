"""Which modules go into a package, rendered for it: one module by slug, or the whole path in its order.

A package is built from the module files, never from the last good version the web app may still serve:
a module with an error is refused, with the checker's messages, because an LMS would keep playing a
broken package long after the source was fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from elearn.certificates.path import PathConfigError, load_path
from elearn.content.model import ContentError, Module
from elearn.content.parse import ParsedModule
from elearn.content.pipeline import read_tree
from elearn.content.render import render

#: Folder of the package that holds the media files, beside the modules' folders.
MEDIA_FOLDER = "media"


class PackagingError(Exception):
    """A package cannot be built for a reason other than the modules' content (unknown slug, bad path file)."""


@dataclass(frozen=True)
class PackageContent:
    """The modules of one package, rendered with the package's own links, and the media they show."""

    title: str
    modules: tuple[Module, ...]
    media: tuple[str, ...]  # names inside the media folder
    whole_path: bool

    @property
    def version(self) -> str:
        """The content version: the module's content hash, or a hash of the path's module hashes."""
        if len(self.modules) == 1 and not self.whole_path:
            return self.modules[0].content_hash
        joined = "\n".join(f"{m.slug}:{m.content_hash}" for m in self.modules)
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    @property
    def slug(self) -> str:
        return "parcours" if self.whole_path else self.modules[0].slug


def select_modules(modules_dir: Path, media_dir: Path, slug: str | None, whole_path: bool, *, cross_links: bool) -> PackageContent:
    """Read the modules folder and render the package's modules; raise ContentError if one has an error.

    ``cross_links``: links to another module of the package lead to it (the HTML edition); in SCORM,
    where each module is a separate activity the LMS launches, they stay plain anchors.
    """
    report = read_tree(modules_dir, media_dir, modules_dir.parent)
    by_slug = _by_slug(report.parsed)
    title, slugs = _wanted(modules_dir, media_dir, slug, whole_path, by_slug)
    chosen = [by_slug[s] for s in slugs]
    errors = [p for parsed in chosen for p in report.problems.get(parsed.path, []) if p.is_error]
    if errors:
        raise ContentError(errors)
    media: set[str] = set()

    def media_url(name: str) -> str:
        media.add(name)
        return f"../{MEDIA_FOLDER}/{quote(name)}"

    rendered = tuple(render(parsed, _link_resolver(parsed.slug, slugs, cross_links), media_url) for parsed in chosen)
    if not title:
        title = rendered[0].title
    return PackageContent(title, rendered, tuple(sorted(media)), whole_path)


def _by_slug(parsed_modules: list[ParsedModule]) -> dict[str, ParsedModule]:
    """Modules by slug in path order (``ordre``, then path); on a duplicated slug the first wins, as in the library."""
    def order(parsed: ParsedModule) -> tuple[int, str]:
        value = parsed.front.get("ordre")
        return (value if isinstance(value, int) and not isinstance(value, bool) else 0, parsed.path)

    by_slug: dict[str, ParsedModule] = {}
    for parsed in sorted(parsed_modules, key=order):
        by_slug.setdefault(parsed.slug, parsed)
    return by_slug


def _link_resolver(own: str, slugs: list[str], cross_links: bool):  # noqa: ANN202 - a LinkResolver
    """Links inside the module become anchors of its single page; to another module, see ``select_modules``."""

    def link(target: str, section: str | None) -> str:
        if target == own:
            return f"#{section}" if section else "#accueil-module"
        if cross_links and target in slugs:
            return f"../{quote(target)}/index.html" + (f"#{section}" if section else "")
        return f"#module-{target}"

    return link


def _wanted(
    modules_dir: Path, media_dir: Path, slug: str | None, whole_path: bool, by_slug: dict[str, ParsedModule]
) -> tuple[str, list[str]]:
    """The package's title (empty: the module's) and its module slugs, in order."""
    if not whole_path:
        if slug not in by_slug:
            known = ", ".join(by_slug) or "aucun"
            raise PackagingError(f"Module « {slug} » introuvable dans {modules_dir} (modules : {known}).")
        return "", [slug]
    try:
        path = load_path(modules_dir, media_dir)
    except PathConfigError as error:
        raise PackagingError("parcours.yml n'est pas valide :\n" + "\n".join(error.problems)) from error
    if path is None:
        return "Parcours de formation", list(by_slug)
    missing = [s for s in path.required_modules if s not in by_slug]
    if missing:
        raise PackagingError(f"parcours.yml cite des modules introuvables : {', '.join(missing)}.")
    return path.title, list(path.required_modules)


def module_slugs(modules_dir: Path, media_dir: Path) -> list[str]:
    """The slugs of the modules folder, in path order (``ordre``), for rebuilding every package."""
    report = read_tree(modules_dir, media_dir, modules_dir.parent)
    return list(_by_slug(report.parsed))
