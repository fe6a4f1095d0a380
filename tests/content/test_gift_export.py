"""``elearn export-gift``: quizzes out to Moodle, and back through ``import-gift`` without a loss.

The round trip is a property: any module the checker accepts, exported then imported, gives the same
questions, weights, choices, feedback and explanations. The shipped modules are checked the same way.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from elearn.cli.content import export_gift_command
from elearn.content.blocks import RawQuestion
from elearn.content.gift import convert_gift
from elearn.content.gift_export import export_gift
from elearn.content.parse import RawBlock, parse_module
from elearn.content.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(path for path in (ROOT / "modules").iterdir() if path.is_dir())


def questions(markdown_module: Path) -> list[tuple]:
    """Every question of a module as comparable values (text as written, whitespace folded)."""
    parsed = parse_module(markdown_module, markdown_module.parent)
    found = []
    for section in parsed.sections:
        for part in section.parts:
            if isinstance(part, RawBlock) and part.kind == "quiz":
                found += [_shape(question) for question in part.questions]
    return found


def _fold(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _shape(question: RawQuestion) -> tuple:
    choices = [(_fold(choice.text), choice.correct, _fold(choice.feedback), choice.style) for choice in question.choices]
    if sorted(text.lower() for text, *_ in choices) == ["faux", "vrai"]:
        choices = sorted(choices)  # GIFT's true/false question has no order of its own
    explanation = "\n".join(line.rstrip() for line in question.explanation).strip()
    return question.prompt_text, float((question.weight or "1").replace(",", ".")), choices, explanation


def round_trip(module: Path, folder: Path) -> tuple[list[tuple], list[tuple]]:
    exported = export_gift(parse_module(module, module.parent))
    imported = folder / "99-retour.md"
    result = convert_gift(exported.text, "retour", order=99)
    assert result.skipped == []
    imported.write_text(result.markdown, encoding="utf-8")
    assert [p for p in validate(parse_module(imported, folder), folder) if p.is_error] == []
    return questions(module), questions(imported)


@pytest.mark.parametrize("module", SHIPPED, ids=[path.name for path in SHIPPED])
def test_shipped_modules_come_back_unchanged(module, tmp_path):
    before, after = round_trip(module, tmp_path)
    assert after == before


# Texts made of what GIFT and Markdown both give meaning to, and French.
_CHARS = st.sampled_from(list("abcéèàç ÉOK12?!.,;'«»()-*_[]`~=#{}:\\%/>&<$") + [" -> ", "TRUE", "F", "%50%", "####", "//"])
line_text = st.lists(_CHARS, min_size=1, max_size=25).map("".join).map(lambda text: " ".join(text.split())).filter(
    lambda text: text and not text.startswith(("#", "-", "+", "*", ">", "(", "[", "Retour", "Explication", "//"))
    and "<!--" not in text and "poids" not in text and not text[0].isdigit()
)


@st.composite
def quiz_questions(draw) -> str:
    kind = draw(st.sampled_from(["single", "multiple", "true_false"]))
    weight = draw(st.sampled_from([None, "2", "3", "1.5"]))
    prompt = draw(line_text)
    if kind == "true_false":
        right = draw(st.booleans())
        texts, correct = ["Vrai", "Faux"], [right, not right]
    else:
        texts = draw(st.lists(line_text, min_size=2, max_size=5, unique_by=lambda text: text.lower()))
        if kind == "single":
            chosen = draw(st.integers(0, len(texts) - 1))
            correct = [index == chosen for index in range(len(texts))]
        else:
            correct = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).filter(any))
    lines = [f"### {prompt}" + (f" {{poids={weight}}}" if weight else ""), ""]
    for text, good in zip(texts, correct, strict=True):
        box = ("[x]" if good else "[ ]") if kind == "multiple" else ("(x)" if good else "( )")
        lines.append(f"- {box} {text}")
        if feedback := draw(st.one_of(st.none(), line_text)):
            lines.append(f"  Retour : {feedback}")
    explanation = draw(st.lists(st.one_of(line_text, st.just("")), max_size=3))
    if any(explanation):
        first, *rest = [line for line in explanation]
        lines += ["", f"Explication : {first}", *rest]
    return "\n".join(lines + [""])


modules = st.lists(quiz_questions(), min_size=1, max_size=4).map(
    lambda quiz: "---\ntitre: Essai\nresume: Un essai.\nduree: 5\nobjectifs:\n  - Tester\nordre: 1\n---\n\n"
    "## Quiz {#quiz}\n\n::: quiz\n" + "\n".join(quiz) + ":::\n"
)


@settings(deadline=None, max_examples=60)
@given(modules)
def test_export_then_import_gives_the_same_questions(module_text):
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "01-essai.md"
        module.write_text(module_text, encoding="utf-8")
        assume(not [p for p in validate(parse_module(module, Path(folder)), Path(folder)) if p.is_error])
        before, after = round_trip(module, Path(folder))
    assert after == before


def test_what_gift_cannot_carry_is_listed_at_its_line():
    exported = export_gift(parse_module(ROOT / "modules" / "03-criteres", ROOT))
    notices = [str(notice) for notice in exported.notices]
    assert any(n.startswith("modules/03-criteres/index.md:") and "seuil de réussite" in n for n in notices)
    assert any("05-combinaisons.md" in n and "reflexion" in n for n in notices)
    assert any("poids 2" in n for n in notices)
    assert exported.text.startswith("// Questions du module « Les quatre critères »")
    assert "// poids: 2\n::" in exported.text
    assert "[markdown]" in exported.text and "~%-100%" in exported.text


def test_cli_writes_the_bank_and_lists_what_stays_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    output = tmp_path / "criteres.gift.txt"
    result = CliRunner().invoke(export_gift_command, ["criteres", "-o", str(output)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "Questions exportées : 10" in result.stderr and "reflexion" in result.stderr
    assert output.read_text(encoding="utf-8").startswith("// Questions du module")


def test_cli_refuses_a_module_with_errors_with_the_checker_messages(tmp_path, monkeypatch):
    (tmp_path / "modules").mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "modules" / "01-casse.md").write_text("---\ntitre: Cassé\n---\n\n## A\n\n::: quiz\n### Q ?\n- (x) a\n- (x) b\n:::\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(export_gift_command, ["casse", "--dir", "modules", "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 1
    assert "modules/01-casse.md:" in result.stderr and "rien n'a été exporté" in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_cli_names_an_unknown_module(tmp_path, monkeypatch):
    (tmp_path / "modules").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(export_gift_command, ["inconnu", "--dir", "modules"])
    assert result.exit_code != 0 and "Module introuvable : « inconnu »" in result.stderr
