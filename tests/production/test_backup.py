"""``elearn backup``: a copy that holds the data, readable by its owner only, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest

from elearn import backup
from elearn.cli.backup import backup as backup_command
from tests.conftest import add_user, require_program


def emails_in_backup(file: Path, database_url: str, request: pytest.FixtureRequest) -> list[str]:
    """Restore the backup (SQLite: open the copy; PostgreSQL: pg_restore into a new database) and read it."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(file) as copy:
            return [row[0] for row in copy.execute('SELECT email FROM "user" ORDER BY email')]
    server = request.getfixturevalue("postgres_server")
    restored = server.create_database()
    subprocess.run([shutil.which("pg_restore"), "--no-owner", f"--dbname={server.conninfo(restored)}", str(file)],  # noqa: S603
                   check=True, capture_output=True)
    with psycopg.connect(server.conninfo(restored)) as connection:
        emails = [row[0] for row in connection.execute('SELECT email FROM "user" ORDER BY email')]
    server.drop_database(restored)
    return emails


def test_backup_holds_the_data(app, runner, learner, other_learner, tmp_path, request):
    output = tmp_path / "copie"
    result = runner.invoke(backup_command, ["--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output
    assert emails_in_backup(output, app.config["ELEARN_DATABASE_URL"], request) == sorted([learner.email, other_learner.email])


def test_default_backup_is_timestamped_in_the_instance_folder_and_private(app, runner, learner):
    assert runner.invoke(backup_command, []).exit_code == 0
    (written,) = (Path(app.config["ELEARN_INSTANCE_DIR"]) / "backups").iterdir()
    suffix = ".sqlite3" if app.config["ELEARN_DATABASE_URL"].startswith("sqlite") else ".dump"
    assert written.name.startswith("elearn-20") and written.suffix == suffix
    assert written.stat().st_mode & 0o077 == 0


def test_an_existing_file_is_never_overwritten(app, runner, tmp_path):
    output = tmp_path / "deja-la"
    output.write_text("précieux")
    result = runner.invoke(backup_command, ["--output", str(output)])
    assert result.exit_code != 0 and "existe déjà" in result.output
    assert output.read_text() == "précieux"


def test_missing_pg_dump_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupError, match="pg_dump est introuvable"):
        backup.backup_database("postgresql+psycopg://elearn@127.0.0.1/elearn", tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()


def test_pg_dump_failure_leaves_no_file(tmp_path):
    require_program("pg_dump")
    with pytest.raises(backup.BackupError, match="pg_dump a échoué"):
        backup.backup_database("postgresql+psycopg://elearn:secret@127.0.0.1:1/nowhere", tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()
