"""Each authoring error kind, checked on its fixture module: exact French message and line."""

from __future__ import annotations

import pytest

from elearn.content.parse import parse_module
from elearn.content.pipeline import check_tree
from elearn.content.validate import validate
from tests.content.conftest import ERRORS, FIXTURES, GOOD, KNOWN_SECTIONS, MEDIA

ALLOWED = (
    "titre, resume, duree, objectifs, ordre, seuil, tentatives_max, prerequis, reflexion_obligatoire, auteurs, mots_cles"
)
EXPECTED = {
    "unknown_key.md": [
        "1: clé obligatoire « titre » absente de l'en-tête (le titre du module)",
        f"2: clé inconnue « titel » dans l'en-tête (clés permises : {ALLOWED}) ; vouliez-vous écrire « titre » ?",
    ],
    "yaml_invalid.md": [
        "7: en-tête illisible (YAML) : indentation incohérente (alignez les lignes d'une même liste) ; "
        "vérifiez les deux-points, l'indentation et les guillemets",
    ],
    "front_missing.md": [
        "1: en-tête manquant : le fichier doit commencer par une ligne « --- », les clés (titre, resume…), "
        "puis une ligne « --- »",
    ],
    "front_unclosed.md": ["1: en-tête non fermé : ajoutez une ligne « --- » après la dernière clé"],
    "bad_types.md": [
        "2: « titre » doit être un texte non vide",
        "4: « duree » doit être un nombre entier de minutes, supérieur à 0 (trouvé : « abc »)",
        "5: « objectifs » doit être une liste de textes, un élément par ligne « - … »",
        "7: « seuil » doit être un nombre entier entre 0 et 100 (trouvé : « 150 »)",
        "8: « tentatives_max » doit être un nombre entier supérieur ou égal à 1 (trouvé : « 0 »)",
        "9: le module « bad-types » ne peut pas être son propre prérequis",
        "10: « reflexion_obligatoire » doit valoir true ou false (trouvé : « peut-être »)",
    ],
    "quiz_answers.md": [
        "12: la question « Aucune bonne réponse ? » n'a pas de bonne réponse : marquez-la « (x) » ou « [x] »",
        "17: la question « Deux bonnes réponses ? » à réponse unique a 2 bonnes réponses : gardez-en une, "
        "ou écrivez les choix « [ ] » pour plusieurs réponses",
        "22: la question « Mélange ? » mélange « ( ) » (une seule réponse) et « [ ] » (plusieurs réponses) : "
        "choisissez l'un ou l'autre",
        "27: la question « Cases sans bonne réponse ? » n'a pas de bonne réponse : marquez-la « (x) » ou « [x] »",
    ],
    "quiz_structure.md": [
        "12: texte avant la première question : chaque question commence par une ligne « ### »",
        "14: la question « Sans choix ? » n'a aucun choix (lignes « - ( ) … » ou « - [ ] … »)",
        "18: la question « Un seul choix ? » n'a qu'un choix : il en faut au moins deux",
        "18: poids invalide « zéro » : écrivez par exemple {poids=2} (nombre positif)",
        "22: ligne inattendue dans le quiz : après les choix viennent seulement « Explication : … » ou la question "
        "suivante « ### » (un « Retour : » se place sous son choix, en retrait de deux espaces)",
        "24: question sans texte après « ### »",
        "26: choix sans texte",
        "30: quiz sans question : chaque question commence par une ligne « ### »",
    ],
    "reflection.md": [
        "12: texte avant la question du bloc « reflexion » (ligne « ### »)",
        "15: bloc « reflexion » sans question : écrivez-la sur une ligne « ### »",
        "20: un bloc « reflexion » pose une seule question « ### » : ouvrez un autre bloc pour la suivante",
    ],
    "media.md": [
        "11: image sans texte alternatif « media/schema.svg » : décrivez-la entre les crochets ![…], ou ajoutez "
        "{.decorative} après l'image si elle est purement décorative",
        "13: image décorative « media/schema.svg » sans texte alternatif : vérifiez qu'elle n'apporte aucune information",
        f"15: fichier média introuvable « media/absent.png » (cherché dans {MEDIA.as_posix()})",
        "17: média hors du dossier media/ « https://example.org/x.png » : copiez le fichier dans media/ et écrivez "
        "media/nom-du-fichier",
        "19: audio sans titre accessible « media/temoignage.mp3 » : écrivez son sujet entre les crochets ![…]",
        "21: média hors du dossier media/ « media/../secret.png » : copiez le fichier dans media/ et écrivez "
        "media/nom-du-fichier",
    ],
    "links.md": [
        "11: lien vers un module inconnu « inconnu »",
        "13: lien vers une section inconnue « #nulle-part » du module « bases »",
        "15: lien vers une section inconnue « #ailleurs » de ce module",
    ],
    "unclosed.md": [
        "11: bloc « ::: quiz » non fermé : ajoutez une ligne « ::: » à la fin du bloc",
        "19: bloc « ::: attention » non fermé : ajoutez une ligne « ::: » à la fin du bloc",
    ],
    "blocks.md": [
        "11: type de bloc inconnu « astuce » (types permis : definition, a-retenir, attention, exemple, quiz, reflexion)",
        "15: « ::: » ne ferme aucun bloc ouvert",
        "18: bloc « ::: exemple » ouvert dans le bloc de la ligne 17 : fermez d'abord celui-ci par « ::: »",
    ],
    "sections.md": [
        "13: identifiant de section « meme-titre » déjà utilisé (ligne 9) : changez le titre ou ajoutez "
        "{#autre-identifiant}",
        "17: identifiant de section invalide « Mauvais id » : minuscules sans accent, chiffres et tirets seulement",
        "17: section « Autre » vide",
        "19: section « Vide » vide",
    ],
    "no_section.md": [
        "1: le module n'a aucune section : ajoutez au moins un titre « ## Titre »",
        "11: un bloc « quiz » doit se trouver dans une section « ## »",
    ],
}
WARNINGS = {"13: image décorative", "17: section « Autre » vide", "19: section « Vide » vide"}


