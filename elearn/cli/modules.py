"""``elearn modules``: the published modules as files (export), files published from git (import).

Thin faces over :mod:`elearn.authoring.sync`; they run in the application context (the database).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.authoring.publish import Author, PublishError
from elearn.authoring.sync import export_folder, import_folder, sync_folder
from elearn.content.pipeline import check_tree
from elearn.db import session_scope


@click.group("modules")
def modules() -> None:
    """Modules publiés : export en fichiers, import depuis des fichiers (git), synchronisation."""


@modules.command("export")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(target: Path) -> None:
    """Écrit dans TARGET exactement les modules publiés (et parcours.yml)."""
    with session_scope() as session:
        slugs = export_folder(session, target)
    click.echo(f"{len(slugs)} module(s) publié(s) écrit(s) dans {target}.")


@modules.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--message", "-m", default="Import depuis des fichiers", show_default=True, help="Message de publication.")
@click.option("--author", default="Import en ligne de commande", show_default=True, help="Auteur inscrit dans l'historique.")
@with_appcontext
def import_command(source: Path, message: str, author: str) -> None:
    """Publie les modules de SOURCE qui diffèrent de leur dernière publication (refusé s'il y a une erreur)."""
    media_dir = Path(current_app.config["ELEARN_MEDIA_DIR"])
    errors = [p for p in check_tree(source, media_dir, source.parent) if p.is_error]
    if errors:
        for problem in errors:
            click.echo(f"{problem.path}:{problem.line}: erreur : {problem.message}", err=True)
        raise click.ClickException(f"{len(errors)} erreur(s) : rien n'est publié. Corrigez-les (elearn check).")
    try:
        with session_scope() as session:
            changed, unchanged = import_folder(session, source, Author(author), message)
            sync_folder(session, Path(current_app.config["ELEARN_MODULES_DIR"]),
                        Path(current_app.config["ELEARN_INSTANCE_DIR"]), import_edits=False)
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Publié(s) : {', '.join(changed) or 'aucun'} ; inchangé(s) : {len(unchanged)}.")


@modules.command("sync")
@with_appcontext
def sync_command() -> None:
    """Importe les fichiers modifiés à la main et réécrit ceux que des publications ont remplacés."""
    report = run_sync()
    click.echo(f"Importé(s) : {', '.join(report.imported) or 'aucun'} ; réécrit(s) : {', '.join(report.written) or 'aucun'}.")
    for path in report.conflicts:
        click.echo(f"Conflit : la version des fichiers est gardée dans {path}", err=True)


def run_sync():  # noqa: ANN201 - SyncReport
    """The start-up synchronisation (``elearn serve`` runs it before starting the workers)."""
    with session_scope() as session:
        return sync_folder(session, Path(current_app.config["ELEARN_MODULES_DIR"]),
                           Path(current_app.config["ELEARN_INSTANCE_DIR"]), import_edits=True)


commands = [modules]
