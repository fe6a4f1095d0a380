"""The modules as the running app sees them: parsed once, kept in memory, re-read when files change.

A refresh costs a directory listing and a few ``stat`` calls; files are parsed again only when their
modification time or size changed, and only those modules are re-rendered. A module that becomes broken
keeps serving its last good version while its problems are shown to trainers, so an edit in progress
never takes a module (or the others) away from learners.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from elearn.content.messages import problem
from elearn.content.model import Module, Problem
from elearn.content.parse import ParsedModule, discover
from elearn.content.pipeline import TreeReport, read_tree
from elearn.content.render import LinkResolver, MediaUrl, default_media_url, placeholder_resolver, render

logger = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class ModuleStatus:
    """One module as the trainer area lists it: what learners get, and what is wrong with the source."""

    path: str
    slug: str | None
    module: Module | None  # the version learners see: current, or the last good one, or None
    problems: tuple[Problem, ...]
    current: bool  # False when ``module`` is an older version kept because the source has errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


@dataclass(frozen=True)
class _Snapshot:
    """Everything readers need, swapped in one assignment so readers never see half an update."""

    modules: tuple[Module, ...] = ()
    by_slug: dict[str, Module] = field(default_factory=dict)
    statuses: tuple[ModuleStatus, ...] = ()


class ModuleLibrary:
    """Thread-safe in-memory cache of the modules folder (one per process)."""

    def __init__(
        self,
        modules_dir: Path,
        media_dir: Path,
        link_resolver: LinkResolver = placeholder_resolver,
        media_url: MediaUrl = default_media_url,
        *,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.modules_dir = Path(modules_dir)
        self.media_dir = Path(media_dir)
        self._base = self.modules_dir.parent
        self._resolve = link_resolver
        self._media_url = media_url
        self._min_interval = min_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._last_scan = float("-inf")
        self._tree_signature: tuple | None = None
        self._signatures: dict[str, Signature] = {}
        self._parsed: dict[str, ParsedModule] = {}
        self._rendered: dict[str, Module] = {}

    # Reading -------------------------------------------------------------------------------------

    def modules(self) -> tuple[Module, ...]:
        """Modules learners can see, in path order (``ordre``)."""
        return self._current().modules

    def get(self, slug: str) -> Module | None:
        return self._current().by_slug.get(slug)

    def problems(self) -> dict[str, list[Problem]]:
        """Problems per module path (every module listed, an empty list when it is clean)."""
        return {status.path: list(status.problems) for status in self._current().statuses}

    def all_problems(self) -> list[Problem]:
        return sorted(p for status in self._current().statuses for p in status.problems)

    def parsed(self, slug: str) -> ParsedModule | None:
        """The parse of the module's files as they are now, whatever their problems (for exports)."""
        self._current()
        return next((parsed for parsed in self._parsed.values() if parsed.slug == slug), None)

    def all_parsed(self) -> list[ParsedModule]:
        """The parse of every module's files as they are now (a draft is checked among them)."""
        self._current()
        return list(self._parsed.values())

    def statuses(self) -> tuple[ModuleStatus, ...]:
        """Every module source with its served version and its problems, for the trainer area."""
        return self._current().statuses

    def _current(self) -> _Snapshot:
        if self._snapshot is None:
            self.refresh(force=True)
        assert self._snapshot is not None
        return self._snapshot

    # Refreshing ----------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Re-read changed files; at most once per ``min_interval`` seconds unless ``force``.

        Returns True when something changed. A thread that finds another one refreshing does not wait:
        it keeps serving the current snapshot.
        """
        now = self._clock()
        if not force and self._snapshot is not None and now - self._last_scan < self._min_interval:
            return False
        if not self._lock.acquire(blocking=self._snapshot is None or force):
            return False
        try:
            self._last_scan = now
            signatures, tree_signature = self._scan()
            if self._snapshot is not None and tree_signature == self._tree_signature:
                return False
            self._reload(signatures)
            self._tree_signature = tree_signature
            return True
        finally:
            self._lock.release()

    def _scan(self) -> tuple[dict[str, Signature], tuple]:
        """File signatures (name, mtime, size) per module, plus the media names and naming problems."""
        sources, naming = discover(self.modules_dir, self._base)
        signatures = {source.display: _signature(source.files) for source in sources}
        media = tuple(sorted(p.name for p in self.media_dir.iterdir())) if self.media_dir.is_dir() else ()
        tree = (tuple(sorted(signatures.items())), media, tuple(naming))
        return signatures, tree

    def _reload(self, signatures: dict[str, Signature]) -> None:
        unchanged = {
            path: parsed for path, parsed in self._parsed.items() if self._signatures.get(path) == signatures.get(path)
        }
        report = read_tree(self.modules_dir, self.media_dir, self._base, unchanged)
        self._signatures = signatures
        self._parsed = {parsed.path: parsed for parsed in report.parsed}
        statuses = [self._status(parsed, report) for parsed in report.parsed]
        statuses += [
            ModuleStatus(path, None, None, tuple(problems), False)
            for path, problems in report.problems.items()
            if path not in self._parsed
        ]
        self._rendered = {s.path: s.module for s in statuses if s.module is not None}
        self._snapshot = _build_snapshot(statuses)

    def _status(self, parsed: ParsedModule, report: TreeReport) -> ModuleStatus:
        problems = list(report.problems.get(parsed.path, []))
        previous = self._rendered.get(parsed.path)
        if any(p.is_error for p in problems):
            return ModuleStatus(parsed.path, parsed.slug, previous, tuple(problems), False)
        if previous is not None and previous.content_hash == parsed.content_hash:
            return ModuleStatus(parsed.path, parsed.slug, previous, tuple(problems), True)
        try:
            module = render(parsed, self._resolve, self._media_url)
        except Exception as exc:  # noqa: BLE001 - one module's failure must not take the others down
            logger.exception("rendering %s failed", parsed.path)
            problems.append(problem("render_failed", parsed.path, 1, detail=exc.__class__.__name__))
            return ModuleStatus(parsed.path, parsed.slug, previous, tuple(problems), False)
        return ModuleStatus(parsed.path, parsed.slug, module, tuple(problems), True)


def _signature(files: tuple[Path, ...]) -> Signature:
    entries = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            entries.append((str(file), -1, -1))
            continue
        entries.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def _build_snapshot(statuses: list[ModuleStatus]) -> _Snapshot:
    """Order modules by ``ordre`` then slug; on a duplicated slug the first in that order wins."""
    ordered = sorted(statuses, key=lambda s: (s.module is None, s.module.order if s.module else 0, s.path))
    by_slug: dict[str, Module] = {}
    for status in ordered:
        if status.module is not None:
            by_slug.setdefault(status.module.slug, status.module)
    modules = tuple(m for m in by_slug.values())
    return _Snapshot(modules, by_slug, tuple(ordered))
