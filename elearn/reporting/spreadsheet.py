"""XLSX workbooks written with openpyxl's write-only mode: rows go to disk as they come.

Dates and times are real spreadsheet dates (in French local time) so they sort and filter; text cells
are protected against formula injection like the CSV exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from elearn.formatting import local
from elearn.reporting import durations
from elearn.reporting.cells import protect_formula
from elearn.reporting.records import Column

DATE_FORMATS = {False: ("DD/MM/YYYY", "DD/MM/YYYY HH:MM"), True: ("YYYY-MM-DD", "YYYY-MM-DD HH:MM")}
WIDTHS = {"text": 24, "int": 12, "decimal": 12, "date": 12, "datetime": 17, "duration": 12, "status": 14}


def _text(value: str) -> str:
    return protect_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def _cell(sheet: WriteOnlyWorksheet, value: Any, kind: str, iso_dates: bool) -> Any:
    if value is None:
        return None
    date_format, moment_format = DATE_FORMATS[iso_dates]
    if kind == "datetime":
        cell = WriteOnlyCell(sheet, value=local(value).replace(tzinfo=None))
        cell.number_format = moment_format
        return cell
    if kind == "date":
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = date_format
        return cell
    if kind == "duration":
        return durations.clock(value)
    if kind == "status":
        return value.french_label
    return _text(value) if kind == "text" else value


def write_workbook(
    path: str, rows: Iterable[tuple], columns: tuple[Column, ...], title: str, iso_dates: bool, heading: Sequence[str] = ()
) -> None:
    """Write ``rows`` under a bold header row, frozen, into the workbook at ``path``.

    ``heading``: lines above the table (the organisation, its declaration number, the export), each in
    its own row, then an empty row; the header row follows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.kind]
    sheet.freeze_panes = f"A{len(heading) + (2 if heading else 1) + 1}"
    for index, line in enumerate(heading):
        cell = WriteOnlyCell(sheet, value=_text(line))
        cell.font = Font(bold=index == 0, size=12 if index == 0 else 11)
        sheet.append([cell])
    if heading:
        sheet.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_text(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value, c.kind, iso_dates) for c, value in zip(columns, row)])
    workbook.save(path)
