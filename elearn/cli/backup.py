"""``elearn backup`` and ``elearn restore``: a consistent copy of the database and its keys, and putting
one back (see :mod:`elearn.backup` and :mod:`elearn.restore`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.backup import BackupError, default_destination, write_backup_archive
from elearn.config import Settings
from elearn.restore import RestoreError, restore
from elearn.server_lock import InstanceBusy


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup archive (default: instance/backups/elearn-<date>-<time>.tar.gz).")
@click.option("--without-keys", is_flag=True,
              help="Leave the instance folder's keys out of the archive (when they are kept in a vault of their own).")
@with_appcontext
def backup(output: Path | None, without_keys: bool) -> None:
    """Back up the database (SQLite online backup, or pg_dump) with the keys that go with it."""
    instance = Path(current_app.config["ELEARN_INSTANCE_DIR"])
    destination = output or default_destination(instance)
    try:
        report = write_backup_archive(instance, current_app.config["ELEARN_DATABASE_URL"], destination, with_keys=not without_keys)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Sauvegarde écrite : {report.path} ({report.path.stat().st_size} octets, lisible par son seul propriétaire)")
    if report.keys:
        click.echo(f"Clés incluses : {', '.join(report.keys)}. Protégez cette archive : elle permet de signer des attestations.")
    missing = [name for name in ("secret_key", "certificate_signing_key.pem") if not (instance / name).exists()]
    if missing and not without_keys:
        click.echo(f"Absentes du dossier d'instance, donc pas dans l'archive : {', '.join(missing)}"
                   + (" (la clé de session vient de ELEARN_SECRET_KEY : gardez-la avec la configuration du serveur)"
                      if "secret_key" in missing and Settings().secret_key else "") + ".")
    if report.keys_left_out:
        click.echo("Clés NON incluses (--without-keys) : gardez ensemble, avec cette sauvegarde, "
                   + ", ".join(str(path) for path in report.keys_left_out) + ". Sans elles, la restauration perd les sessions "
                   "et les attestations déjà délivrées ne se vérifient plus.")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Restore FILE (an `elearn backup` archive, or a .sqlite3/.dump copy) in place of the database.

    The servers on this instance folder must be stopped. The current database and keys are moved
    aside, never deleted; the migrations are run afterwards.
    """
    settings = Settings()  # no application: creating one would write keys into the folder being restored
    database_url = settings.effective_database_url()
    target = database_url.rsplit("@", 1)[-1]
    if not yes:
        click.confirm(f"Remplacer la base {target} (instance {settings.instance_path}) par {file} ?", abort=True)
    try:
        restore(settings.instance_path, database_url, file, echo=click.echo)
    except (RestoreError, InstanceBusy) as error:
        raise click.ClickException(getattr(error, "message", str(error))) from error
