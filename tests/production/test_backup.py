"""``elearn backup``: an archive that holds the data and the keys, readable by its owner only, on SQLite
and PostgreSQL. Putting it back is tested in test_restore.py."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import psycopg
import pytest

from elearn import backup
from elearn.certificates import signing
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


def test_backup_holds_the_data_and_the_keys(app, runner, learner, other_learner, tmp_path, request):
    signing.ensure_private_key(Path(app.config["ELEARN_INSTANCE_DIR"]))
    output = tmp_path / "copie.tar.gz"
    result = runner.invoke(backup_command, ["--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output and "Clés incluses : certificate_signing_key.pem" in result.output
    assert "Absentes du dossier d'instance, donc pas dans l'archive : secret_key" in result.output  # SECRET_KEY from config
    member = "database.sqlite3" if app.config["ELEARN_DATABASE_URL"].startswith("sqlite") else "database.dump"
    with tarfile.open(output) as archive:
        assert set(archive.getnames()) == {"elearn-backup.json", member, "keys/certificate_signing_key.pem"}
        archive.extract(member, tmp_path, filter="data")
    assert emails_in_backup(tmp_path / member, app.config["ELEARN_DATABASE_URL"], request) == sorted([learner.email, other_learner.email])


def test_default_backup_is_timestamped_in_the_instance_folder_and_private(app, runner, learner):
    assert runner.invoke(backup_command, []).exit_code == 0
    (written,) = (Path(app.config["ELEARN_INSTANCE_DIR"]) / "backups").iterdir()
    assert written.name.startswith("elearn-20") and written.name.endswith(".tar.gz")
    assert written.stat().st_mode & 0o077 == 0
    assert [path for path in written.parent.iterdir()] == [written]  # no work file left behind


def test_without_keys_says_which_files_must_go_with_it(app, runner, tmp_path):
    signing.ensure_private_key(Path(app.config["ELEARN_INSTANCE_DIR"]))
    result = runner.invoke(backup_command, ["--output", str(tmp_path / "b.tar.gz"), "--without-keys"])
    assert result.exit_code == 0 and "Clés NON incluses" in result.output
    assert "certificate_signing_key.pem" in result.output
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert not [name for name in archive.getnames() if name.startswith("keys/")]


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
