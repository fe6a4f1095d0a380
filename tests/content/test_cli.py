"""``elearn check``, ``new-module`` and ``import-gift`` run standalone through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from elearn.cli.content import check_command, commands, import_gift_command, new_module_command
from tests.certificates.support import MODULES as CERTIFICATE_MODULES
from tests.content.conftest import ERRORS, MEDIA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_commands_are_exported_for_the_elearn_group() -> None:
    assert [c.name for c in commands] == ["check", "new-module", "import-gift", "export-gift"]


def test_check_clean_tree_exits_0(runner, tree, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    result = runner.invoke(check_command, ["modules"])
    assert (result.exit_code, result.output) == (0, "Aucun problème trouvé.\n")


def test_check_reports_sorted_labelled_problems_and_exits_1(runner, tree, monkeypatch) -> None:
    (tree / "modules" / "03-liens.md").write_text(
        (ERRORS / "links.md").read_text(encoding="utf-8").replace("ordre: 1", "ordre: 3"), encoding="utf-8"
    )
    monkeypatch.chdir(tree)
    result = runner.invoke(check_command, ["modules"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "modules/03-liens.md:11: erreur : lien vers un module inconnu « inconnu »",
        "modules/03-liens.md:13: erreur : lien vers une section inconnue « #nulle-part » du module « bases »",
        "modules/03-liens.md:15: erreur : lien vers une section inconnue « #ailleurs » de ce module",
        "3 erreurs, 0 avertissement.",
    ]


def test_check_validates_the_minimum_active_time_of_parcours_yml(runner, tree, monkeypatch) -> None:
    parcours = (CERTIFICATE_MODULES / "parcours.yml").read_text(encoding="utf-8").replace("media/signature.svg", "")
    (tree / "modules" / "parcours.yml").write_text(parcours + "temps_actif_minimum:\n  parcours: 90\n", encoding="utf-8")
    monkeypatch.chdir(tree)
    result = runner.invoke(check_command, ["modules"])
    assert result.exit_code == 1
    assert "modules/parcours.yml:21: erreur : « temps_actif_minimum.parcours » : « 90 » n'est pas compris" in result.output


def test_warnings_fail_only_with_strict(runner, tree, monkeypatch) -> None:
    path = tree / "modules" / "02-pratique.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n![](media/schema.svg){.decorative}\n", encoding="utf-8")
    monkeypatch.chdir(tree)
    relaxed = runner.invoke(check_command, ["modules"])
    assert relaxed.exit_code == 0
    assert relaxed.output.startswith("modules/02-pratique.md:23: avertissement : image décorative")
    assert runner.invoke(check_command, ["modules", "--strict"]).exit_code == 1


def test_check_one_module_reports_only_that_module(runner, tree, monkeypatch) -> None:
    (tree / "modules" / "03-vide.md").write_text("rien\n", encoding="utf-8")
    monkeypatch.chdir(tree)
    assert runner.invoke(check_command, ["modules/02-pratique.md"]).exit_code == 0
    assert runner.invoke(check_command, ["modules/03-vide.md"]).exit_code == 1


def test_new_module_passes_check_with_no_problem(runner, tree, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    created = runner.invoke(new_module_command, ["refus-de-soins", "--dir", "modules"])
    assert created.exit_code == 0, created.output
    path = tree / "modules" / "03-refus-de-soins.md"
    assert created.output == f"Module créé : {Path('modules') / '03-refus-de-soins.md'}\n"
    assert "ordre: 3" in path.read_text(encoding="utf-8")
    result = runner.invoke(check_command, ["modules", "--strict"])
    assert (result.exit_code, result.output) == (0, "Aucun problème trouvé.\n")


def test_new_module_in_an_empty_folder(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(new_module_command, ["premier", "--dir", "modules"]).exit_code == 0
    assert (tmp_path / "modules" / "01-premier.md").is_file()
    assert runner.invoke(check_command, ["modules", "--strict", "--media", str(MEDIA)]).exit_code == 0


def test_new_module_refuses_bad_or_taken_slugs(runner, tree, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    bad = runner.invoke(new_module_command, ["Refus De Soins", "--dir", "modules"])
    assert bad.exit_code == 1 and "nom de module invalide « Refus De Soins »" in bad.output
    taken = runner.invoke(new_module_command, ["pratique", "--dir", "modules"])
    assert taken.exit_code == 1 and "un module « pratique » existe déjà" in taken.output


def test_import_gift_writes_markdown_and_reports_skipped_questions(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("banque.gift").write_text("Q ?{=a ~b}\n\nNombre ?{#4}\n", encoding="utf-8")
    result = runner.invoke(import_gift_command, ["banque.gift", "-o", "01-banque.md"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "banque.gift:3: non importée : question numérique, type non pris en charge : « Nombre ?{#4} »",
        "Questions importées : 1 ; non importées : 1.",
        "Écrit : 01-banque.md",
    ]
    assert "### Q ?" in Path("01-banque.md").read_text(encoding="utf-8")
    again = runner.invoke(import_gift_command, ["banque.gift", "-o", "01-banque.md"])
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_import_gift_warns_on_stderr_when_partial_credit_is_flattened(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("poids.gift").write_text("Q ?{=a ~b}\n\nLesquels ?{~%70%A ~%30%B ~%-50%C}\n", encoding="utf-8")
    result = runner.invoke(import_gift_command, ["poids.gift"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "poids.gift:3: avertissement : note partielle devenue tout ou rien : pourcentages Moodle ignorés"
        " (70 %, 30 %, -50 %) ; comptées justes : « A » et « B », seule combinaison qui rapporte les points :"
        " « Lesquels ?{~%70%A ~%30%B ~%-50%C} »",
        "Questions importées : 2, dont 1 avec avertissement ; non importées : 0.",
    ]
    assert "- [x] A\n- [x] B\n- [ ] C\n" in result.stdout


def _numbered_modules(folder: Path, numbers: range) -> None:
    """Minimal modules ``NN-mNN.md``; their ``ordre`` is their number."""
    folder.mkdir(exist_ok=True)
    for number in numbers:
        (folder / f"{number:02d}-m{number}.md").write_text(f"---\nordre: {number}\n---\n", encoding="utf-8")


def test_new_module_after_99_takes_the_lowest_free_two_digit_number(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _numbered_modules(tmp_path / "modules", range(1, 3))
    (tmp_path / "modules" / "99-annexe.md").write_text("---\nordre: 120\n---\n", encoding="utf-8")
    result = runner.invoke(new_module_command, ["suite", "--dir", "modules"])
    assert result.exit_code == 0, result.output
    assert "ordre: 121" in (tmp_path / "modules" / "03-suite.md").read_text(encoding="utf-8")


def test_new_module_refuses_when_every_number_is_taken(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _numbered_modules(tmp_path / "modules", range(1, 100))
    result = runner.invoke(new_module_command, ["de-trop", "--dir", "modules"])
    assert result.exit_code == 1
    assert "les numéros de module 01 à 99 sont tous pris" in result.output
    assert not list((tmp_path / "modules").glob("*de-trop*"))


def test_two_gift_imports_into_the_modules_folder_get_their_own_number_and_order(runner, tree, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    for name in ("banque-a", "banque-b"):
        Path(f"{name}.gift").write_text("Q ?{=a ~b}\n", encoding="utf-8")
        assert runner.invoke(import_gift_command, [f"{name}.gift", "-o", "modules"]).exit_code == 0
    assert "ordre: 3" in (tree / "modules" / "03-banque-a.md").read_text(encoding="utf-8")
    assert "ordre: 4" in (tree / "modules" / "04-banque-b.md").read_text(encoding="utf-8")
    result = runner.invoke(check_command, ["modules"])
    assert (result.exit_code, result.output) == (0, "Aucun problème trouvé.\n")


def test_gift_import_to_a_named_file_or_the_screen_takes_the_next_order(runner, tree, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    Path("banque.gift").write_text("Q ?{=a ~b}\n", encoding="utf-8")
    assert runner.invoke(import_gift_command, ["banque.gift", "-o", "modules/07-choisi.md"]).exit_code == 0
    assert "ordre: 3" in (tree / "modules" / "07-choisi.md").read_text(encoding="utf-8")
    monkeypatch.setenv("ELEARN_MODULES_DIR", str(tree / "modules"))
    assert "ordre: 4" in runner.invoke(import_gift_command, ["banque.gift"]).stdout


def test_an_emptied_section_file_is_an_error(runner, tree, monkeypatch) -> None:
    """Its sections (a quiz, here) would otherwise vanish from under the learners without a word."""
    monkeypatch.chdir(tree)
    quiz_file = next(path for path in sorted((tree / "modules" / "01-bases").glob("*.md")) if path.name != "index.md")
    quiz_file.write_text("\n  \n", encoding="utf-8")
    result = runner.invoke(check_command, ["modules"])
    assert result.exit_code == 1
    assert f"modules/01-bases/{quiz_file.name}:1" in result.output and "fichier vide" in result.output


def test_import_gift_to_a_folder_that_does_not_exist_is_refused_not_written_as_a_file(runner, tmp_path) -> None:
    bank = tmp_path / "banque.gift"
    bank.write_text("Question ?{=Oui ~Non}\n", encoding="utf-8")
    result = runner.invoke(import_gift_command, [str(bank), "-o", str(tmp_path / "nouveau")])
    assert result.exit_code == 1 and "n'est ni un dossier existant ni un fichier .md" in result.output
    assert not (tmp_path / "nouveau").exists()
    (tmp_path / "nouveau").mkdir()
    assert runner.invoke(import_gift_command, [str(bank), "-o", str(tmp_path / "nouveau")]).exit_code == 0
    assert [path.name for path in (tmp_path / "nouveau").iterdir()] == ["01-banque.md"]


def test_a_bank_with_nothing_importable_writes_nothing(runner, tmp_path) -> None:
    bank = tmp_path / "vide.gift"
    bank.write_text("Capitale ?{=Paris}\n", encoding="utf-8")
    result = runner.invoke(import_gift_command, [str(bank), "-o", str(tmp_path / "01-vide.md")])
    assert result.exit_code == 1 and "rien n'a été écrit" in result.output
    assert not (tmp_path / "01-vide.md").exists()
