"""The restore drill: back up under load, write more, restore in place and into a new folder, and check
that the data is exactly the backup's, that certificates issued before still verify and that sessions
still work; on SQLite and PostgreSQL. Then what ``elearn restore`` refuses, and why."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import threading
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import select

from elearn import server_lock
from elearn.backup import MANIFEST, write_backup_archive
from elearn.cli.backup import restore_command
from elearn.cli.certificates import certificates, verify_cert
from elearn.db import get_engine, make_engine, session_scope
from elearn.models import Certificate, metadata
from elearn.restore import RestoreError, restore
from elearn.web.certificates import pdf_response
from tests.certificates.support import certificate_app, complete_path
from tests.conftest import PASSWORD, add_user

#: Rewritten by every /healthz call: not data.
NOT_DATA = {"healthprobe"}


def table_rows(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table the models know, sorted: two databases hold the same data when equal."""
    with engine.connect() as connection:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in connection.execute(sa.select(table)))
            for table in metadata.sorted_tables if table.name not in NOT_DATA
        }


def backup_reference(archive: Path, database_url: str, request, tmp_path: Path) -> dict[str, list[tuple]]:  # noqa: ANN001
    """The rows the archive holds, read without elearn restore: SQLite opens the copy, PostgreSQL pg_restores it."""
    with tarfile.open(archive) as opened:
        member = next(name for name in opened.getnames() if name.startswith("database."))
        opened.extract(member, tmp_path / "reference", filter="data")
    copy = tmp_path / "reference" / member
    if database_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{copy}")
        try:
            return table_rows(engine)
        finally:
            engine.dispose()
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    subprocess.run([shutil.which("pg_restore"), "--no-owner", f"--dbname={server.conninfo(name)}", str(copy)],  # noqa: S603
                   check=True, capture_output=True)
    engine = make_engine(server.url(name))
    try:
        return table_rows(engine)
    finally:
        engine.dispose()
        server.drop_database(name)


def environment(instance: Path, database_url: str) -> dict[str, str]:
    """What the operator's shell holds: ``elearn restore`` reads its settings from the environment."""
    return {"ELEARN_INSTANCE_DIR": str(instance), "ELEARN_DATABASE_URL": database_url}


def certificate_pdf(app) -> tuple[str, bytes]:  # noqa: ANN001
    with app.test_request_context(), session_scope() as session:
        certificate = session.exec(select(Certificate)).one()
        return certificate.code, pdf_response(certificate).get_data()


def drop_postgresql_databases_named_like(request, database_url: str) -> None:  # noqa: ANN001
    """PostgreSQL keeps the replaced database under another name: drop it with the test's own."""
    server = request.getfixturevalue("postgres_server")
    prefix = make_url(database_url).database
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as connection:
        names = [row[0] for row in connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "_%",))]
    for name in names:
        server.drop_database(name)


@pytest.fixture
def drill_app(tmp_path, database_url, request):
    """An app whose keys live in its instance folder, as in production (no SECRET_KEY from the tests)."""
    app = certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url, SECRET_KEY=None)
    yield app
    get_engine(app).dispose()
    if database_url.startswith("postgresql"):
        drop_postgresql_databases_named_like(request, database_url)


