"""Moodle GIFT import: every supported feature, unsupported types listed, output that passes the checker."""

from __future__ import annotations

from pathlib import Path

from elearn.content.gift import UNSUPPORTED, convert_gift
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


def test_partial_credit_becomes_all_or_nothing_and_is_reported() -> None:
    result = convert_gift("Lesquels ?{~%70%A ~%30%B ~%-50%C}\n", "x")
    assert "- [x] A\n- [x] B\n- [ ] C\n" in result.markdown
    assert [(n.line, n.reason) for n in result.approximated] == [
        (
            1,
            "note partielle devenue tout ou rien : pourcentages Moodle ignorés (70 %, 30 %, -50 %) ; "
            "comptées justes : « A » et « B », seule combinaison qui rapporte les points : "
            "« Lesquels ?{~%70%A ~%30%B ~%-50%C} »",
        )
    ]


def test_one_answer_question_keeps_its_full_answer_and_reports_the_lost_half_mark() -> None:
    result = convert_gift("Laquelle ?{=Oui ~%50%Peut-être ~Non}\n", "x")
    assert "- (x) Oui\n- ( ) Peut-être\n- ( ) Non\n" in result.markdown
    assert [n.reason.rsplit(" : « ", 1)[0] for n in result.approximated] == [
        "note partielle devenue tout ou rien : pourcentages Moodle ignorés (50 %) ; comptée juste : « Oui »,"
        " seule combinaison qui rapporte les points"
    ]


def test_several_answers_each_worth_full_marks_are_reported() -> None:
    result = convert_gift("Une capitale ?{=Paris =Lyon ~Rome}\n", "x")
    assert "- [x] Paris\n- [x] Lyon\n- [ ] Rome\n" in result.markdown
    assert [n.reason.rsplit(" : « ", 1)[0] for n in result.approximated] == [
        "plusieurs réponses valaient chacune tous les points (« Paris » et « Lyon ») : la question devient"
        " à plusieurs réponses, et il faut toutes les cocher"
    ]


def test_weights_that_score_the_same_all_or_nothing_are_not_reported() -> None:
    gift = "A ?{=a ~b}\n\nB ?{~%100%a ~%-100%b ~c ~%0%d}\n\nC ?{TRUE}\n"
    result = convert_gift(gift, "x")
    assert (result.imported, result.approximated) == (3, [])
    # Nothing reported because nothing changed: the 0 % and -100 % answers stay wrong.
    assert "### B ?\n\n- [x] a\n- [ ] b\n- [ ] c\n- [ ] d\n" in result.markdown


def test_only_the_positive_weights_of_a_several_answer_question_are_correct() -> None:
    result = convert_gift("Lesquels ?{~%50%A ~%0%B ~C ~%50%D ~%-50%E}\n", "x")
    assert "- [x] A\n- [ ] B\n- [ ] C\n- [x] D\n- [ ] E\n" in result.markdown


def test_decimal_weights_are_read_with_a_point_or_a_comma() -> None:
    result = convert_gift("Lesquels ?{~%33.33333%A ~%33,33333%B ~%33.33334%C ~%-100%D}\n", "x")
    assert "- [x] A\n- [x] B\n- [x] C\n- [ ] D\n" in result.markdown
    assert "%" not in result.markdown.split("### Lesquels ?", 1)[1]  # no weight left in an answer's text
    assert [n.reason.split(" ; ")[0] for n in result.approximated] == [
        "note partielle devenue tout ou rien : pourcentages Moodle ignorés (33,3333 %, 33,3333 %, 33,3333 %)"
    ]


def test_the_sample_bank_reports_its_half_marks_at_their_line() -> None:
    assert [n.line for n in convert_gift(GIFT, "essai").approximated] == [10]


