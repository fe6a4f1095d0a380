"""``elearn xapi status`` and ``elearn xapi send``: the live statements' backlog, and draining it once."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.db import session_scope
from elearn.formatting import local
from elearn.models.outbox import XAPI
from elearn.outbox.queue import backlog
from elearn.outbox.worker import send_channel
from elearn.xapi.lrs import lrs_config
from elearn.xapi.sender import xapi_transport


def _when(moment) -> str:  # noqa: ANN001 - a datetime or None
    return local(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else "—"


@click.group("xapi")
def xapi() -> None:
    """Live xAPI statements: the outbox towards the learning record store."""


@xapi.command("status")
@with_appcontext
def status() -> None:
    """Show the LRS, the statements waiting, the last error and the last delivery."""
    with session_scope() as session:
        lrs = lrs_config(session, current_app.config)
        state = backlog(session, XAPI)
    if lrs is None:
        click.echo("LRS : aucun (ELEARN_XAPI_LRS_URL ou Administration › xAPI) ; les déclarations attendent.")
    else:
        origin = "environnement" if lrs.source == "environment" else "administration"
        click.echo(f"LRS : {lrs.statements_url} ({origin})")
    click.echo(f"En attente : {state.pending}")
    click.echo(f"Plus ancienne en attente : {_when(state.oldest_pending_at)}")
    click.echo(f"Dernier envoi réussi : {_when(state.last_sent_at)}")
    if state.last_error:
        click.echo(f"Dernière erreur ({state.attempts} essai(s), prochain essai {_when(state.next_attempt_at)}) : {state.last_error}")
    if state.rejected:
        click.echo(f"Refusées par le LRS (écartées) : {state.rejected}")


@xapi.command("send")
@with_appcontext
def send() -> None:
    """Send every waiting statement now, in order; exit status 1 if some remain."""
    report = send_channel(current_app._get_current_object(), XAPI, xapi_transport, once=False, force=True)  # noqa: SLF001
    if report is None:
        raise click.ClickException("Aucun LRS configuré (ELEARN_XAPI_LRS_URL ou Administration › xAPI).")
    click.echo(f"Envoyées : {report.sent}")
    if report.rejected:
        click.echo(f"Refusées par le LRS (écartées) : {report.rejected}")
    if report.error:
        raise click.ClickException(f"Envoi interrompu : {report.error}")
