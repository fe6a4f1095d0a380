"""``elearn serve``: the production server (gunicorn, several worker processes)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import run_command as flask_run_command
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from elearn import create_app, migrate, server_lock
from elearn.config import Settings
from elearn.db import get_engine
from elearn.server import ServerOptions, run


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind a reverse proxy: loopback).")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", "-w", default=2, show_default=True, type=click.IntRange(1),
              help="Worker processes; about two per processor core.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1), help="Threads per worker.")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(5), help="Seconds before a stuck worker is restarted.")
@click.option("--access-log", default=None, metavar="FILE", help="Access log file ('-': standard output).")
@with_appcontext
def serve(host: str, port: int, workers: int, threads: int, timeout: int, access_log: str | None) -> None:
    """Serve the application with gunicorn; the workers share nothing but the database.

    The database must be up to date (``elearn db upgrade``): a server never changes the schema itself,
    so an upgrade is always a deliberate step.
    """
    engine = get_engine()
    try:
        behind = migrate.head_revisions() - migrate.current_revisions(engine)
    except OperationalError as error:
        raise click.ClickException(f"Base de données injoignable : {error.orig}") from error
    finally:
        engine.dispose()  # no connection opened here may be inherited by the workers
    if behind:
        raise click.ClickException("La base de données n'est pas à jour : lancez « elearn db upgrade » puis recommencez.")
    _hold_instance(Path(current_app.config["ELEARN_INSTANCE_DIR"]))
    _import_module_files()
    click.echo(f"elearn sur http://{host}:{port} ({workers} processus, plus l'envoi des déclarations xAPI et des notes)")
    run(create_app, ServerOptions(host, port, workers, threads, timeout, access_log))


def _import_module_files() -> None:
    """Publish modules edited as files since the last start; rewrite those published meanwhile."""
    from elearn.cli.modules import run_sync  # noqa: PLC0415 - the content tools load lazily

    report = run_sync()
    get_engine().dispose()  # no connection opened here may be inherited by the workers
    for path in report.conflicts:
        click.echo(f"Attention : module modifié à la fois dans les fichiers et dans l'éditeur ; la version des fichiers est gardée dans {path}", err=True)
    if report.imported:
        click.echo(f"Modules publiés depuis les fichiers : {', '.join(report.imported)}")


def _hold_instance(instance_dir: Path) -> None:
    """Mark the instance folder as served for as long as this process and its workers live."""
    try:
        server_lock.hold_for_server(instance_dir)
    except server_lock.InstanceBusy as error:
        raise click.ClickException(str(error)) from error


def _run_holding_instance(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - Flask's own parameters
    _hold_instance(Settings().instance_path)
    return flask_run_command.callback(*args, **kwargs)


#: ``elearn run`` (the development server of ``make run``) is Flask's, plus the instance folder's lock,
#: so that ``elearn restore`` refuses to run under it as it does under ``elearn serve``.
run_command = click.Command(
    "run", params=flask_run_command.params, callback=_run_holding_instance,
    help=flask_run_command.help, short_help=flask_run_command.short_help,
)
