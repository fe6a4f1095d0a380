"""Moodle GIFT import: every supported feature, unsupported types listed, output that passes the checker."""

from __future__ import annotations

from pathlib import Path

from elearn.content.gift import convert_gift
from elearn.content.pipeline import check_tree, read_tree, render_tree

GIFT = r"""// Banque d'essai : ce commentaire est ignoré
$CATEGORY: $course$/top/Refus de soins

::Q1:: Un cabinet refuse un patient bénéficiaire de l'AME. Est-ce légal ?{
=Non#Exact, c'est un refus de soins.
~Oui#Non, c'est interdit.
####Le refus fondé sur la couverture est interdit.
}

Quels critères figurent dans la loi ?{
~%50%L'origine#Oui
~%50%Le lieu de résidence
~%-100%La couleur préférée\: rouge#Non
}

$CATEGORY: $course$/top/Notions

Le signe 1 \= 1, les accolades \{ \} et le dièse \# sont gardés.{TRUE#Relisez.#Bien vu.}

Le tilde \~ aussi.{F}

Capitale de la France ?{=Paris =paris}

Combien font 2+2 ?{#4}

Associez.{=chat -> miaou =chien -> ouaf}

Racontez votre journée.{}

Un simple texte d'information.
"""


def test_supported_questions_become_quiz_syntax() -> None:
    result = convert_gift(GIFT, "essai")
    assert result.imported == 4
    md = result.markdown
    assert "## Refus de soins\n\n::: quiz\n<!-- Titre Moodle : Q1 -->\n### Un cabinet refuse" in md
    assert "- (x) Non\n  Retour : Exact, c'est un refus de soins.\n- ( ) Oui\n  Retour : Non, c'est interdit." in md
    assert "Explication : Le refus fondé sur la couverture est interdit." in md
    assert "- [x] L'origine\n  Retour : Oui\n- [x] Le lieu de résidence\n- [ ] La couleur préférée: rouge\n  Retour : Non" in md
    assert "## Notions" in md
    assert "### Le signe 1 = 1, les accolades { } et le dièse # sont gardés." in md
    assert "- (x) Vrai\n  Retour : Bien vu.\n- ( ) Faux\n  Retour : Relisez." in md
    assert "### Le tilde ~ aussi.\n\n- ( ) Vrai\n- (x) Faux" in md
    assert "commentaire" not in md


def test_unsupported_types_are_listed_with_their_line() -> None:
    skipped = convert_gift(GIFT, "essai").skipped
    assert [(s.line, s.reason.split(" : ")[0]) for s in skipped] == [
        (22, "question à réponse courte (saisie libre), type non pris en charge"),
        (24, "question numérique, type non pris en charge"),
        (26, "question d'appariement, type non pris en charge"),
        (28, "question ouverte (composition), type non pris en charge ; utilisez un bloc « reflexion »"),
        (30, "texte sans question (description)"),
    ]
    assert skipped[0].reason.endswith("« Capitale de la France ?{=Paris =paris} »")


def test_round_trip_output_parses_and_validates(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "modules" / "01-import.md").write_text(convert_gift(GIFT, "essai").markdown, encoding="utf-8")
    report = read_tree(tmp_path / "modules", tmp_path / "media", tmp_path)
    assert report.all_problems() == []
    module = next(iter(render_tree(report).values()))
    quizzes = module.quizzes
    assert [len(q.questions) for q in quizzes] == [2, 2]
    assert [q.kind for q in quizzes[0].questions] == ["single", "multiple"]
    assert quizzes[1].questions[0].kind == "true_false"


def test_file_with_only_unsupported_questions_imports_nothing() -> None:
    result = convert_gift("Q ?{=a =b}\n", "vide")
    assert (result.imported, len(result.skipped)) == (0, 1)


def test_unbalanced_braces_are_reported() -> None:
    result = convert_gift("Question ?{=a ~b\n", "x")
    assert [s.reason.split(" : ")[0] for s in result.skipped] == ["accolades { } non fermées"]


def test_round_trip_with_check_tree_on_many_categories(tmp_path: Path) -> None:
    gift = "$CATEGORY: a/Même\n\nQ1 ?{=a ~b}\n\n$CATEGORY: b/Même\n\nQ2 ?{=a ~b}\n"
    (tmp_path / "01-import.md").write_text(convert_gift(gift).markdown, encoding="utf-8")
    assert check_tree(tmp_path, tmp_path) == []