def test_line_breaks_of_a_moodle_text_are_reported_once_flattened() -> None:
    gift = "Première ligne\\nseconde ligne ?{=a ~b}\n\n[html]<p>Un</p>\n<p>Deux ?</p>{=a ~b}\n"
    result = convert_gift(gift, "x")
    assert "### Première ligne seconde ligne ?\n" in result.markdown
    assert [(n.line, n.reason.rsplit(" : « ", 1)[0]) for n in result.approximated] == [
        (1, "retours à la ligne du texte remplacés par des espaces (une question tient en un paragraphe)")
    ]


def test_questions_without_text_or_with_one_choice_are_left_out_and_explained() -> None:
    result = convert_gift("{=Oui ~Non}\n\nQuestion ?{=~Non}\n\nUne seule ?{~%50%Peut-être}\n\nBonne ?{=Oui ~Non}\n", "essai")
    assert result.imported == 1
    assert [(s.line, s.reason.split(" : ")[0]) for s in result.skipped] == [
        (1, "question sans texte, ou réponse sans texte"),
        (3, "question sans texte, ou réponse sans texte"),
        (5, "question à une seule réponse proposée (il en faut au moins deux)"),
    ]


# Moodle's own reading of GIFT (question/format/gift/format.php), which the importer follows.


def test_format_tags_are_read_on_answers_and_feedback_too() -> None:
    gift = "[html]<p>Quel <b>texte</b> ?</p>{=[plain]<Oui>#[markdown]**Bien**~Non#[html]<i>Non</i>####[plain]Voir a < b}\n"
    result = convert_gift(gift, "x")
    assert "### <p>Quel <b>texte</b> ?</p>\n" in result.markdown
    assert "- (x) &lt;Oui>\n  Retour : **Bien**\n- ( ) Non\n  Retour : <i>Non</i>\n" in result.markdown
    assert "Explication : Voir a &lt; b" in result.markdown
    assert "[html]" not in result.markdown and "[plain]" not in result.markdown and "[markdown]" not in result.markdown


def test_text_that_is_not_markdown_shows_as_moodle_showed_it() -> None:
    gift = "Combien font 2*3*4 ?{=24#Oui, 2*3*4 \\= 24 ~__init__ #### ## Pas un titre\\n- ni une liste\\n1. ni une énumération}\n"
    result = convert_gift(gift, "x")
    assert "### Combien font 2\\*3\\*4 ?\n" in result.markdown
    assert "- (x) 24\n  Retour : Oui, 2\\*3\\*4 = 24\n- ( ) \\_\\_init\\_\\_\n" in result.markdown
    assert "Explication : \\## Pas un titre\n\\- ni une liste\n1\\. ni une énumération" in result.markdown
    assert "### Combien font 2\\*3\\*4 ?" in convert_gift("[markdown]Combien font 2\\*3\\*4 ?{=24 ~25}", "x").markdown


def test_a_short_answer_is_never_read_as_true_or_false() -> None:
    result = convert_gift("Qui a écrit Gatsby ?{F. Scott Fitzgerald}\n\nUn vêtement ?{T-shirt}\n\nVrai ?{true}\n", "x")
    assert result.imported == 0
    assert [s.reason.split(" : ")[0] for s in result.skipped] == [UNSUPPORTED["short_answer"]] * 3


def test_true_false_with_both_feedbacks_and_format_tags() -> None:
    result = convert_gift("42 est la réponse.{TRUE#[html]<i>Non</i>, c'est vrai.#Bien vu.}\n", "x")
    assert result.imported == 1
    assert "- (x) Vrai\n  Retour : Bien vu.\n- ( ) Faux\n  Retour : <i>Non</i>, c'est vrai.\n" in result.markdown


def test_an_arrow_among_tildes_is_a_multiple_choice_question() -> None:
    result = convert_gift("Quel sens ?{=gauche -> droite ~droite -> gauche}\n\nAssociez.{=a -> b =c -> d}\n", "x")
    assert result.imported == 1
    assert "- (x) gauche -> droite\n- ( ) droite -> gauche\n" in result.markdown
    assert [s.reason.split(" : ")[0] for s in result.skipped] == [UNSUPPORTED["matching"]]


