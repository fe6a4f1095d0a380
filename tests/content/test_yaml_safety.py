"""Hostile YAML in a module's front matter or ``parcours.yml``: bounded work, French messages, right lines."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from elearn.certificates.path import PathConfigError, parse_path
from elearn.cli.content import import_gift_command
from elearn.content.parse import parse_module
from elearn.content.pipeline import check_tree

#: The test process may not grow past this while reading the « billion laughs » header.
MEMORY_CAP = 512 * 1024 * 1024


def billion_laughs(levels: int) -> str:
    """A ``titre`` made of ``levels`` nested alias blocks (9 levels: 11 KB on disk, 9**9 items expanded)."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "---\n" + "\n".join(lines) + f"\ntitre: *l{levels - 1}\nresume: R\nordre: 1\n---\n\n## A\n\nTexte.\n"


def _check_under_memory_cap(module: Path) -> subprocess.CompletedProcess:
    """``parse_module`` and validation in a child process whose address space is capped."""
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))
        from pathlib import Path
        from elearn.content.pipeline import check_tree
        for problem in check_tree(Path({str(module.parent)!r}), Path({str(module.parent)!r})):
            print(problem.path, problem.line, problem.message)
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs an address-space limit")
def test_a_billion_laughs_header_is_refused_without_expanding_it(tmp_path) -> None:
    module = tmp_path / "01-rires.md"
    module.write_text(billion_laughs(9), encoding="utf-8")
    assert module.stat().st_size < 12_000
    run = _check_under_memory_cap(module)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "01-rires.md 3 en-tête illisible (YAML) : les alias YAML (« *nom ») ne sont pas permis" in run.stdout
    assert len(run.stdout) < 2000


def test_an_alias_anywhere_in_parcours_yml_is_refused(tmp_path) -> None:
    text = "nom: &n Parcours\ntitre: *n\n"
    with pytest.raises(PathConfigError) as error:
        parse_path(text, tmp_path)
    assert error.value.problems == [
        "parcours.yml, ligne 2 : YAML invalide (les alias YAML (« *nom ») ne sont pas permis : recopiez la valeur)."
    ]


def test_a_huge_value_is_cut_in_messages(tmp_path) -> None:
    (tmp_path / "01-long.md").write_text(
        "---\ntitre: T\nresume: R\nordre: [" + ", ".join(["12345"] * 5000) + "]\n---\n\n## A\n\nTexte.\n", encoding="utf-8"
    )
    message = next(p.message for p in check_tree(tmp_path, tmp_path) if "« ordre »" in p.message)
    assert "…" in message and len(message) < 300


def test_an_unclosed_quote_is_explained_in_french_on_its_own_line(tmp_path) -> None:
    (tmp_path / "01-q.md").write_text('---\ntitre: T\nresume: "Sans fin\nordre: 1\n---\n\n## A\n\nx\n', encoding="utf-8")
    problems = parse_module(tmp_path / "01-q.md", tmp_path).problems
    assert [(p.line, p.message) for p in problems] == [
        (3, "en-tête illisible (YAML) : guillemet non fermé : fermez le texte ouvert par « \" » ou « ' » sur cette"
            " ligne ; vérifiez les deux-points, l'indentation et les guillemets")
    ]


def test_a_python_tag_is_explained_in_french(tmp_path) -> None:
    (tmp_path / "01-t.md").write_text("---\ntitre: !!python/object:os.system ls\nresume: R\nordre: 1\n---\n\n## A\n\nx\n")
    problems = parse_module(tmp_path / "01-t.md", tmp_path).problems
    assert [(p.line, p.message) for p in problems] == [
        (2, "en-tête illisible (YAML) : étiquette YAML (« !! » ou « ! ») non permise : écrivez la valeur seule ;"
            " vérifiez les deux-points, l'indentation et les guillemets")
    ]


def test_import_gift_into_a_missing_folder_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("banque.gift").write_text("Q ?{=a ~b}\n", encoding="utf-8")
    result = CliRunner().invoke(import_gift_command, ["banque.gift", "-o", "manquant/01-x.md"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "le dossier manquant n'existe pas : créez-le ou choisissez un autre chemin" in result.output
