"""``elearn check``, ``new-module`` and ``import-gift`` run standalone through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from elearn.cli.content import check_command, commands, import_gift_command, new_module_command
from tests.content.conftest import ERRORS, MEDIA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_commands_are_exported_for_the_elearn_group() -> None:
    assert [c.name for c in commands] == ["check", "new-module", "import-gift"]


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
