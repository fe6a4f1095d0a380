"""``elearn export FORMAT``: the administrators' exports from the command line (same code as the web)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.certificates.path import PathConfigError, load_path
from elearn.organisation.identity import organisation_identity
from elearn.config import DEFAULT_BASE_URL
from elearn.db import session_scope
from elearn.reporting.catalog import current_catalog
from elearn.reporting.exports import Dataset, ExportError, ExportFormat, ExportRequest, start_export
from elearn.reporting.filters import LearnerStatus, parse_filters
from elearn.satisfaction.surveys import DEFAULT as DEFAULT_SURVEYS
from elearn.satisfaction.surveys import Surveys



def system_user() -> str:
    """Who runs the command, for the audit trail: the command line has no account to name.

    ``getpass`` reads the login name from the environment, then the password database, which a container
    may lack: the numeric user id still says who it was.
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else ""


def _surveys() -> Surveys:
    """The path's questionnaires (their question texts label the satisfaction rows); the default without a path."""
    try:
        path = load_path(Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]))
    except PathConfigError:
        path = None
    return path.surveys if path is not None else DEFAULT_SURVEYS


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice([f.value for f in ExportFormat]))
@click.option("--data", "dataset", type=click.Choice([d.value for d in Dataset]), default=Dataset.COMPLETIONS.value,
              show_default=True, help="completions: one row per learner and module; attendance: the attendance log.")
@click.option("--from", "date_from", default="", help="Start of the period (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--to", "date_to", default="", help="End of the period, inclusive.")
@click.option("--module", default="", help="Module slug.")
@click.option("--status", default="", type=click.Choice(["", *[s.value for s in LearnerStatus]]))
@click.option("--profession", default="")
@click.option("--group", default="", help="Training group, by name.")
@click.option("--search", default="", help="Part of a name or e-mail address.")
@click.option("--dates", type=click.Choice(["fr", "iso"]), default="fr", show_default=True,
              help="Dates in csv-fr: DD/MM/YYYY or ISO 8601.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@with_appcontext
def export(fmt: str, dataset: str, date_from: str, date_to: str, module: str, status: str, profession: str,
           group: str, search: str, dates: str, output: str | None) -> None:
    """Export completion records, the attendance log, knowledge gain or satisfaction as csv-fr, csv, xlsx, jsonl or xapi."""
    filters, errors = parse_filters(
        {"from": date_from, "to": date_to, "module": module, "status": status, "profession": profession, "q": search,
         "group": group}
    )
    if errors:
        raise click.UsageError(" ".join(errors))
    if fmt == ExportFormat.XLSX.value and output is None and sys.stdout.isatty():
        raise click.UsageError("Un classeur XLSX ne s'affiche pas dans un terminal : précisez -o FICHIER.xlsx.")
    request = ExportRequest(Dataset(dataset), ExportFormat(fmt), filters, iso_dates=dates == "iso", surveys=_surveys())
    with session_scope() as session:
        try:
            started = start_export(
                session, request, current_catalog(), actor=None, via="cli", system_user=system_user(),
                base_url=current_app.config.get("ELEARN_BASE_URL") or DEFAULT_BASE_URL,
                xapi_actor=current_app.config.get("ELEARN_XAPI_ACTOR", "account"),
                organisation=organisation_identity(
                    session, Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"])
                ),
            )
        except ExportError as error:
            raise click.UsageError(error.message) from error
        with click.open_file(output or "-", "wb") as target:
            for chunk in started.chunks:
                target.write(chunk)
    if output:
        click.echo(f"Export écrit dans {output}.", err=True)
