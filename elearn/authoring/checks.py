"""A draft judged and rendered exactly as ``elearn check`` and the site would: the same pipeline.

The draft's files are written to a private temporary folder and read by the content pipeline, with
the other modules (for links and for the rules across modules) and the real media folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from elearn.authoring.files import Files
from elearn.content.model import Module, Problem
from elearn.content.parse import ParsedModule, parse_module, source_for
from elearn.content.render import LinkResolver, MediaUrl, render
from elearn.content.validate import validate, validate_tree


@dataclass(frozen=True)
class DraftReport:
    """What the pipeline says about a draft: its problems and, when it could render, the module."""


    problems: tuple[Problem, ...]
    module: Module | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def check_draft(
    slug: str,
    files: Files,
    media_dir: Path,
    others: list[ParsedModule],
    link_resolver: LinkResolver,
    media_url: MediaUrl,
) -> DraftReport:
    """Parse, validate (alone and among ``others``) and render the draft's ``files``.

    Problem paths are relative to ``modules/`` (``02-definition/01-x.md``), as in ``elearn check``.
    """
    with tempfile.TemporaryDirectory(prefix="elearn-draft-") as folder:
        base = Path(folder)
        for name, text in files.items():
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        entry = next(iter(files)).split("/", 1)[0]
        source = source_for(base / entry, base)
        source.slug = slug
        parsed = parse_module(source, base)
    others = [other for other in others if other.slug != slug]
    known = {other.slug: [s.id for s in other.sections] for other in [*others, parsed]}
    problems = validate(parsed, media_dir, known)
    problems += [p for p in validate_tree([*others, parsed]) if p.path == parsed.path or p.path.startswith(parsed.path + "/")]
    problems = tuple(sorted(set(problems)))
    try:
        # Rendered even with errors, so the preview follows the text; a module with errors is never published.
        module = render(parsed, link_resolver, media_url)
    except Exception:  # noqa: BLE001 - a half-written text may break rendering; its problems say why
        module = None
    return DraftReport(problems, module)
