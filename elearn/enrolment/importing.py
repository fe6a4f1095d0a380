"""Bulk account creation from a CSV or XLSX file: read, check every line, preview, then create.

The file has a header line naming its columns (in any order, accents and case ignored): « nom »,
« e-mail », and optionally « profession », « groupe », « rôle ». :func:`read_rows` turns the file into
rows or says why it cannot (:class:`ImportFileError`); :func:`plan_import` checks each row against the
database and sorts it: to create, already there (the e-mail has an account: left alone, which makes a
second import of the same file create nobody twice), or refused with every reason. Nothing is written
until :func:`run_import`, which checks again (time passed since the preview) and creates the accounts
one transaction each.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from elearn import accounts, groups
from elearn.enrolment.create import NewAccount, create_account
from elearn.i18n import _
from elearn.identity import NAME_MAX_LENGTH, PROFESSION_MAX_LENGTH
from elearn.models import Role, User

MAX_ROWS = 2000
#: Column names accepted in the header line, compared without accents, case or punctuation.
HEADERS = {
    "full_name": ("nom", "nom complet", "nom et prenom", "prenom nom", "nom prenom", "name", "full name"),
    "email": ("e mail", "email", "courriel", "adresse e mail", "adresse electronique", "mail"),
    "profession": ("profession", "metier", "fonction"),
    "group": ("groupe", "group", "groupe de formation"),
    "role": ("role",),
}
#: Values of the « rôle » column, compared like the headers; empty means learner.
ROLE_NAMES = {
    "": Role.LEARNER, "apprenant": Role.LEARNER, "apprenante": Role.LEARNER, "apprenant e": Role.LEARNER,
    "learner": Role.LEARNER, "formateur": Role.TRAINER, "formatrice": Role.TRAINER, "formateur rice": Role.TRAINER,
    "trainer": Role.TRAINER, "administrateur": Role.ADMIN, "administratrice": Role.ADMIN,
    "administrateur rice": Role.ADMIN, "admin": Role.ADMIN,
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``message`` says why, in the interface's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportRow:
    """One line of the file as typed (``line``: its number in the file, header included)."""

    line: int
    full_name: str = ""
    email: str = ""
    profession: str = ""
    group: str = ""
    role: str = ""


@dataclass
class PlannedRow:
    """A row and what the import will do with it: ``create``, ``exists`` or ``refused`` (``problems``)."""

    row: ImportRow
    action: str = "create"
    problems: list[str] = field(default_factory=list)
    email: str = ""
    role: Role = Role.LEARNER
    group_id: int | None = None
    group_name: str = ""


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    def _with(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def to_create(self) -> list[PlannedRow]:
        return self._with("create")

    @property
    def existing(self) -> list[PlannedRow]:
        return self._with("exists")

    @property
    def refused(self) -> list[PlannedRow]:
        return self._with("refused")


@dataclass
class ImportResult:
    created: list[tuple[PlannedRow, NewAccount]]
    plan: ImportPlan


def _key(text: str) -> str:
    """« Rôle », « E-mail », « Formateur·rice » → « role », « e mail », « formateur rice »."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def _columns(header: Iterable[object]) -> dict[str, int]:
    """Which column holds which field; refuses a header without a name and an e-mail column."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _key("" if title is None else str(title))
        for name, accepted in HEADERS.items():
            if key in accepted and name not in found:
                found[name] = index
    missing = [label for name, label in (("full_name", "nom"), ("email", "e-mail")) if name not in found]
    if missing:
        raise ImportFileError(_(
            "La première ligne doit nommer les colonnes ; colonne(s) introuvable(s) : %(missing)s. "
            "Colonnes attendues : nom, e-mail, et si besoin profession, groupe, rôle.", missing=", ".join(missing)))
    return found


class _FrenchCsv(csv.excel):
    delimiter = ";"


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what older French Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_records(data: bytes) -> list[list[str]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:  # one column, or too few lines to tell: French spreadsheets write semicolons
        dialect = _FrenchCsv if sample.count(";") >= sample.count(",") else csv.excel
    return list(csv.reader(io.StringIO(text), dialect)) if text.strip() else []


def _xlsx_records(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # only for this format

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("Ce fichier XLSX est illisible (abîmé, ou pas un classeur Excel).")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(filename: str, data: bytes) -> list[ImportRow]:
    """The file's rows, by its extension (``.csv`` or ``.xlsx``), numbered as in the file; empty lines
    (before the header too) are skipped."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        records: list[list] = _xlsx_records(data)
    elif name.endswith((".csv", ".txt")):
        records = _csv_records(data)
    else:
        raise ImportFileError(_("Envoyez un fichier .csv ou .xlsx (par exemple enregistré depuis Excel ou LibreOffice)."))
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(str(c).strip() for c in r if c is not None)]
    if not numbered:
        raise ImportFileError(_("Le fichier est vide."))
    (_header_line, header), *lines = numbered
    columns = _columns(header)
    if len(lines) > MAX_ROWS:
        raise ImportFileError(_("Le fichier compte plus de %(max)d lignes : découpez-le en plusieurs fichiers.", max=MAX_ROWS))

    def cell(record: list, name: str) -> str:
        index = columns.get(name)
        value = record[index] if index is not None and index < len(record) else None
        return "" if value is None else " ".join(str(value).split())

    return [
        ImportRow(number, *(cell(record, name) for name in ("full_name", "email", "profession", "group", "role")))
        for number, record in lines
    ]


