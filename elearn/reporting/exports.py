"""Exports in the formats administrators' tools read, streamed so that size never matters.

Every export is a generator of ``bytes`` chunks over a database cursor: rows are formatted and sent as
they are read, and nothing holds the whole result. XLSX is the one format that cannot be written
progressively to the client (a zip archive), so it is written row by row (openpyxl's write-only mode) to a
temporary file, which is then streamed and deleted.

Starting an export records it in the audit trail (who, which dataset and format, which filters) before
the first byte is produced. Columns are documented in ``docs/exports.md``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlmodel import Session

from elearn.accounts import record
from elearn.certificates.path import Organisation
from elearn.formatting import local
from elearn.models import User
from elearn.i18n import N_, _
from elearn.models.base import LabelledEnum
from elearn.reporting import durations, xapi
from elearn.reporting.catalog import Catalog
from elearn.reporting.cells import protect_formula
from elearn.reporting.filters import ReportFilters
from elearn.reporting.moments import iso_moment
from elearn.reporting.outcomes import KNOWLEDGE_COLUMNS, knowledge_rows
from elearn.satisfaction.aggregates import SATISFACTION_COLUMNS, satisfaction_rows
from elearn.satisfaction.surveys import DEFAULT as DEFAULT_SURVEYS
from elearn.satisfaction.surveys import Surveys
from elearn.visibility import visibility_rules
from elearn.reporting.records import (
    ATTENDANCE_COLUMNS,
    COMPLETION_COLUMNS,
    Column,
    attendance_rows,
    completion_rows,
)

#: Bytes gathered before a chunk is handed to the client.
CHUNK_SIZE = 64 * 1024
#: CSV rows written at a time (one ``writerows`` call).
CSV_BLOCK_ROWS = 500
#: JSON array elements joined at a time (xAPI statements: about 80 KB).
JSON_BLOCK_ITEMS = 100


class Dataset(LabelledEnum):
    """What an export contains."""

    COMPLETIONS = "completions", N_("Suivi des modules")
    ATTENDANCE = "attendance", N_("Relevé de connexion")
    KNOWLEDGE = "knowledge", N_("Acquis avant-après")
    SATISFACTION = "satisfaction", N_("Satisfaction (anonyme)")

    @property
    def file_stem(self) -> str:
        return {
            "completions": "suivi-formation", "attendance": "releve-connexion", "knowledge": "acquis-avant-apres",
            "satisfaction": "satisfaction",
        }[self.value]

    @property
    def columns(self) -> tuple[Column, ...]:
        return {
            "completions": COMPLETION_COLUMNS, "attendance": ATTENDANCE_COLUMNS, "knowledge": KNOWLEDGE_COLUMNS,
            "satisfaction": SATISFACTION_COLUMNS,
        }[self.value]

    @property
    def has_xapi(self) -> bool:
        """Module completions and assessment scores have xAPI statements; the attendance log has none."""
        return self in XAPI_DATASETS


XAPI_DATASETS = (Dataset.COMPLETIONS, Dataset.KNOWLEDGE)


class ExportFormat(LabelledEnum):
    """How an export is written."""

    CSV_FR = "csv-fr", N_("CSV (tableur français)")
    CSV = "csv", N_("CSV (virgule)")
    XLSX = "xlsx", N_("Excel (XLSX)")
    JSONL = "jsonl", N_("JSON Lines")
    XAPI = "xapi", N_("xAPI 1.0.3 (JSON)")

    @property
    def extension(self) -> str:
        return {"csv-fr": "csv", "xapi": "json"}.get(self.value, self.value)

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.value]


MIMETYPES = {
    "csv-fr": "text/csv; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "xapi": "application/json; charset=utf-8",
}


class ExportError(ValueError):
    """An export that cannot be made as asked; ``message`` is French, for the administrator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportRequest:
    """What to export and how. ``iso_dates`` switches French spreadsheet dates to ISO 8601."""

    dataset: Dataset
    format: ExportFormat
    filters: ReportFilters
    iso_dates: bool = False
    #: The path's questionnaires, for the satisfaction dataset's question texts.
    surveys: Surveys = DEFAULT_SURVEYS

    def check(self) -> None:
        if self.format is ExportFormat.XAPI and not self.dataset.has_xapi:
            raise ExportError(_("Le format xAPI ne s'applique qu'au suivi des modules et aux acquis."))

    def filename(self, today: date, organisation: Organisation | None = None) -> str:
        """``<organisation>-<dataset>-<group>-<period>-<date>.<ext>``: what a funder's folder needs to
        tell one file from another (the group and period only when the export is limited to them)."""
        if self.format is ExportFormat.XAPI:
            stem = "xapi-statements" if self.dataset is Dataset.COMPLETIONS else "xapi-scored"
        else:
            stem = self.dataset.file_stem
        parts = [slugify(organisation.name) if organisation else "", stem, slugify(self.filters.group)]
        start, end = self.filters.date_from, self.filters.date_to
        if start or end:
            parts.append(f"du-{start.isoformat() if start else 'debut'}-au-{end.isoformat() if end else today.isoformat()}")
        parts.append(f"export-{today.isoformat()}")
        return "-".join(part for part in parts if part) + f".{self.format.extension}"

    def title_lines(self, today: date, organisation: Organisation | None) -> list[str]:
        """What a funder reads above the table (XLSX) or in the first line (CSV-FR): who, what, when."""
        who = organisation_lines(organisation)
        scope = ", ".join(f"{FILTER_NAMES.get(k, k)} {v}" for k, v in self.filters.as_query().items() if v)
        what = f"{self.dataset.french_label} — export du {today.strftime('%d/%m/%Y')}"
        return [*who, f"{what} — {scope}" if scope else what]


