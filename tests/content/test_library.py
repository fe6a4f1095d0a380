"""The in-memory library: reload on change, last good version kept, no re-parse when nothing changed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from elearn.content import pipeline
from elearn.content.library import ModuleLibrary


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def library(tree: Path, clock: Clock) -> ModuleLibrary:
    return ModuleLibrary(tree / "modules", tree / "media", clock=clock)


def _edit(path: Path, old: str, new: str) -> None:
    """Change a file and move its mtime forward, as an editor saving a second later would."""
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_lists_good_modules_in_order(library: ModuleLibrary) -> None:
    assert [m.slug for m in library.modules()] == ["bases", "pratique"]
    assert library.get("pratique").title == "Pratique"
    assert library.get("inconnu") is None
    assert library.problems() == {"modules/01-bases": [], "modules/02-pratique.md": []}


def test_edited_file_is_served_without_restart_and_hash_changes(library, tree, clock) -> None:
    before = library.get("pratique")
    _edit(tree / "modules" / "02-pratique.md", "titre: Pratique", "titre: Cas pratiques")
    clock.now += 1.5
    assert library.refresh() is True
    after = library.get("pratique")
    assert after.title == "Cas pratiques"
    assert after.content_hash != before.content_hash
    assert library.get("bases") is not None


def test_broken_module_keeps_last_good_version_and_shows_problems(library, tree, clock) -> None:
    good = library.get("pratique")
    _edit(tree / "modules" / "02-pratique.md", "titre: Pratique", "titel: Pratique")
    clock.now += 1.5
    library.refresh()
    assert library.get("pratique") is good
    problems = [str(p) for p in library.problems()["modules/02-pratique.md"]]
    assert problems[0] == "modules/02-pratique.md:1: clé obligatoire « titre » absente de l'en-tête (le titre du module)"
    status = next(s for s in library.statuses() if s.path == "modules/02-pratique.md")
    assert (status.module is good, status.current, len(status.errors)) == (True, False, 2)
    assert [m.slug for m in library.modules()] == ["bases", "pratique"]


def test_new_broken_module_is_invisible_but_reported(library, tree, clock) -> None:
    library.modules()
    (tree / "modules" / "03-neuf.md").write_text("## Sans en-tête\n", encoding="utf-8")
    clock.now += 1.5
    library.refresh()
    assert library.get("neuf") is None
    assert [str(p) for p in library.all_problems()][0].startswith("modules/03-neuf.md:1: en-tête manquant")


def test_refresh_is_throttled_to_once_per_interval(library, tree, clock) -> None:
    library.modules()
    _edit(tree / "modules" / "02-pratique.md", "titre: Pratique", "titre: Autre")
    clock.now += 0.5
    assert library.refresh() is False
    assert library.get("pratique").title == "Pratique"
    clock.now += 0.6
    assert library.refresh() is True
    assert library.get("pratique").title == "Autre"


def test_nothing_is_parsed_again_when_nothing_changed(library, tree, clock, monkeypatch) -> None:
    library.modules()
    calls: list[str] = []
    original = pipeline.parse_module
    monkeypatch.setattr(pipeline, "parse_module", lambda source, base=None: calls.append(source.display) or original(source, base))
    for _ in range(5):
        clock.now += 2
        assert library.refresh() is False
        library.modules()
    assert calls == []
    _edit(tree / "modules" / "02-pratique.md", "titre: Pratique", "titre: Autre")
    clock.now += 2
    library.refresh()
    assert calls == ["modules/02-pratique.md"]  # only the changed module is parsed again


def test_adding_a_missing_media_file_fixes_the_module(library, tree, clock) -> None:
    (tree / "media" / "schema.svg").rename(tree / "media" / "ailleurs.svg")
    clock.now += 2
    library.refresh()
    assert library.problems()["modules/01-bases"]
    (tree / "media" / "ailleurs.svg").rename(tree / "media" / "schema.svg")
    clock.now += 2
    library.refresh()
    assert library.problems()["modules/01-bases"] == []


def test_concurrent_readers_always_see_a_complete_library(library, tree, clock) -> None:
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(50):
                library.refresh()
                assert {m.slug for m in library.modules()} == {"bases", "pratique"}
        except BaseException as exc:  # noqa: BLE001 - collected for the main thread
            errors.append(exc)

    # A complete version must have been served once: a module caught half-written by the very first
    # load has no last good version to fall back on (and takes down the modules that link to it).
    assert len(library.modules()) == 2
    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for n in range(5):
        _edit(tree / "modules" / "02-pratique.md", "Pratique", f"Pratique {n}")
        clock.now += 2
    for thread in threads:
        thread.join()
    assert errors == []


def test_emptied_section_file_keeps_the_last_good_version(library, tree, clock) -> None:
    good = library.get("bases")
    section_file = next(path for path in sorted((tree / "modules" / "01-bases").glob("*.md")) if path.name != "index.md")
    _edit(section_file, section_file.read_text(encoding="utf-8"), "")
    clock.now += 1.5
    library.refresh()
    assert library.get("bases") is good
    assert any("fichier vide" in str(problem) for problem in library.problems()["modules/01-bases"])
