"""parcours.yml: every field read, every problem reported at once with its line, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.certificates.path import PathConfigError, load_path, parse_path, placeholder_keys
from tests.certificates.support import MEDIA, MODULES, modules_with_example_values

VALID = (MODULES / "parcours.yml").read_text(encoding="utf-8")


def test_fixture_path_is_read_completely():
    path = load_path(MODULES, MEDIA)
    assert path is not None
    assert path.title == "Prévenir les discriminations dans l'accès aux soins"
    assert path.objectives[0].startswith("Repérer les situations de discrimination : refus de soins")
    assert path.version == "2026.1"
    assert path.required_modules == ("reperer", "agir")
    assert path.organisation.name == "Association Santé Égalité"
    assert path.organisation.address == "12 rue de la République\n69002 Lyon"
    assert path.organisation.registration_number == "84 69 12345 69"
    assert (path.signatory.name, path.signatory.role, path.signatory.signature_image) == ("Dominique Lefèvre", "directrice", "signature.svg")


def test_no_file_means_certificates_are_off(tmp_path):
    assert load_path(tmp_path, MEDIA) is None


def test_numeric_version_and_no_signature_are_accepted():
    text = VALID.replace('version: "2026.1"', "version: 3").replace("  signature: media/signature.svg\n", "")
    path = parse_path(text, MEDIA)
    assert path.version == "3" and path.signatory.signature_image is None


def problems(text: str) -> list[str]:
    with pytest.raises(PathConfigError) as caught:
        parse_path(text, MEDIA)
    return caught.value.problems


def test_several_problems_are_reported_together_with_lines():
    text = (
        VALID.replace("titre: Prévenir", "titres: Prévenir")
        .replace("  - agir\n", "  - agir\n  - reperer\n")
        .replace('  numero_declaration: "84 69 12345 69"\n', "  siret: 123\n")
        .replace("media/signature.svg", "media/absente.png")
    )
    found = problems(text)
    assert "parcours.yml, ligne 2 : clé inconnue « titres » (clés permises : titre, objectifs, version, modules, organisme, signataire, evaluation, satisfaction, temps_actif_minimum)." in found
    assert "parcours.yml : clé obligatoire manquante « titre »." in found
    assert "parcours.yml, ligne 7 : « modules » cite deux fois le module « reperer »." in found
    assert any(p.endswith("clé inconnue « organisme.siret » (clés permises : nom, adresse, numero_declaration).") for p in found)
    assert "parcours.yml : clé obligatoire manquante « organisme.numero_declaration »." in found
    assert any(p.endswith(": image de signature introuvable : media/absente.png.") and "ligne 20" in p for p in found)
    assert len(found) == 6


def test_wrong_types_are_named():
    text = VALID.replace('version: "2026.1"', "version: [1, 2]").replace(
        "objectifs:\n", "objectifs: un seul texte\nx:\n"
    )
    found = problems(text)
    assert any("« version » doit être un texte." in p for p in found)
    assert any("« objectifs » doit être une liste d'au moins un texte" in p for p in found)


def test_signature_must_be_an_image_of_the_media_folder():
    assert any("la signature doit être une image" in p for p in problems(VALID.replace("media/signature.svg", "media/notes.txt")))
    assert any("indiquez un fichier du dossier media/" in p for p in problems(VALID.replace("media/signature.svg", "../secret.png")))


def test_invalid_yaml_points_at_its_line():
    assert problems("titre: a\nobjectifs: [\n")[0].startswith("parcours.yml, ligne 3 : YAML invalide")


def test_invalid_yaml_is_explained_in_french():
    assert problems("titre: Prévenir : les discriminations\n") == [
        "parcours.yml, ligne 1 : YAML invalide (deux-points inattendu (mettez entre guillemets un texte qui contient « : »))."
    ]


def test_a_list_instead_of_keys_is_refused():
    assert problems("- titre\n- version\n") == [
        "parcours.yml : le fichier doit contenir les clés titre, objectifs, version, modules, organisme, signataire."
    ]


def test_values_left_from_the_example_are_found_in_any_case_and_unicode_form(tmp_path):
    path = load_path(modules_with_example_values(tmp_path), MEDIA)
    assert placeholder_keys(path) == ("organisme.nom", "signataire.fonction")
    assert placeholder_keys(load_path(MODULES, MEDIA)) == ()


@pytest.mark.parametrize(
    ("evaluation", "expected"),
    [
        ("evaluation:\n  positionnement: true\n", "clé obligatoire manquante « evaluation.banque »"),
        ("evaluation:\n  banque: evaluation.md\n", "dont le nom commence par « _ »"),
        ("evaluation:\n  banque: _absente.md\n", "banque de questions introuvable : _absente.md"),
        ("evaluation:\n  banque: _evaluation.md\n  finale: oui\n", "« evaluation.finale » doit valoir true ou false."),
        ("evaluation:\n  banque: _evaluation.md\n  finale_exigee: true\n", "« finale_exigee: true » demande aussi « finale: true »."),
        ("evaluation:\n  banque: _evaluation.md\n  rattrapage: true\n", "clé inconnue « evaluation.rattrapage »"),
    ],
)
def test_the_assessments_are_optional_and_checked(evaluation, expected):
    text = (MODULES / "parcours.yml").read_text(encoding="utf-8")
    assert parse_path(text, MEDIA).assessment is None
    with pytest.raises(PathConfigError) as error:
        parse_path(text + evaluation, MEDIA, Path("modules"))
    assert any(expected in problem for problem in error.value.problems), error.value.problems


def test_the_shipped_path_declares_both_assessments():
    plan = load_path(Path("modules"), Path("media")).assessment
    assert plan is not None and plan.positioning and plan.final and plan.final_required


def test_problems_of_nested_keys_name_their_own_line():
    text = VALID.replace('  numero_declaration: "84 69 12345 69"\n', "  siret: 123\n").replace("  fonction: directrice\n", "  fonction: [directrice]\n")
    found = problems(text)
    assert "parcours.yml, ligne 15 : clé inconnue « organisme.siret » (clés permises : nom, adresse, numero_declaration)." in found
    assert any(p.startswith("parcours.yml, ligne 18 : ") and "signataire.fonction" in p for p in found), found


def test_every_value_left_from_the_example_is_named():
    text = VALID
    for value in ("Association Santé Égalité", "12 rue de la République", "84 69 12345 69", "Dominique Lefèvre", "directrice"):
        text = text.replace(value, f"{value} (à remplacer)")
    path = parse_path(text, MEDIA)
    assert placeholder_keys(path) == ("organisme.nom", "organisme.adresse", "organisme.numero_declaration", "signataire.nom", "signataire.fonction")
