"""Parsing alone: structure, line numbers, ids and hashes; and the property that parsing never crashes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.content.model import ContentError
from elearn.content.parse import parse_module, slugify
from elearn.content.pipeline import load_module
from tests.content.conftest import FIXTURES, GOOD, MEDIA

VALID_MODULE = (GOOD / "01-bases" / "02-quiz.md").read_text(encoding="utf-8")
HEADER = "---\ntitre: T\nresume: R\nduree: 5\nobjectifs: [O]\nordre: 1\n---\n\n"
VALID_SINGLE = HEADER + VALID_MODULE


def test_folder_module_reads_index_then_files_in_name_order() -> None:
    parsed = parse_module(GOOD / "01-bases", FIXTURES)
    assert parsed.slug == "bases"
    assert parsed.path == "good/01-bases"
    assert [(s.id, s.path, s.line) for s in parsed.sections] == [
        ("notions", "good/01-bases/01-notions.md", 1),
        ("verifier", "good/01-bases/02-quiz.md", 1),
    ]
    assert parsed.front_lines["ordre"] == 8
    assert parsed.problems == []


def test_headings_and_blocks_inside_code_and_comments_are_text() -> None:
    parsed = parse_module(GOOD / "01-bases", FIXTURES)
    assert len(parsed.sections) == 2  # "## Ceci n'est pas une section" is in a code fence


def test_quiz_lines_are_numbered() -> None:
    parsed = parse_module(GOOD / "01-bases", FIXTURES)
    quiz = next(p for p in parsed.sections[1].parts if getattr(p, "kind", None) == "quiz")
    first = quiz.questions[0]
    assert (first.line, first.weight, [c.line for c in first.choices]) == (4, "2", [6, 8])
    assert first.choices[1].feedback == ["Non,", "la loi l'interdit."]


def test_slugify_is_ascii_lowercase_with_hyphens() -> None:
    assert slugify("Le refus de soins : qu'est-ce ?") == "le-refus-de-soins-qu-est-ce"
    assert slugify("Égalité & Accès") == "egalite-acces"


def test_content_hash_changes_with_any_file(tmp_path: Path) -> None:
    module = tmp_path / "01-essai.md"
    module.write_text(VALID_SINGLE, encoding="utf-8")
    before = parse_module(module).content_hash
    assert parse_module(module).content_hash == before
    module.write_text(VALID_SINGLE.replace("Légal", "Permis"), encoding="utf-8")
    assert parse_module(module).content_hash != before
    assert len(before) == 16


def _load_text(directory: Path, text: str) -> None:
    module = directory / "01-essai.md"
    module.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_module(module, MEDIA)
    except ContentError as exc:
        assert exc.problems and all(p.line >= 1 for p in exc.problems)


_FRAGMENTS = st.sampled_from(
    ["---", ":::", "::: quiz", "::: reflexion", "::: definition", "## ", "### ", "- (x) ", "- [ ] ", "  Retour : ",
     "Explication : ", "{poids=", "{#", "![", "](media/", "[^1]", "```", "<!--", "-->", "\n", "titre: ", "\t", ":"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_random_text_never_raises_anything_but_content_error(tmp_path: Path, text: str) -> None:
    _load_text(tmp_path, text.replace("\x00", ""))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_valid_module_never_raises_anything_but_content_error(tmp_path: Path, data: st.DataObject) -> None:
    lines = VALID_SINGLE.split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "swap"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, data.draw(_FRAGMENTS) + data.draw(st.text(max_size=20)))
        elif action == "truncate":
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]))))]
        else:
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    _load_text(tmp_path, "\n".join(lines).replace("\x00", ""))
