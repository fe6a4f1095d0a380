"""``elearn users ...``: manage accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from elearn import accounts, groups
from elearn.db import session_scope
from elearn.models import Role


@click.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value, show_default=True)
@click.option("--name", "full_name", default=None, help="Full name as printed on certificates.")
@click.option("--profession", default="")
@click.option("--password", default=None, help="Password (generated and printed when omitted).")
@click.option("--group", "group_name", default=None, help="Training group (see « elearn groups list »).")
@with_appcontext
def create(email: str, role: str, full_name: str | None, profession: str, password: str | None, group_name: str | None) -> None:
    """Create an account; prints the generated password once."""
    generated = password is None
    password = password or accounts.generate_password()
    with session_scope() as session:
        group = groups.find_group_by_name(session, group_name) if group_name else None
        if group_name and group is None:
            raise click.ClickException(
                f"Aucun groupe « {group_name} » : créez-le d'abord (« elearn groups create NOM ») ; aucun compte créé."
            )
        try:
            user = accounts.create_user(
                session,
                email=email,
                full_name=full_name or email.split("@")[0],
                profession=profession,
                password=password,
                role=Role(role),
            )
        except accounts.AccountError as error:
            raise click.ClickException(_refusal(session, email, error)) from error
        if group is not None:
            groups.assign_group(session, user, group.id, actor=None)
        click.echo(f"Compte créé : {user.email} ({Role(role).label}).")
    if generated:
        click.echo(f"Mot de passe : {password}")


def _refusal(session: Session, email: str, error: accounts.AccountError) -> str:
    """The reason, in French; for a taken address, advice for whoever runs the command rather than the
    web form's (« Mot de passe oublié ») meant for the account's owner. The database refused the
    duplicate: the look-up only words the message."""
    existing = accounts.find_user_by_email(session, email) if error.field == "email" else None
    if existing is None:
        return error.message
    return (
        f"Un compte existe déjà avec l'adresse {existing.email} ({Role(existing.role).label}) : "
        f"aucun compte créé ; pour lui donner un nouveau mot de passe, lancez « elearn users reset-link {existing.email} »."
    )


@users.command("reset-link")
@click.argument("email")
@with_appcontext
def reset_link(email: str) -> None:
    """Print a single-use password-reset link (valid 48 hours) for EMAIL."""
    from flask import current_app, url_for

    with session_scope() as session:
        user = accounts.find_user_by_email(session, email)
        if user is None:
            raise click.ClickException(f"Aucun compte pour {email}.")
        token = accounts.issue_reset_token(session, user, actor=None)
    base = current_app.config.get("ELEARN_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        click.echo(url_for("auth.reset_password", token=token, _external=True))


@click.group("groups")
def groups_command() -> None:
    """Training groups (learners and the trainers who follow them)."""


@groups_command.command("list")
@with_appcontext
def list_groups() -> None:
    """Every group with its numbers of learners and trainers."""
    with session_scope() as session:
        summaries = groups.list_groups(session)
    if not summaries:
        click.echo("Aucun groupe.")
    for summary in summaries:
        click.echo(f"{summary.group.name} : {summary.learners} apprenant(s), {summary.trainers} formateur(s)")


@groups_command.command("create")
@click.argument("name")
@with_appcontext
def create_group(name: str) -> None:
    """Create a group."""
    with session_scope() as session:
        try:
            group = groups.create_group(session, name, actor=None)
        except groups.GroupError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Groupe créé : {group.name}.")