def _check(name: str) -> list:
    return validate(parse_module(ERRORS / name, FIXTURES), MEDIA, KNOWN_SECTIONS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_error_fixture_reports_exactly_its_problems(name: str) -> None:
    problems = _check(name)
    assert [str(p) for p in problems] == [f"errors/{name}:{line}" for line in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_decorative_images_and_empty_sections_are_warnings(name: str) -> None:
    for p in _check(name):
        is_warning = any(f"{p.line}: {p.message}".startswith(w) for w in WARNINGS)
        assert p.severity == ("warning" if is_warning else "error"), str(p)


def test_every_error_fixture_is_covered() -> None:
    assert sorted(p.name for p in ERRORS.glob("*.md")) == sorted(EXPECTED)


def test_good_modules_have_no_problem() -> None:
    assert check_tree(GOOD, MEDIA, FIXTURES) == []


def test_cross_module_rules_name_both_modules() -> None:
    problems = [str(p) for p in check_tree(FIXTURES / "trees" / "cross", MEDIA, FIXTURES) if p.is_error]
    assert problems == [
        "trees/cross/01-alpha.md:7: prérequis en boucle : alpha → beta → alpha",
        "trees/cross/01-alpha.md:9: prérequis inconnu « fantome » (modules existants : alpha, beta, dossier)",
        "trees/cross/02-beta.md:6: « ordre: 1 » est déjà utilisé par trees/cross/01-alpha.md : chaque module a son numéro",
        "trees/cross/02-beta.md:7: prérequis en boucle : beta → alpha → beta",
        "trees/cross/03-alpha.md:1: deux modules s'appellent « alpha » : celui-ci et trees/cross/01-alpha.md",
        "trees/cross/04-dossier/01-partie.md:1: texte avant le premier titre de section « ## » : placez-le sous un "
        "titre (seul index.md ou le fichier unique du module peut avoir une introduction)",
        "trees/cross/05-sans-index:1: dossier de module sans fichier index.md (il porte l'en-tête du module)",
        "trees/cross/Mauvais Nom.md:1: nom de module invalide « Mauvais Nom » : écrivez NN-nom-du-module (deux "
        "chiffres, puis minuscules sans accent, chiffres et tirets)",
    ]


@pytest.mark.parametrize("name", ["100-cent", "7-sept", "2026-bilan"])
def test_a_module_number_has_exactly_two_digits(tree, name: str) -> None:
    (tree / "modules" / "02-pratique.md").rename(tree / "modules" / f"{name}.md")
    problems = [str(p) for p in check_tree(tree / "modules", tree / "media", tree) if p.is_error]
    assert f"modules/{name}.md:1: nom de module invalide « {name} » : écrivez NN-nom-du-module (deux chiffres, " \
        "puis minuscules sans accent, chiffres et tirets)" in problems


def test_long_section_is_a_warning(tree) -> None:
    path = tree / "modules" / "02-pratique.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nmot " * 1501, encoding="utf-8")
    problems = check_tree(tree / "modules", tree / "media", tree)
    assert [(str(p), p.severity) for p in problems] == [
        ("modules/02-pratique.md:11: section très longue (1517 mots, plus de 1500) : découpez-la en plusieurs "
         "sections « ## »", "warning"),
    ]


def test_broken_link_to_a_renamed_section_is_reported_in_the_other_module(tree) -> None:
    path = tree / "modules" / "02-pratique.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## Cas pratique", "## Cas concret"), encoding="utf-8")
    problems = [str(p) for p in check_tree(tree / "modules", tree / "media", tree)]
    assert problems == [
        "modules/01-bases/01-notions.md:17: lien vers une section inconnue « #cas-pratique » du module « pratique »"
    ]


