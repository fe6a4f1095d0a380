"""``elearn serve``: the production server (gunicorn, several worker processes)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from elearn import create_app, migrate
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
    click.echo(f"elearn sur http://{host}:{port} ({workers} processus, plus l'envoi des déclarations xAPI et des notes)")
    run(create_app, ServerOptions(host, port, workers, threads, timeout, access_log))