def organisation_lines(organisation: Organisation | None) -> list[str]:
    """The organisation's name and declaration number, as the first lines of a file for funders."""
    if organisation is None:
        return ["Organisme : non renseigné (parcours.yml)"]
    return [f"Organisme : {organisation.name}", f"N° de déclaration d'activité : {organisation.registration_number}"]


#: The filters' names in the title lines (French, like the rest of an export).
FILTER_NAMES = {"from": "du", "to": "au", "module": "module", "status": "statut", "profession": "profession",
                "q": "recherche", "group": "groupe"}


def slugify(text: str) -> str:
    """A file-name piece: lower-case ASCII words joined by dashes (« Atelier de Metz » → atelier-de-metz)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:60].strip("-")


@dataclass(frozen=True)
class Export:
    """A started export: what to call the file, its media type, and its content as a stream."""

    filename: str
    mimetype: str
    chunks: Iterator[bytes]


# Cell values ---------------------------------------------------------------------------------------


#: Writes one (non-empty) value of a column as text.
CellFormat = Callable[[Any], str]


def _decimal(separator: str) -> CellFormat:
    return lambda value: f"{round(float(value), 2):g}".replace(".", separator)


def _iso_day(day: date) -> str:
    return day.isoformat()


def _french_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _french_moment(moment: datetime) -> str:
    return local(moment).strftime("%d/%m/%Y %H:%M")


def _french_status(status: LabelledEnum) -> str:
    return status.french_label


#: A comma CSV: ISO 8601 dates, decimal point, status keys, protected text (text columns hold ``str``).
PLAIN_CELLS: dict[str, CellFormat] = {
    "text": protect_formula, "int": str, "decimal": _decimal("."), "date": _iso_day, "datetime": iso_moment,
    "duration": durations.clock, "status": str,
}
#: A French spreadsheet: local dates JJ/MM/AAAA, decimal comma, French status labels.
FRENCH_CELLS: dict[str, CellFormat] = {
    **PLAIN_CELLS, "decimal": _decimal(","), "date": _french_day, "datetime": _french_moment, "status": _french_status,
}
#: A French spreadsheet with ISO 8601 dates (``--dates iso``).
FRENCH_ISO_CELLS: dict[str, CellFormat] = {**FRENCH_CELLS, "date": _iso_day, "datetime": iso_moment}


def cell_formats(columns: tuple[Column, ...], *, french: bool, iso_dates: bool) -> list[CellFormat]:
    """How each column's values are written: chosen once per export, not once per cell."""
    cells = (FRENCH_ISO_CELLS if iso_dates else FRENCH_CELLS) if french else PLAIN_CELLS
    return [cells[column.kind] for column in columns]


def written_cells(row: tuple[Any, ...], formats: list[CellFormat]) -> list[str]:
    """The row's cells as text, empty for missing values."""
    return ["" if value is None else write(value) for write, value in zip(formats, row)]


def json_value(value: Any, kind: str) -> Any:
    """A value in JSON: ISO 8601 dates and durations, numbers as numbers, status keys."""
    if value is None:
        return None
    if kind == "datetime":
        return iso_moment(value)
    if kind == "date":
        return value.isoformat()
    if kind == "duration":
        return durations.iso8601(value)
    if kind == "status":
        return str(value)
    return value


# Formats -------------------------------------------------------------------------------------------


def text_chunks(lines: Iterable[str], prefix: str = "") -> Iterator[bytes]:
    """Gather text into chunks of about ``CHUNK_SIZE`` bytes."""
    buffer = io.StringIO()
    buffer.write(prefix)
    for line in lines:
        buffer.write(line)
        if buffer.tell() >= CHUNK_SIZE:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def csv_lines(rows: Iterable[tuple], columns: tuple[Column, ...], *, french: bool, iso_dates: bool) -> Iterator[str]:
    """CSV text, ``CSV_BLOCK_ROWS`` lines at a time: `;` and French labels for French spreadsheets, `,`
    and keys otherwise."""
    block = io.StringIO()
    writer = csv.writer(block, delimiter=";" if french else ",", lineterminator="\r\n")

    def emit(lines: list[list[str]]) -> str:
        block.seek(0)
        block.truncate()
        writer.writerows(lines)
        return block.getvalue()

    yield emit([[protect_formula(c.label) if french else c.key for c in columns]])
    formats = cell_formats(columns, french=french, iso_dates=iso_dates)
    lines = (written_cells(row, formats) for row in rows)
    while some := list(islice(lines, CSV_BLOCK_ROWS)):
        yield emit(some)