def test_non_utf8_file_is_reported_with_its_line(tree) -> None:
    (tree / "modules" / "01-bases" / "03-latin1.md").write_bytes("## Été\n\nr\xe9sum\xe9\n".encode("latin-1"))
    problems = [str(p) for p in check_tree(tree / "modules", tree / "media", tree)]
    assert problems == [
        "modules/01-bases/03-latin1.md:1: le fichier n'est pas enregistré en UTF-8 : réenregistrez-le en UTF-8"
    ]


def test_what_the_reader_would_silently_lose_is_a_warning(tree) -> None:
    """A level-one heading starts no section, and script links are removed at display: the author is told."""
    path = tree / "modules" / "02-pratique.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\n# Un grand titre\n\n[Cliquez](javascript:alert(1))\n<a href=\" JavaScript:x\">là</a>\n\n"
        "```\n# dans du code\n[x](javascript:y)\n```\n\n`[x](javascript:z)`\n", encoding="utf-8",
    )
    start = len(text.split("\n"))
    problems = [(str(p), p.severity) for p in check_tree(tree / "modules", tree / "media", tree)]
    assert [message for message, severity in problems if severity == "warning"] == [
        f"modules/02-pratique.md:{start + 1}: titre de niveau 1 « # Un grand titre » : il ne commence pas de section "
        "et reste dans la section « Cas pratique » ; écrivez « ## Un grand titre » pour une nouvelle section (le "
        "titre du module vient de l'en-tête)",
        f"modules/02-pratique.md:{start + 3}: lien « javascript: » retiré à l'affichage : un module ne peut pas lancer de "
        "code ; mettez une adresse https://…, ou module:nom-du-module pour un autre module",
        f"modules/02-pratique.md:{start + 4}: lien « javascript: » retiré à l'affichage : un module ne peut pas lancer de "
        "code ; mettez une adresse https://…, ou module:nom-du-module pour un autre module",
    ]
