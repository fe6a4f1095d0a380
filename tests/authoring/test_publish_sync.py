"""Publications and the modules folder: history, rollback, export/import, and no edit lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from elearn.authoring.files import read_entry
from elearn.authoring.publish import Author, compare, history, latest, publish, revert
from elearn.authoring.sync import export_folder, import_folder, set_aside_copies, sync_folder
from elearn.db import session_scope
from tests.conftest import make_test_app

TRAINER = Author("Awa Formatrice")


def _sync(app, modules_dir: Path, import_edits: bool = True):
    with session_scope(app) as session:
        return sync_folder(session, modules_dir, Path(app.config["ELEARN_INSTANCE_DIR"]), import_edits=import_edits)


def _edit(modules_dir: Path, old: str, new: str) -> None:
    path = modules_dir / "02-suite.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_start_imports_the_files_once_with_the_pipeline_hash(app, modules_dir):
    report = _sync(app, modules_dir)
    assert sorted(report.imported) == ["premiers-pas", "suite"]
    assert _sync(app, modules_dir).imported == []
    with app.app_context():
        from elearn.web.modules import get_library

        module = get_library().get("suite")
    with session_scope(app) as session:
        assert latest(session, "suite").content_hash == module.content_hash


def test_hand_edit_is_published_at_next_start_and_a_rollback_is_a_new_publication(app, modules_dir):
    _sync(app, modules_dir)
    _edit(modules_dir, "##", "## Ajout\n\nTexte ajouté.\n\n##")
    assert _sync(app, modules_dir).imported == ["suite"]
    with session_scope(app) as session:
        first, second = sorted(history(session, "suite"), key=lambda p: p.number)
        assert [line for diff in compare(first, second) for line in diff.lines if line == "+Texte ajouté."]
        back = revert(session, first, TRAINER)
        assert (back.number, back.files, back.source) == (3, first.files, "retour")
    _sync(app, modules_dir, import_edits=False)
    assert "Texte ajouté." not in (modules_dir / "02-suite.md").read_text(encoding="utf-8")


def test_a_publication_reaches_another_machine_without_a_shared_folder(app, modules_dir, tmp_path):
    _sync(app, modules_dir)
    other_modules = tmp_path / "machine2" / "modules"
    shutil.copytree(modules_dir, other_modules)
    other = make_test_app(tmp_path / "machine2", ELEARN_DATABASE_URL=app.config["ELEARN_DATABASE_URL"],
                          ELEARN_MODULES_DIR=str(other_modules), ELEARN_MEDIA_DIR=app.config["ELEARN_MEDIA_DIR"], ELEARN_PUBLICATION_POLL_SECONDS=0)
    with other.test_request_context():
        from elearn.web.modules import get_library

        assert "Nouveau titre" not in get_library().get("suite").title
    with session_scope(app) as session:
        current = latest(session, "suite")
        text = current.files["02-suite.md"].replace("titre:", "titre: Nouveau titre —", 1)
        publish(session, "suite", current.entry, {"02-suite.md": text}, TRAINER, "Nouveau titre", "editeur")
    with other.test_request_context():
        assert get_library().get("suite").title.startswith("Nouveau titre")


def test_a_module_edited_both_ways_keeps_the_files_version_aside(app, modules_dir):
    _sync(app, modules_dir)
    with session_scope(app) as session:
        current = latest(session, "suite")
        text = current.files["02-suite.md"] + "\nÉdité dans le navigateur.\n"
        publish(session, "suite", current.entry, {"02-suite.md": text}, TRAINER, "Navigateur", "editeur")
    _edit(modules_dir, "##", "Édité dans les fichiers.\n\n##")
    report = _sync(app, modules_dir, import_edits=False)
    assert report.written == ["suite"] and len(report.conflicts) == 1
    assert "Édité dans le navigateur." in (modules_dir / "02-suite.md").read_text(encoding="utf-8")
    (kept,) = set_aside_copies(modules_dir)
    assert "Édité dans les fichiers." in (modules_dir / "_conflits" / kept).read_text(encoding="utf-8")


def test_hand_edits_wait_for_the_next_start_in_a_running_worker(app, modules_dir):
    _sync(app, modules_dir)
    _edit(modules_dir, "##", "Édité dans les fichiers.\n\n##")
    report = _sync(app, modules_dir, import_edits=False)
    assert report.written == [] and report.imported == [] and report.conflicts == []
    assert "Édité dans les fichiers." in (modules_dir / "02-suite.md").read_text(encoding="utf-8")


def test_export_writes_exactly_the_published_modules_and_import_publishes_changes(app, modules_dir, tmp_path):
    _sync(app, modules_dir)
    target = tmp_path / "export"
    (target / "09-ancien.md").parent.mkdir()
    (target / "09-ancien.md").write_text("---\ntitre: x\n---\n", encoding="utf-8")
    with session_scope(app) as session:
        assert export_folder(session, target) == ["premiers-pas", "suite"]
    assert sorted(p.name for p in target.iterdir()) == ["01-premiers-pas", "02-suite.md"]
    assert read_entry(target, "02-suite.md") == read_entry(modules_dir, "02-suite.md")
    _edit(target, "##", "Modifié dans git.\n\n##")
    with session_scope(app) as session:
        changed, unchanged = import_folder(session, target, TRAINER, "Depuis git")
        assert (changed, unchanged) == (["suite"], ["premiers-pas"])
        assert latest(session, "suite").message == "Depuis git"


def test_every_publication_is_in_the_audit_trail(app, modules_dir):
    """An auditor reads who published which version of a module, and why (issue 23's trail)."""
    from sqlmodel import select

    from elearn.models import AuditEvent

    _sync(app, modules_dir)
    with session_scope(app) as session:
        current = latest(session, "suite")
        publish(session, "suite", current.entry, current.files, Author("Awa Formatrice", None), "Relecture", "editeur")
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "module.version_published")).all()
        assert [(e.target, e.details["message"]) for e in events][-1] == ("module:suite", "Relecture")