def plan_import(session: Session, rows: list[ImportRow]) -> ImportPlan:
    """What importing ``rows`` would do, with every problem of every line; writes nothing."""
    groups_by_key = {_key(g.name): g for g in groups.all_groups(session)}
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        plan = PlannedRow(row)
        if not row.full_name:
            plan.problems.append(_("nom manquant"))
        elif len(row.full_name) > NAME_MAX_LENGTH:
            plan.problems.append(_("nom trop long (%(max)d caractères au plus)", max=NAME_MAX_LENGTH))
        if len(row.profession) > PROFESSION_MAX_LENGTH:
            plan.problems.append(_("profession trop longue (%(max)d caractères au plus)", max=PROFESSION_MAX_LENGTH))
        try:
            plan.email = accounts.normalise_email(row.email)
        except accounts.AccountError:
            plan.problems.append(_("adresse e-mail manquante") if not row.email else _("adresse e-mail invalide « %(email)s »", email=row.email))
        role = ROLE_NAMES.get(_key(row.role))
        if role is None:
            plan.problems.append(_("rôle inconnu « %(role)s » (apprenant, formateur ou administrateur)", role=row.role))
        else:
            plan.role = role
        if row.group:
            group = groups_by_key.get(_key(row.group))
            if group is None:
                plan.problems.append(_("groupe inconnu « %(group)s » : créez-le d'abord dans Groupes", group=row.group))
            else:
                plan.group_id, plan.group_name = group.id, group.name
        if plan.email and plan.email in seen:
            plan.problems.append(_("adresse déjà présente ligne %(line)d du fichier", line=seen[plan.email]))
        elif plan.email:
            seen[plan.email] = row.line
        if plan.problems:
            plan.action = "refused"
        elif accounts.find_user_by_email(session, plan.email) is not None:
            plan.action = "exists"
        planned.append(plan)
    return ImportPlan(planned)


def run_import(session: Session, rows: list[ImportRow], *, actor: User) -> ImportResult:
    """Check ``rows`` again and create the accounts to create (each with its group and password link)."""
    plan = plan_import(session, rows)
    created = []
    for planned in plan.to_create:
        try:
            account = create_account(
                session, email=planned.email, full_name=planned.row.full_name, profession=planned.row.profession,
                role=planned.role, group_id=planned.group_id, actor=actor,
            )
        except accounts.AccountError:  # created by someone else since the check: nothing to do twice
            planned.action = "exists"
            continue
        created.append((planned, account))
    return ImportResult(created, plan)
