"""Parse -> validate -> render, for one module or a whole modules folder.

These are the entry points the CLI, the library and the tests share, so a module is judged the same
way everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from elearn.content.model import ContentError, Module, Problem
from elearn.content.parse import ModuleSource, ParsedModule, discover, parse_module
from elearn.content.render import LinkResolver, MediaUrl, default_media_url, placeholder_resolver, render
from elearn.content.validate import validate, validate_tree


@dataclass
class TreeReport:
    """The outcome of reading a modules folder: every parsed module and every problem, by path."""

    parsed: list[ParsedModule] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)

    def all_problems(self) -> list[Problem]:
        return sorted(p for problems in self.problems.values() for p in problems)

    def has_errors(self, path: str) -> bool:
        return any(p.is_error for p in self.problems.get(path, []))


def load_module(
    path: Path,
    media_dir: Path,
    known_sections: Mapping[str, Collection[str]] | None = None,
    link_resolver: LinkResolver = placeholder_resolver,
    base: Path | None = None,
) -> Module:
    """Parse, validate and render one module; raise ContentError listing every error it has."""
    parsed = parse_module(path, base)
    problems = validate(parsed, media_dir, known_sections)
    if any(p.is_error for p in problems):
        raise ContentError([p for p in problems if p.is_error])
    return render(parsed, link_resolver)


def read_tree(
    modules_dir: Path,
    media_dir: Path,
    base: Path | None = None,
    cache: Mapping[str, ParsedModule] | None = None,
) -> TreeReport:
    """Parse every module of ``modules_dir`` (reusing ``cache`` entries whose hash is unchanged) and
    validate each one with the cross-module rules. ``cache`` is keyed by display path."""
    sources, naming_problems = discover(modules_dir, base)
    report = TreeReport()
    for problem in naming_problems:
        report.problems.setdefault(problem.path, []).append(problem)
    for source in sources:
        report.parsed.append(_parse_cached(source, base, cache or {}))
    known = {parsed.slug: [section.id for section in parsed.sections] for parsed in report.parsed}
    tree_problems = validate_tree(report.parsed)
    for parsed in report.parsed:
        own = validate(parsed, media_dir, known)
        shared = [p for p in tree_problems if _belongs(p, parsed)]
        report.problems[parsed.path] = sorted(set(own + shared))
    return report


def _parse_cached(source: ModuleSource, base: Path | None, cache: Mapping[str, ParsedModule]) -> ParsedModule:
    """Reuse the cached parse only when the caller says the files did not change (same signature)."""
    cached = cache.get(source.display)
    return cached if cached is not None else parse_module(source, base)


def _belongs(problem: Problem, parsed: ParsedModule) -> bool:
    return problem.path == parsed.path or problem.path.startswith(parsed.path + "/")


def check_tree(modules_dir: Path, media_dir: Path, base: Path | None = None) -> list[Problem]:
    """Every problem of every module in ``modules_dir``, cross-module rules included, sorted."""
    return read_tree(modules_dir, media_dir, base).all_problems()


def render_tree(
    report: TreeReport,
    link_resolver: LinkResolver = placeholder_resolver,
    media_url: MediaUrl = default_media_url,
) -> dict[str, Module]:
    """The rendered modules that have no error, by display path."""
    return {
        parsed.path: render(parsed, link_resolver, media_url)
        for parsed in report.parsed
        if not report.has_errors(parsed.path)
    }
