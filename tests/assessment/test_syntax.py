"""The certifying mode of the quiz syntax: what the braces mean, and what ``elearn check`` says of mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.assessment.bank import bank_problems, load_bank
from elearn.content.model import Certifying
from elearn.content.parse import parse_module
from elearn.content.render import render
from elearn.content.validate import validate
from tests.assessment.conftest import BANK

QUESTIONS = """
### Première ?

- (x) Oui
- ( ) Non

### Seconde ?

- (x) Oui
- ( ) Non
"""


def _module(tmp_path: Path, opening: str, front: str = "titre: Banque\n") -> Path:
    file = tmp_path / "_banque.md"
    file.write_text(f"---\n{front}---\n\n## Questions\n\n::: quiz Évaluation {opening}\n{QUESTIONS}:::\n", encoding="utf-8")
    return file


def _messages(tmp_path: Path, opening: str) -> list[str]:
    _module(tmp_path, opening)
    return [p.message for p in bank_problems(tmp_path, tmp_path, "_banque.md") if p.is_error]


def test_the_braces_give_the_draw_the_attempts_and_the_pass_mark(tmp_path):
    _module(tmp_path, "{certifiant tirage=1 tentatives=3 seuil=80}")
    bank = load_bank(tmp_path, tmp_path, "_banque.md")
    assert bank.rules == Certifying(draw=1, attempts=3, pass_mark=80)
    assert bank.quiz.title == "Évaluation"


def test_a_certifying_quiz_without_numbers_draws_everything_once_at_seventy(tmp_path):
    _module(tmp_path, "{certifiant}")
    assert load_bank(tmp_path, tmp_path, "_banque.md").rules == Certifying(draw=None, attempts=1, pass_mark=70)


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("{certifiant tirages=2}", "option de quiz inconnue « tirages=2 »"),
        ("{tirage=1}", "ne valent que pour un quiz certifiant"),
        ("{certifiant tirage=deux}", "« tirage=deux » : tirage doit être un nombre entier supérieur ou égal à 1"),
        ("{certifiant seuil=120}", "« seuil=120 » : seuil doit être un nombre entier entre 0 et 100"),
        ("{certifiant tentatives=0}", "tentatives doit être un nombre entier supérieur ou égal à 1"),
        ("{certifiant tentatives=2 tentatives=3}", "l'option « tentatives » est écrite deux fois"),
        ("{certifiant tirage=5}", "tirage=5, mais le quiz n'a que 2 question(s)"),
        ("", "le quiz de la banque d'évaluation doit être certifiant"),
    ],
)
def test_the_checker_explains_every_mistake_in_the_braces(tmp_path, opening, expected):
    assert any(expected in message for message in _messages(tmp_path, opening)), _messages(tmp_path, opening)


def test_a_question_names_the_passage_that_teaches_it(tmp_path):
    file = _module(tmp_path, "{certifiant}")
    file.write_text(file.read_text(encoding="utf-8").replace("### Première ?", "### Première ? {poids=2 renvoi=definition#loi-2008}")
                    .replace("### Seconde ?", "### Seconde ? {renvoi=definition#inconnue pois=3}"), encoding="utf-8")
    known = {"definition": ["loi-2008"]}
    messages = [p.message for p in bank_problems(tmp_path, tmp_path, "_banque.md", known_sections=known)]
    assert any("renvoi vers un passage inconnu « definition#inconnue »" in m for m in messages), messages
    assert any("option de question inconnue « pois=3 »" in m for m in messages), messages
    assert len(messages) == 2
    first = render(parse_module(file)).quizzes[0].questions[0]
    assert (first.weight, first.reference) == (2.0, ("definition", "loi-2008"))


def test_a_bank_needs_only_a_title_and_exactly_one_quiz(tmp_path):
    file = _module(tmp_path, "{certifiant}")
    assert bank_problems(tmp_path, tmp_path, "_banque.md") == []
    file.write_text(file.read_text(encoding="utf-8") + "\n## Encore\n\n::: quiz\n" + QUESTIONS + ":::\n", encoding="utf-8")
    assert any("un seul quiz, certifiant (trouvé : 2)" in p.message for p in bank_problems(tmp_path, tmp_path, "_banque.md"))


def test_a_module_quiz_cannot_be_certifying(tmp_path):
    file = _module(tmp_path, "{certifiant}", front="titre: M\nresume: R\nduree: 5\nobjectifs: [o]\nordre: 1\n")
    problems = validate(parse_module(file), tmp_path)
    assert [p.message for p in problems if "un quiz certifiant ne se place pas dans un module" in p.message]


def test_a_practice_quiz_is_unchanged(tmp_path):
    file = _module(tmp_path, "", front="titre: M\nresume: R\nduree: 5\nobjectifs: [o]\nordre: 1\n")
    parsed = parse_module(file)
    assert validate(parsed, tmp_path) == []
    assert render(parsed).quizzes[0].certifying is None


def test_the_shipped_bank_is_valid_and_covers_the_path():
    modules = Path(__file__).parents[2] / "modules"
    assert bank_problems(modules, modules.parent / "media", "_evaluation.md") == []
    bank = load_bank(modules, modules.parent / "media", "_evaluation.md")
    assert 15 <= len(bank.quiz.questions) <= 20
    assert bank.rules.attempts > 1
    assert BANK.is_file()
