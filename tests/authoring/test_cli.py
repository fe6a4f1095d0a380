"""``elearn modules export/import/sync``: the published modules as files, and files from git published."""

from __future__ import annotations

from elearn.authoring.publish import history
from elearn.cli.modules import modules
from elearn.db import session_scope


def test_export_then_import_from_a_git_folder(app, tmp_path, modules_dir):
    runner = app.test_cli_runner()
    assert "Importé(s) : premiers-pas, suite" in runner.invoke(modules, ["sync"]).output
    exported = tmp_path / "depot"
    assert runner.invoke(modules, ["export", str(exported)]).exit_code == 0
    module = exported / "02-suite.md"
    module.write_text(module.read_text(encoding="utf-8").replace("##", "Ajouté dans git.\n\n##", 1), encoding="utf-8")
    result = runner.invoke(modules, ["import", str(exported), "-m", "Relecture"])
    assert result.exit_code == 0 and "Publié(s) : suite" in result.output
    assert "Ajouté dans git." in (modules_dir / "02-suite.md").read_text(encoding="utf-8")
    with session_scope(app) as session:
        assert [p.message for p in history(session, "suite")] == ["Relecture", "Import des fichiers de modules/"]


def test_import_with_an_error_publishes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(modules, ["sync"])
    broken = tmp_path / "depot"
    runner.invoke(modules, ["export", str(broken)])
    (broken / "02-suite.md").write_text("---\ntitre: x\n---\n", encoding="utf-8")
    result = runner.invoke(modules, ["import", str(broken)])
    assert result.exit_code == 1 and "rien n'est publié" in result.output
    with session_scope(app) as session:
        assert len(history(session, "suite")) == 1
