"""``elearn db ...`` and ``elearn init``: create or upgrade the database, first administrator, signing key."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from elearn import accounts, migrate
from elearn.certificates import pades, signing
from elearn.db import get_engine, session_scope
from elearn.models import Role, User


@click.group()
def db() -> None:
    """Database schema (migrations)."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True, help="Target revision.")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Create the database or bring it up to date. Safe to run again; never loses data."""
    migrate.upgrade(get_engine(), revision)
    click.echo(f"Base de données à jour (révision {', '.join(sorted(migrate.current_revisions(get_engine())))}).")


@db.command("current")
@with_appcontext
def current_command() -> None:
    """Show the schema revision of the database and the latest one available."""
    current = ", ".join(sorted(migrate.current_revisions(get_engine()))) or "aucune"
    click.echo(f"actuelle : {current} ; dernière : {', '.join(sorted(migrate.head_revisions()))}")


@db.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision_command(message: str) -> None:
    """(Developers) write a migration from the difference between the models and the database."""
    migrate.autogenerate(get_engine(), message)


def ensure_first_admin() -> tuple[str, str] | None:
    """Create an administrator when none exists; return (email, password) the one time it does."""
    with session_scope() as session:
        if session.exec(select(User).where(User.role == Role.ADMIN.value)).first() is not None:
            return None
        email = current_app.config["ELEARN_ADMIN_EMAIL"]
        password = accounts.generate_password()
        accounts.create_user(
            session, email=email, full_name="Administrateur", password=password, role=Role.ADMIN
        )
        return email, password


def ensure_signing_key() -> None:
    """Create the certificates' signing key on the first run; say where it is, never what it is."""
    key_file = Path(current_app.config["ELEARN_INSTANCE_DIR"]) / signing.KEY_FILE
    try:
        created = signing.ensure_private_key(key_file.parent)
    except (signing.SigningKeyError, ValueError) as error:
        # Never replaced: the PDFs already issued are only verifiable offline against this very key.
        raise click.ClickException(
            f"{key_file} n'est pas une clé de signature Ed25519 lisible : remettez-y la sauvegarde de cette clé."
        ) from error
    if created:
        click.echo(f"Clé de signature des attestations créée : {key_file} (à sauvegarder avec la base, à ne jamais publier).")
    ensure_pdf_signer()


def ensure_pdf_signer() -> None:
    """Create the self-issued certificate that signs the PDFs, unless one (perhaps the organisation's) is there."""
    signer_file = Path(current_app.config["ELEARN_INSTANCE_DIR"]) / pades.SIGNER_FILE
    try:
        created = pades.ensure_signer(signer_file.parent)
    except (pades.PdfSignerError, ValueError) as error:
        raise click.ClickException(
            f"{signer_file} n'est pas lisible ({error}) : remettez-y la sauvegarde de la clé et du certificat de "
            "signature des PDF."
        ) from error
    if created:
        click.echo(
            f"Certificat de signature des PDF créé (auto-émis, ECDSA P-256) : {signer_file} (à sauvegarder avec la "
            "base ; remplaçable par le certificat de l'organisme, voir docs/certificates.md)."
        )


@click.command("init")
@with_appcontext
def init() -> None:
    """Upgrade the database; on the very first run, create an administrator (password shown once) and the
    certificates' signing key."""
    migrate.upgrade(get_engine())
    ensure_signing_key()
    created = ensure_first_admin()
    if created:
        email, password = created
        banner = "=" * 64
        click.echo(
            f"{banner}\nCompte administrateur créé (ce mot de passe ne sera plus affiché) :\n"
            f"  e-mail       : {email}\n  mot de passe : {password}\n{banner}"
        )
    else:
        click.echo("Base de données à jour.")