def jsonl_lines(rows: Iterable[tuple], columns: tuple[Column, ...]) -> Iterator[str]:
    for row in rows:
        record = {c.key: json_value(value, c.kind) for c, value in zip(columns, row)}
        yield json.dumps(record, ensure_ascii=False) + "\n"


def json_array_blocks(items: Iterable[str]) -> Iterator[str]:
    """A JSON array (what a learning record store accepts in one POST) of elements that are already JSON
    text, written ``JSON_BLOCK_ITEMS`` elements at a time."""
    items = iter(items)
    opening = "[\n"
    while block := list(islice(items, JSON_BLOCK_ITEMS)):
        yield opening + ",\n".join(block)
        opening = ",\n"
    yield "[]\n" if opening == "[\n" else "\n]\n"


def xlsx_chunks(
    rows: Iterable[tuple], columns: tuple[Column, ...], title: str, iso_dates: bool, heading: list[str] | None = None
) -> Iterator[bytes]:
    """A workbook written row by row to a temporary file, then streamed and deleted."""
    from elearn.reporting.spreadsheet import write_workbook  # openpyxl is imported only for this format

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_workbook(path, rows, columns, title, iso_dates, heading or [])
        with open(path, "rb") as workbook:
            while chunk := workbook.read(CHUNK_SIZE):
                yield chunk
    finally:
        os.unlink(path)


# Starting an export --------------------------------------------------------------------------------


def _rows(session: Session, request: ExportRequest, catalog: Catalog) -> Iterator[tuple]:
    """The dataset's rows, values in the order of its columns."""
    if request.dataset is Dataset.COMPLETIONS:
        return completion_rows(session, request.filters, catalog)
    if request.dataset is Dataset.KNOWLEDGE:
        return knowledge_rows(session, request.filters, catalog)
    if request.dataset is Dataset.SATISFACTION:
        return satisfaction_rows(session, request.filters, catalog, request.surveys)
    return attendance_rows(session, request.filters, catalog)


def csv_comment(lines: list[str]) -> str:
    """The title lines as one CSV comment line (``#``, what ``pandas.read_csv(comment="#")`` and R skip)."""
    return "# " + " — ".join(line.replace("\r", " ").replace("\n", " ") for line in lines) + "\r\n"


def export_chunks(
    session: Session, request: ExportRequest, catalog: Catalog, ctx: xapi.StatementContext, title: list[str] | None = None
) -> Iterator[bytes]:
    """The export's content. Lazy: nothing is read from the database before the first chunk is asked.

    ``title``: the lines naming the organisation and the export, above the table in XLSX and as a
    comment line opening CSV-FR (the plain CSV, JSON Lines and xAPI stay bare data for programs).
    """
    columns, fmt, title = request.dataset.columns, request.format, title or []
    if fmt is ExportFormat.XAPI:
        chosen = xapi.statements if request.dataset is Dataset.COMPLETIONS else xapi.scored_statements
        yield from text_chunks(json_array_blocks(chosen(session, request.filters, ctx)))
    elif fmt is ExportFormat.XLSX:
        yield from xlsx_chunks(_rows(session, request, catalog), columns, request.dataset.french_label, request.iso_dates, title)
    elif fmt is ExportFormat.JSONL:
        yield from text_chunks(jsonl_lines(_rows(session, request, catalog), columns))
    else:
        french = fmt is ExportFormat.CSV_FR
        lines = csv_lines(_rows(session, request, catalog), columns, french=french, iso_dates=request.iso_dates)
        yield from text_chunks(lines, prefix="\ufeff" + (csv_comment(title) if title else "") if french else "")


def start_export(
    session: Session,
    request: ExportRequest,
    catalog: Catalog,
    *,
    actor: User | None,
    base_url: str,
    xapi_actor: str = xapi.ACTOR_ACCOUNT,
    via: str = "web",
    system_user: str = "",
    today: date | None = None,
    organisation: Organisation | None = None,
) -> Export:
    """Record the export in the audit trail (committed), then hand back its stream.

    ``organisation``: named in the file name and above the table (see :func:`export_chunks`).

    ``system_user`` names who exported when there is no account to name (the command line).
    """
    request.check()
    details = {"dataset": request.dataset.value, "format": request.format.value, "filters": request.filters.as_query()}
    if request.iso_dates:
        details["dates"] = "iso"
    if system_user:
        details["system_user"] = system_user
    record(session, "export", actor=actor, target=f"export:{request.dataset.value}", via=via, **details)
    session.commit()
    ctx = xapi.StatementContext(base_url, catalog, xapi_actor, visibility_rules(session))
    today = today or datetime.now(UTC).date()
    title = request.title_lines(today, organisation)
    return Export(request.filename(today, organisation), request.format.mimetype, export_chunks(session, request, catalog, ctx, title))
