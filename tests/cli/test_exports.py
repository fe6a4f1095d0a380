"""``elearn export``: the same exports as the web, to a file or standard output, audited."""

from __future__ import annotations

import csv
import io
import json
import os

import openpyxl
import pytest
from sqlmodel import select

from elearn.cli import main
from elearn.cli.exports import export
from elearn.db import session_scope
from elearn.models import AuditEvent
from tests.reporting.seed import seed

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


def test_export_command_is_registered():
    assert main.get_command(None, "export") is export  # type: ignore[arg-type]


def _export_event(app) -> AuditEvent:  # noqa: ANN001
    with app.app_context(), session_scope() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()


def test_french_csv_to_a_file_with_filters(app, runner, tmp_path):
    seed(app)
    target = tmp_path / "suivi.csv"
    result = runner.invoke(export, ["csv-fr", "--from", "01/03/2026", "--to", "2026-03-31", "--profession", "Aide-soignante", "-o", str(target)])
    assert result.exit_code == 0, result.output
    comment, text = target.read_bytes().decode("utf-8-sig").split("\r\n", 1)
    assert comment.startswith("# Organisme") and "du 2026-03-01" in comment
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["Nom"], r["Module (identifiant)"]) for r in rows] == [("Élodie Marchand", "premiers-pas")]
    event = _export_event(app)
    assert event.actor_id is None and event.details["via"] == "cli"
    assert event.details["filters"] == {"from": "2026-03-01", "to": "2026-03-31", "profession": "Aide-soignante"}


def test_the_audit_trail_names_the_system_user_who_exported(app, runner, client, auth, admin, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "camille")
    assert runner.invoke(export, ["csv"]).exit_code == 0
    assert _export_event(app).details["system_user"] == "camille"
    auth.login(admin.email)
    assert "compte système :</span> camille" in client.get("/admin/audit").get_data(as_text=True)


def test_without_a_login_name_the_user_id_is_recorded(app, runner, monkeypatch):
    def no_login_name() -> str:
        raise KeyError("getpwuid(): uid not found")

    monkeypatch.setattr("getpass.getuser", no_login_name)
    assert runner.invoke(export, ["csv"]).exit_code == 0
    assert _export_event(app).details["system_user"] == f"uid {os.getuid()}"


def test_attendance_log_as_xlsx_and_xapi_to_stdout(app, runner, tmp_path):
    seed(app)
    target = tmp_path / "releve.xlsx"
    assert runner.invoke(export, ["xlsx", "--data", "attendance", "-o", str(target)]).exit_code == 0
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value.startswith("Organisme") and sheet["A4"].value == "N° apprenant"
    result = runner.invoke(export, ["xapi", "--module", "suite"])
    assert [s["verb"]["id"] for s in json.loads(result.output)] == ["http://adlnet.gov/expapi/verbs/experienced"]


def test_bad_options_are_usage_errors(app, runner):
    result = runner.invoke(export, ["jsonl", "--from", "hier"])
    assert result.exit_code == 2 and "Date de début invalide" in result.output
    result = runner.invoke(export, ["csv", "--from", "0001-01-01"])
    assert result.exit_code == 2 and "Date de début hors limites" in result.output
    result = runner.invoke(export, ["xapi", "--data", "attendance"])
    assert result.exit_code == 2 and "xAPI" in result.output


def test_export_of_one_group(app, runner, tmp_path):
    from elearn import groups
    from elearn.models import User

    seeded = seed(app)
    with app.app_context(), session_scope() as session:
        metz = groups.create_group(session, "Atelier de Metz", actor=None)
        groups.assign_group(session, session.get(User, seeded.elodie), metz.id, actor=None)
    target = tmp_path / "metz.csv"
    result = runner.invoke(export, ["csv", "--group", "Atelier de Metz", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows and {r["full_name"] for r in rows} == {"Élodie Marchand"}
    assert _export_event(app).details["filters"] == {"group": "Atelier de Metz"}
