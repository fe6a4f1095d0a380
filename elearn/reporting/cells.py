"""Protection of spreadsheet cells against formula injection (CSV and XLSX alike).

A learner's name such as ``=HYPERLINK(...)`` would otherwise run as a formula when an administrator opens
the export. OWASP's advice: prefix text starting with a formula trigger with an apostrophe.
"""

from __future__ import annotations

#: A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def protect_formula(text: str) -> str:
    """``text`` made inert: a leading apostrophe when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