def test_escaped_backslash_and_line_breaks() -> None:
    result = convert_gift("Chemin C\\:\\\\dossier ?{=Oui\\nvraiment ~Non####Ligne 1\\nLigne 2}\n", "x")
    assert "### Chemin C:\\\\dossier ?" in result.markdown  # a backslash, escaped for Markdown
    assert "- (x) Oui vraiment\n" in result.markdown
    assert "Explication : Ligne 1\nLigne 2" in result.markdown


def test_the_weight_comment_of_export_gift_is_read_back() -> None:
    result = convert_gift("// poids: 2\n::Q::Laquelle ?{=a ~b}\n\n// un autre commentaire\nEt celle-ci ?{=a ~b}\n", "x")
    assert "### Laquelle ? {poids=2}\n" in result.markdown
    assert "### Et celle-ci ?\n" in result.markdown


def test_only_a_tilde_answer_carries_a_weight() -> None:
    result = convert_gift("Part ?{=%50% des cas ~%0%%20% des cas ~%-100%jamais}\n", "x")
    assert "- (x) %50% des cas\n- ( ) %20% des cas\n- ( ) jamais\n" in result.markdown


def test_questions_without_a_category_go_under_a_default_heading_and_the_module_is_titled() -> None:
    markdown = convert_gift("Q ?{=a ~b}\n", "ma banque", order=7).markdown
    assert "titre: 'Questions importées : ma banque'\n" in markdown and "ordre: 7\n" in markdown
    assert "\n## Questions importées\n\n::: quiz\n### Q ?\n" in markdown


def test_windows_line_endings_titles_and_blanks_to_fill() -> None:
    gift = "Le ciel est {=bleu ~vert} aujourd'hui.\r\n\r\n::Titre::Rapport 1\\:2 ?{=a ~b}\r\n\r\nRapport 1::2 ?{=a ~b}\r\n\r\nX ?{}\r\n"
    result = convert_gift(gift, "x")
    assert "### Le ciel est _____ aujourd'hui.\n\n- (x) bleu\n- ( ) vert\n" in result.markdown
    assert "<!-- Titre Moodle : Titre -->\n### Rapport 1:2 ?\n" in result.markdown
    assert "\n### Rapport 1::2 ?\n" in result.markdown  # "::" inside the text is no title
    assert [(n.line, n.reason.split(" : ")[0]) for n in result.skipped] == [(7, "question ouverte (composition), type non pris en charge ; utilisez un bloc « reflexion »")]


def test_blank_lines_and_category_lines_inside_an_answer_block_do_not_split_it() -> None:
    gift = "Question {\n=a\n\n$CATEGORY: pas une catégorie\n~b\n}\n$CATEGORY: $course$/Suite\nAprès ?{=a ~b}\n"
    markdown = convert_gift(gift, "x").markdown
    assert "### Question\n\n- (x) a $CATEGORY: pas une catégorie\n- ( ) b\n\n:::\n\n## Suite\n\n::: quiz\n### Après ?\n" in markdown


def test_line_breaks_are_reported_for_moodle_and_plain_text_in_any_case_only() -> None:
    gift = "[PLAIN]Un\\ndeux ?{=a ~b}\n\n[Moodle]Un\\ndeux ?{=a ~b}\n\n[markdown]Un\\ndeux ?{=a ~b}\n\nUne\\nseule ?{=a ~%50%b ~c}\n"
    result = convert_gift(gift, "x")
    assert [n.line for n in result.approximated] == [1, 3, 7]
    assert result.approximated[2].reason.startswith(
        "note partielle devenue tout ou rien : pourcentages Moodle ignorés (50 %) ; comptée juste : « a »,"
        " seule combinaison qui rapporte les points ; retours à la ligne du texte remplacés par des espaces"
    )


BANK = """$CATEGORY: $course$/top/Soins et droits/

::Vrai -- ou faux::Le refus de soins est-il interdit ?{T#Relisez la loi.#Exact.}

::Q2::Une question bien trop longue pour tenir entière dans le message du rapport ?{=chiffre#}

Lesquels ?{~%40%a ~%30%b ~%30%c ~%-100%d}

$CATEGORY: $course$
Faux ou vrai ?{FALSE}
"""