def test_restore_drill(drill_app, database_url, tmp_path, request):
    app, instance = drill_app, Path(drill_app.config["ELEARN_INSTANCE_DIR"])
    learner = add_user(app, "apprenante@exemple.fr", full_name="Awa Diallo")
    complete_path(app, learner.id)
    runner = app.test_cli_runner()
    issued = runner.invoke(certificates, ["issue", learner.email])
    assert issued.exit_code == 0, issued.output
    code, pdf = certificate_pdf(app)
    (tmp_path / "attestation.pdf").write_bytes(pdf)
    client = app.test_client()
    assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    session_cookie = client.get_cookie("session").value

    # 1. Back up while other learners register.
    stop, written = threading.Event(), []

    def register_learners() -> None:
        while not stop.is_set() or len(written) < 3:
            written.append(add_user(app, f"pendant-{len(written)}@exemple.fr").id)

    writer = threading.Thread(target=register_learners)
    writer.start()
    try:
        archive = write_backup_archive(instance, database_url, tmp_path / "sauvegarde.tar.gz").path
    finally:
        stop.set()
        writer.join()
    assert archive.stat().st_mode & 0o077 == 0
    reference = backup_reference(archive, database_url, request, tmp_path)
    assert "apprenante@exemple.fr" in repr(reference["user"]) and len(reference["certificate"]) == 1

    # 2. Write more after the backup: all of it must be gone once restored.
    add_user(app, "apres@exemple.fr")
    complete_path(app, add_user(app, "apres-2@exemple.fr").id)
    assert table_rows(get_engine(app)) != reference
    get_engine(app).dispose()  # the server is stopped

    # 3a. Restore in place, with the CLI, as the operator does.
    result = app.test_cli_runner().invoke(restore_command, [str(archive), "--yes"], env=environment(instance, database_url))
    assert result.exit_code == 0, result.output
    assert "mise de côté" in result.output or "renommée" in result.output
    in_place = certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url, SECRET_KEY=None)
    assert table_rows(get_engine(in_place)) == reference
    replayed = in_place.test_client()
    replayed.set_cookie("session", session_cookie)
    assert replayed.get("/progression").status_code == 200
    get_engine(in_place).dispose()

    # 3b. Restore into a new folder (another machine): the keys come from the archive.
    new_instance = tmp_path / "nouvelle-machine" / "instance"
    if database_url.startswith("sqlite"):
        new_url = f"sqlite:///{tmp_path / 'nouvelle-machine' / 'elearn.sqlite3'}"
    else:
        new_url = make_url(database_url).set(database=make_url(database_url).database + "_machine2").render_as_string(hide_password=False)
    restore(new_instance, new_url, archive, echo=lambda _line: None)
    moved = certificate_app(tmp_path / "nouvelle-machine", ELEARN_DATABASE_URL=new_url, ELEARN_INSTANCE_DIR=str(new_instance), SECRET_KEY=None)
    try:
        assert table_rows(get_engine(moved)) == reference
        visitor = moved.test_client()
        assert "Awa Diallo" in (verified := visitor.get(f"/verify/{code}").get_data(as_text=True)) and ">Valide<" in verified
        checked = moved.test_cli_runner().invoke(verify_cert, [str(tmp_path / "attestation.pdf")])
        assert checked.exit_code == 0, checked.output
        visitor.set_cookie("session", session_cookie)
        assert visitor.get("/progression").status_code == 200
    finally:
        get_engine(moved).dispose()


def test_sqlite_restore_moves_the_wal_aside_instead_of_replaying_it(tmp_path):
    """The defect of the manual procedure: the old -wal, replayed over the copied file, undid the restore."""
    app = certificate_app(tmp_path, SECRET_KEY=None)
    instance = Path(app.config["ELEARN_INSTANCE_DIR"])
    database = Path(make_url(app.config["ELEARN_DATABASE_URL"]).database)
    add_user(app, "avant@exemple.fr")
    archive = write_backup_archive(instance, app.config["ELEARN_DATABASE_URL"], tmp_path / "b.tar.gz").path
    keeper = sqlite3.connect(database)  # a worker killed -9 leaves its log behind: keep one open
    keeper.execute('SELECT count(*) FROM "user"').fetchall()
    add_user(app, "apres@exemple.fr")
    get_engine(app).dispose()
    assert Path(f"{database}-wal").stat().st_size > 0
    try:
        aside = restore(instance, app.config["ELEARN_DATABASE_URL"], archive, echo=lambda _line: None)
    finally:
        keeper.close()
    with sqlite3.connect(database) as restored:
        assert [row[0] for row in restored.execute('SELECT email FROM "user"')] == ["avant@exemple.fr"]
    with sqlite3.connect(aside / database.name) as previous:  # nothing is lost: the replaced data is aside
        assert {row[0] for row in previous.execute('SELECT email FROM "user"')} == {"avant@exemple.fr", "apres@exemple.fr"}


