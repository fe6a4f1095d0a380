"""Fixture modules for the content pipeline tests (tests/content/fixtures, never the shipped modules/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
ERRORS = FIXTURES / "errors"
MEDIA = FIXTURES / "media"
KNOWN_SECTIONS = {"bases": ["notions", "verifier"], "pratique": ["cas-pratique"]}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the good modules and their media: ``tmp/modules`` and ``tmp/media``."""
    shutil.copytree(GOOD, tmp_path / "modules")
    shutil.copytree(MEDIA, tmp_path / "media")
    return tmp_path