BANK_MODULE = """---
titre: 'Questions importées : essai'
resume: Questions importées d'une banque Moodle (GIFT) ; relisez-les et complétez ce résumé.
duree: 10
objectifs:
- À compléter
ordre: 3
---

<!-- Importé depuis Moodle : relisez chaque question, puis déplacez les quiz dans vos modules. -->

## Soins et droits

::: quiz
<!-- Titre Moodle : Vrai - - ou faux -->
### Le refus de soins est-il interdit ?

- (x) Vrai
  Retour : Exact.
- ( ) Faux
  Retour : Relisez la loi.

### Lesquels ?

- [x] a
- [x] b
- [x] c
- [ ] d

:::

## Questions importées

::: quiz
### Faux ou vrai ?

- ( ) Vrai
- (x) Faux

:::
"""


def test_a_whole_bank_becomes_exactly_this_module_and_these_notices() -> None:
    """The complete output, front matter and notices included: every character of it is a promise."""
    result = convert_gift(BANK, "essai", order=3)
    assert result.markdown == BANK_MODULE
    assert result.imported == 3
    assert [(n.line, n.reason) for n in result.skipped] == [
        (5, "question à réponse courte (saisie libre), type non pris en charge :"
            " « ::Q2::Une question bien trop longue pour tenir entière dans… »")
    ]
    assert [(n.line, n.reason) for n in result.approximated] == [
        (7, "note partielle devenue tout ou rien : pourcentages Moodle ignorés (40 %, 30 %, 30 %) ;"
            " comptées justes : « a », « b » et « c », seule combinaison qui rapporte les points :"
            " « Lesquels ?{~%40%a ~%30%b ~%30%c ~%-100%d} »")
    ]


def test_a_question_needs_a_positive_weight_somewhere_however_small() -> None:
    result = convert_gift("Aucune ?{~a ~b}\n\nNulle ?{~%0%a ~%-50%b}\n\nPetite ?{~%1%a ~b}\n", "x")
    assert [(n.line, n.reason.split(" : ")[0]) for n in result.skipped] == [(1, "question sans bonne réponse"), (3, "question sans bonne réponse")]
    assert "### Petite ?\n\n- [x] a\n- [ ] b\n" in result.markdown


def test_true_false_feedback_neutral_weights_comments_and_text_formats() -> None:
    gift = (
        "  // un commentaire en retrait\n"
        "Vrai ?{T#Faux, relisez.}\n\n"
        "Faux ?{F#Non.#Oui.}\n\n"
        "Une ?{=%100%a ~%0%b}\n\n"
        "Deux ?{=a ~%-100%b}\n\n"
        "::T::Rapport 1::2 ?{=a ~b}\n\n"
        "[html]Balise ?{=a ~b}\n\n"
        "Libre ?{bleu}\n\n"
        "$CATEGORY: Rayons X\n"
        "Fin ?{\n=a\n~b\n}\n"
    )
    result = convert_gift(gift, "x")
    assert "### Vrai ?\n\n- (x) Vrai\n- ( ) Faux\n  Retour : Faux, relisez.\n" in result.markdown
    assert "### Faux ?\n\n- ( ) Vrai\n  Retour : Non.\n- (x) Faux\n  Retour : Oui.\n" in result.markdown
    assert "<!-- Titre Moodle : T -->\n### Rapport 1::2 ?\n" in result.markdown and "\n### Balise ?\n" in result.markdown
    assert "\n## Rayons X\n\n::: quiz\n### Fin ?\n\n- (x) a\n- ( ) b\n" in result.markdown
    assert "commentaire" not in result.markdown
    # 100 % and 0 % score the same all or nothing; -100 % in a one-answer question does not.
    assert [n.line for n in result.approximated] == [8]
    assert [(n.line, n.reason.split(" : ")[0]) for n in result.skipped] == [(14, "question à réponse courte (saisie libre), type non pris en charge")]
