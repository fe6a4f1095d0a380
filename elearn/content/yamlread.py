"""Reading YAML written by authors (module front matter, ``parcours.yml``) without letting it hurt.

PyYAML's safe loader builds no Python object, but it still expands aliases: a « billion laughs » block
(``&l0 [lol, …]``, ``&l1 [*l0, *l0, …]``, nine levels, 11 KB on disk) becomes a value that no message
and no page can print without gigabytes of memory. Authors have no use for anchors and aliases in a
few lines of header, so an alias is refused, with its line: what is read is then never larger than
the text. The text is parsed once, into nodes (which keep each key's line) and data built from them.

PyYAML explains its errors in English; :func:`describe_error` gives the French hint of
:data:`elearn.content.messages.YAML_HINTS` when one is known,
and the line where the author should look (for an unclosed quote: where the quote opened, not the end
of the header where PyYAML noticed it).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent

from elearn.content.messages import ALIAS_REFUSED, yaml_detail


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (``*name``) where it would otherwise share or expand a node."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, ALIAS_REFUSED, event.start_mark)
        return super().compose_node(parent, index)  # type: ignore[misc]


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """The root node (None for an empty text) and the data of a YAML text, aliases refused.

    Raises :class:`yaml.YAMLError` for unreadable YAML (see :func:`describe_error`), ``ValueError`` or
    ``TypeError`` for a scalar PyYAML cannot build (« 2024-13-45 »), ``RecursionError`` for absurd nesting.
    """
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def describe_error(error: yaml.YAMLError) -> tuple[int | None, str]:
    """The 0-based line of the text to point at (None if unknown) and the explanation, in French."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if "quoted scalar" in context and context_mark is not None:  # noticed at the end, opened here
        return context_mark.line, yaml_detail(context)
    mark = problem_mark or context_mark
    return (mark.line if mark is not None else None), yaml_detail(problem, context)
