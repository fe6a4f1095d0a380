"""Each export opened with the library a user's tool would use: headers, a known row, accents, safety."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
from sqlmodel import select

from elearn.models import AuditEvent
from elearn.reporting.cells import protect_formula
from elearn.reporting.records import ATTENDANCE_COLUMNS, COMPLETION_COLUMNS
from tests.reporting.helpers import export_bytes


def read_french_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "French spreadsheets need the UTF-8 BOM to read accents"
    text = data.decode("utf-8-sig")
    assert text.startswith("# Organisme"), "the first line names the organisation, as a comment"
    return list(csv.DictReader(io.StringIO(text.split("\r\n", 1)[1]), delimiter=";"))


def table_rows(sheet) -> list[tuple]:  # noqa: ANN001
    """The sheet's table, below the heading lines that name the organisation and the export."""
    rows = list(sheet.iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("Organisme")
    header = next(i for i, row in enumerate(rows) if row[0] == "N° apprenant")
    assert rows[header - 1] == (None,) * len(rows[header - 1]), "an empty row sets the heading apart"
    return rows[header:]


def elodie_rows(rows: list[dict], key: str = "Nom") -> list[dict]:
    return [row for row in rows if row[key] == "Élodie Marchand"]


def test_french_csv_has_bom_semicolons_french_dates_and_decimal_comma(session):
    rows = read_french_csv(export_bytes(session, "completions", "csv-fr"))
    assert list(rows[0]) == [c.label for c in COMPLETION_COLUMNS]
    first, second = elodie_rows(rows)
    assert first["Module"] == "Premiers pas" and first["Statut"] == "Terminé"
    assert first["Profession"] == "Aide-soignante"
    assert first["Commencé le"] == "09/03/2026 09:00"  # 08:00 UTC is 09:00 in Paris in March
    assert first["Terminé le"] == "10/03/2026 10:30"
    assert first["Score final (%)"] == "87,5"
    assert (first["Tentatives de quiz"], first["Quiz réussis"]) == ("2", "1")
    assert (first["Temps actif (secondes)"], first["Temps actif (h:mm:ss)"]) == ("2400", "0:40:00")
    assert second["Module (identifiant)"] == "suite" and second["Statut"] == "En cours" and second["Terminé le"] == ""


def test_french_csv_dates_can_be_iso(session):
    rows = read_french_csv(export_bytes(session, "completions", "csv-fr", iso_dates=True))
    assert elodie_rows(rows)[0]["Terminé le"] == "2026-03-10T09:30:00+00:00"


def test_plain_csv_uses_commas_keys_iso_dates_and_no_bom(session):
    data = export_bytes(session, "completions", "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == [c.key for c in COMPLETION_COLUMNS]
    row = elodie_rows(rows, "full_name")[0]
    assert (row["status"], row["score"], row["completed_at"]) == ("completed", "87.5", "2026-03-10T09:30:00+00:00")


def test_formula_in_a_name_is_neutralised_in_both_csv_flavours(session):
    for fmt, key, delimiter in (("csv-fr", "Nom", ";"), ("csv", "full_name", ",")):
        text = export_bytes(session, "completions", fmt).decode("utf-8-sig")
        lines = [line for line in text.splitlines() if not line.startswith("# Organisme")]
        names = [row[key] for row in csv.DictReader(lines, delimiter=delimiter)]
        assert "'=HYPERLINK(\"http://x\")" in names
        assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_protect_formula_covers_every_trigger():
    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert protect_formula(trigger + "1+1") == "'" + trigger + "1+1"
    assert protect_formula("Élodie") == "Élodie"


def test_xlsx_opens_in_openpyxl_with_real_dates_and_inert_formulas(session):
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(session, "completions", "xlsx")))
    sheet = workbook.active
    rows = table_rows(sheet)
    assert list(rows[0]) == [c.label for c in COMPLETION_COLUMNS]
    records = [dict(zip(rows[0], row)) for row in rows[1:]]
    elodie = next(r for r in records if r["Nom"] == "Élodie Marchand")
    assert elodie["Terminé le"] == datetime(2026, 3, 10, 10, 30)  # a real date, in Paris time
    assert elodie["Score final (%)"] == 87.5 and elodie["Statut"] == "Terminé"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'=HYPERLINK(\"http://x\")" in [r["Nom"] for r in records]


def test_jsonl_lines_are_json_objects_with_iso_values_and_raw_accents(session):
    data = export_bytes(session, "completions", "jsonl")
    assert "Élodie".encode() in data  # not \u00c9 escapes
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert all(list(r) == [c.key for c in COMPLETION_COLUMNS] for r in records)
    elodie = next(r for r in records if r["full_name"] == "Élodie Marchand" and r["module"] == "premiers-pas")
    assert elodie["completed_at"] == "2026-03-10T09:30:00+00:00"
    assert (elodie["score"], elodie["active_seconds"], elodie["active_time"]) == (87.5, 2400, "PT40M")
    assert elodie["status"] == "completed"


def test_attendance_log_has_one_row_per_learner_and_day(session):
    rows = read_french_csv(export_bytes(session, "attendance", "csv-fr"))
    assert list(rows[0]) == [c.label for c in ATTENDANCE_COLUMNS]
    days = elodie_rows(rows)
    assert [d["Date"] for d in days] == ["09/03/2026", "10/03/2026", "02/04/2026"]
    assert days[0]["Première activité"] == "09/03/2026 09:00" and days[0]["Dernière activité"] == "09/03/2026 09:40"
    assert days[0]["Temps actif (secondes)"] == "1500" and days[2]["Modules"] == "suite"


def test_attendance_log_in_xlsx_and_jsonl(session):
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(session, "attendance", "xlsx"))).active
    header, *rows = table_rows(sheet)
    assert header[0] == "N° apprenant" and len(rows) == 4  # the trainer's day is not a learner's
    lines = [json.loads(line) for line in export_bytes(session, "attendance", "jsonl").decode().splitlines()]
    assert {"day": "2026-03-09", "active_seconds": 1500}.items() <= lines[1].items()


def test_filters_restrict_rows(session):
    def names_modules(**filters: str) -> list[tuple[str, str]]:
        return [(r["full_name"], r["module"]) for r in map(json.loads, export_bytes(session, "completions", "jsonl", **filters).decode().splitlines())]

    assert ("Élodie Marchand", "suite") not in names_modules(**{"from": "2026-03-01", "to": "2026-03-31"})
    assert names_modules(profession="Infirmier") == [("=HYPERLINK(\"http://x\")", "premiers-pas")]
    assert names_modules(module="premiers-pas", status="completed") == [("Élodie Marchand", "premiers-pas")]
    assert names_modules(q="MARCHAND") == [("Élodie Marchand", "premiers-pas"), ("Élodie Marchand", "suite")]
    assert all(name != "Sacha Formateur" for name, _ in names_modules())  # trainers are not learners


def test_every_export_is_recorded_in_the_audit_trail(session):
    export_bytes(session, "attendance", "csv-fr", iso_dates=True, module="suite")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.target == "export:attendance"
    assert event.details == {"via": "web", "dataset": "attendance", "format": "csv-fr", "filters": {"module": "suite"}, "dates": "iso"}
