"""The trainers' guide lists every message the checker can show and every front-matter key; the commands
the docs give run as written from the project folder, where ``make install`` puts ``elearn`` in ``.venv/bin``
(not on the PATH)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.content.messages import CATALOGUE
from elearn.content.validate import ALLOWED_KEYS

ROOT = Path(__file__).parents[2]
# Whitespace is collapsed: the guide wraps long messages over several lines, as Markdown allows.
GUIDE = " ".join((ROOT / "docs" / "authoring.md").read_text(encoding="utf-8").split())
#: A command line that runs ``elearn`` by its bare name (optionally after VAR=value assignments).
BARE_ELEARN = re.compile(r"^\s*(?:\S+=\S*\s+)*elearn\s")


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_message_is_explained_in_the_guide(name: str) -> None:
    template = CATALOGUE[name][1].replace("{{", "{").replace("}}", "}")
    fixed = " ".join(max(re.split(r"\{[a-z_]+\}", template), key=len).split())
    assert fixed in GUIDE, f"docs/authoring.md does not explain: {template}"


@pytest.mark.parametrize("key", ALLOWED_KEYS)
def test_every_front_matter_key_is_documented(key: str) -> None:
    assert f"`{key}`" in GUIDE


def _fenced_lines(text: str) -> list[str]:
    """The lines inside the ``` code blocks of a Markdown page."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append(line)
    return lines


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=lambda page: page.name)
def test_command_lines_in_the_docs_run_elearn_from_the_virtualenv(page: Path) -> None:
    bare = [line for line in _fenced_lines(page.read_text(encoding="utf-8")) if BARE_ELEARN.match(line)]
    assert bare == [], f"{page.name}: write .venv/bin/elearn, which is where make install puts it"


def test_the_guide_names_no_bare_elearn_command_inline() -> None:
    assert re.findall(r"`elearn [^`]*`", GUIDE) == []


def test_the_guide_says_what_make_check_runs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^check:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    assert f"`{recipe.replace('$(BIN)', '.venv/bin')}`" in GUIDE
