"""The modules as reports name them: slug, title and nominal duration, in path order.

Reports read progress rows that refer to modules by slug. A module may have been removed or renamed since
(or the content library may be unavailable), so every lookup falls back to the slug itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleInfo:
    """What a report needs to know about one module."""

    slug: str
    title: str
    duration_minutes: int | None = None
    content_hash: str | None = None


class Catalog:
    """Modules in path order, looked up by slug with a fallback for unknown slugs."""

    def __init__(self, modules: Iterable[ModuleInfo] = ()) -> None:
        self._modules = tuple(modules)
        self._by_slug = {module.slug: module for module in self._modules}

    @classmethod
    def from_library(cls, library: object) -> Catalog:
        """Build from the content library (anything with ``modules()`` returning parsed modules)."""
        return cls(
            ModuleInfo(m.slug, m.title, m.duration_minutes, m.content_hash)
            for m in library.modules()  # type: ignore[attr-defined]
        )

    @property
    def modules(self) -> tuple[ModuleInfo, ...]:
        return self._modules

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(module.slug for module in self._modules)

    def get(self, slug: str) -> ModuleInfo:
        """The module, or a stand-in titled by its slug when the library does not know it."""
        return self._by_slug.get(slug) or ModuleInfo(slug, slug)

    def title(self, slug: str) -> str:
        return self.get(slug).title

    def ordered(self, slugs: Iterable[str]) -> list[ModuleInfo]:
        """``slugs`` (e.g. found in progress rows) in path order, unknown ones last by name."""
        position = {slug: index for index, slug in enumerate(self.slugs)}
        unique = set(slugs)
        return [self.get(s) for s in sorted(unique, key=lambda s: (position.get(s, len(position)), s))]


def current_catalog() -> Catalog:
    """The running app's modules; empty while the content library is not installed or wired.

    Imported lazily: the library lives in the web layer's app extensions, and reports must still work
    (naming modules by slug) when it is missing.
    """
    try:
        from elearn.web.modules import get_library

        return Catalog.from_library(get_library())
    except (ImportError, KeyError):
        return Catalog()
