"""``elearn backup``: a consistent copy of the database, taken while the application runs."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.backup import BackupError, backup_database, default_destination


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup file (default: instance/backups/elearn-<date>-<time>.sqlite3 or .dump).")
@with_appcontext
def backup(output: Path | None) -> None:
    """Back up the database: SQLite online backup, or pg_dump (custom format) for PostgreSQL."""
    url = current_app.config["ELEARN_DATABASE_URL"]
    destination = output or default_destination(Path(current_app.config["ELEARN_INSTANCE_DIR"]), url)
    try:
        written = backup_database(url, destination)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Sauvegarde écrite : {written} ({written.stat().st_size} octets)")
