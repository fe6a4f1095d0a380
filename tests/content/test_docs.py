"""The trainers' guide lists every message the checker can show, and every front-matter key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.content.messages import CATALOGUE
from elearn.content.validate import ALLOWED_KEYS

# Whitespace is collapsed: the guide wraps long messages over several lines, as Markdown allows.
GUIDE = " ".join((Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8").split())


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_message_is_explained_in_the_guide(name: str) -> None:
    template = CATALOGUE[name][1].replace("{{", "{").replace("}}", "}")
    fixed = " ".join(max(re.split(r"\{[a-z_]+\}", template), key=len).split())
    assert fixed in GUIDE, f"docs/authoring.md does not explain: {template}"


@pytest.mark.parametrize("key", ALLOWED_KEYS)
def test_every_front_matter_key_is_documented(key: str) -> None:
    assert f"`{key}`" in GUIDE
