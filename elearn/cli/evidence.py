"""``elearn evidence`` and ``elearn verify-evidence``: evidence packs from the command line.

The same functions as the administration pages (:mod:`elearn.evidence`): a pack written with the CLI is
recorded in the audit trail like a download (without an actor).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from elearn.accounts import find_user_by_email, record
from elearn.certificates import signing
from elearn.certificates.path import PathConfigError, load_path
from elearn.db import session_scope
from elearn.evidence.manifest import verify_pack
from elearn.evidence.pack import PackContext, UnknownGroup, group_names, group_pack, learner_pack, learners_for, period_scope
from elearn.models.base import utcnow
from elearn.organisation.identity import current_identity
from elearn.web.modules import get_library


def _context(session) -> PackContext:  # noqa: ANN001
    instance = Path(current_app.config["ELEARN_INSTANCE_DIR"])
    try:
        path = load_path(Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]))
    except PathConfigError:
        path = None
    titles = {module.slug: module.title for module in get_library().modules()}
    return PackContext(
        signing.load_or_create_private_key(instance), current_identity(session, path).name, titles, group_names(session)
    )


@click.command("evidence")
@click.argument("email", required=False)
@click.option("--group", "group", default=None, help="Nom du groupe de formation.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Début de la période (AAAA-MM-JJ).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Fin de la période (AAAA-MM-JJ).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Fichier ZIP à écrire.")
@with_appcontext
def evidence(email: str | None, group: str | None, start, end, output: Path) -> None:  # noqa: ANN001
    """Écrit le dossier de preuves d'un·e apprenant·e (EMAIL), ou d'un groupe et/ou d'une période."""
    if bool(email) == bool(group or start or end):
        raise click.UsageError("Indiquez soit une adresse e-mail, soit --group et/ou --from/--to.")
    first, last = (start.date() if start else None), (end.date() if end else None)
    with session_scope() as session:
        if email:
            user = find_user_by_email(session, email)
            if user is None:
                raise click.ClickException(f"Aucun compte avec l'adresse {email}.")
            chunks, target, count = learner_pack(session, user, _context(session), utcnow()), f"user:{user.id}", 1
        else:
            try:
                users = learners_for(session, group, first, last)
            except UnknownGroup as error:
                raise click.ClickException(f"Le groupe « {error} » n'existe pas.") from error
            scope = period_scope(group, first, last)
            chunks, target, count = group_pack(session, users, _context(session), utcnow(), scope), f"group:{group}" if group else "period", len(users)
        _write(output, chunks)
        record(session, "evidence.downloaded", target=target, file=output.name, via="cli", learners=count)
    click.echo(f"Dossier de preuves écrit : {output} ({count} apprenant·e(s)).")


def _write(output: Path, chunks) -> None:  # noqa: ANN001
    """Write to a temporary file renamed at the end: an interrupted run leaves no half archive."""
    partial = output.with_name(output.name + ".partiel")
    with partial.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    partial.replace(output)


@click.command("verify-evidence")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Public key of the organisation (PEM or the published JSON). Default: this installation's key.")
@with_appcontext
def verify_evidence(file: Path, key_file: Path | None) -> None:
    """Vérifie le manifeste signé d'un dossier de preuves ; code de sortie 0 s'il est intact, 1 sinon."""
    try:
        key = signing.read_public_key_file(key_file) if key_file else signing.load_public_key(Path(current_app.config["ELEARN_INSTANCE_DIR"]))
    except signing.SigningKeyError as error:
        raise click.UsageError(error.message) from error
    result = verify_pack(file, key)
    click.echo(("OK : " if result.valid else "ÉCHEC : ") + result.message)
    sys.exit(0 if result.valid else 1)


commands = [evidence, verify_evidence]