@pytest.fixture
def sqlite_instance(tmp_path):
    app = certificate_app(tmp_path, SECRET_KEY=None)
    add_user(app, "avant@exemple.fr")
    instance = Path(app.config["ELEARN_INSTANCE_DIR"])
    archive = write_backup_archive(instance, app.config["ELEARN_DATABASE_URL"], tmp_path / "b.tar.gz").path
    get_engine(app).dispose()
    return instance, app.config["ELEARN_DATABASE_URL"], archive


def test_restore_is_refused_while_a_server_runs_on_the_folder(sqlite_instance):
    instance, url, archive = sqlite_instance
    database = Path(make_url(url).database)
    before = database.read_bytes()
    descriptor = server_lock.hold_for_server(instance)  # what `elearn serve` and `elearn run` do
    try:
        with pytest.raises(server_lock.InstanceBusy, match="Un serveur elearn fonctionne encore"):
            restore(instance, url, archive, echo=lambda _line: None)
    finally:
        os.close(descriptor)
    assert database.read_bytes() == before
    restore(instance, url, archive, echo=lambda _line: None)  # once the server has stopped


def test_a_server_cannot_start_during_a_restore(sqlite_instance):
    instance, _url, _archive = sqlite_instance
    with server_lock.exclusive(instance), pytest.raises(server_lock.InstanceBusy, match="restauration est en cours"):
        server_lock.hold_for_server(instance)


def test_a_tampered_archive_is_refused_before_anything_changes(sqlite_instance, tmp_path):
    instance, url, archive = sqlite_instance
    with tarfile.open(archive) as original, tarfile.open(tmp_path / "altered.tar.gz", "w:gz") as altered:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            altered.addfile(member, __import__("io").BytesIO(data))
    before = Path(make_url(url).database).read_bytes()
    with pytest.raises(RestoreError, match="altérée"):
        restore(instance, url, tmp_path / "altered.tar.gz", echo=lambda _line: None)
    assert Path(make_url(url).database).read_bytes() == before
    assert not (instance / "restore-aside").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "n'est pas une sauvegarde"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "illisible|endommagée"),
        (MANIFEST.encode(), "n'est pas une sauvegarde"),
    ],
)
def test_a_file_that_is_not_a_good_backup_is_explained(sqlite_instance, tmp_path, content, message):
    instance, url, _archive = sqlite_instance
    bad = tmp_path / "mauvais"
    bad.write_bytes(content)
    with pytest.raises(RestoreError, match=message):
        restore(instance, url, bad, echo=lambda _line: None)


def test_a_bare_database_copy_of_older_versions_is_restored_and_the_missing_keys_are_named(sqlite_instance, tmp_path):
    instance, url, _archive = sqlite_instance
    old_style = tmp_path / "elearn-20261122-021500.sqlite3"
    shutil.copyfile(Path(make_url(url).database), old_style)
    lines: list[str] = []
    restore(tmp_path / "ailleurs", f"sqlite:///{tmp_path / 'ailleurs' / 'elearn.sqlite3'}", old_style, echo=lines.append)
    assert any("ne contient pas les clés" in line and "secret_key" in line for line in lines)


def test_a_backup_of_the_other_database_kind_is_refused(sqlite_instance):
    instance, _url, archive = sqlite_instance
    with pytest.raises(RestoreError, match="même type"):
        restore(instance, "postgresql+psycopg://elearn@127.0.0.1:1/elearn", archive, echo=lambda _line: None)


def test_restore_asks_before_replacing(sqlite_instance, tmp_path):
    instance, url, archive = sqlite_instance
    app = certificate_app(tmp_path / "cli")
    result = app.test_cli_runner().invoke(restore_command, [str(archive)], input="n\n", env=environment(instance, url))
    assert result.exit_code == 1 and "Remplacer la base" in result.output
    assert not (instance / "restore-aside").exists()
