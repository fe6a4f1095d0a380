"""The ``elearn`` command line: Flask's CLI group with the project's commands attached.

Commands are thin: they call the same domain functions as the web pages.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from elearn import create_app


def _create_app():  # noqa: ANN202 - FlaskGroup factory signature
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=True, help="elearn: formation en ligne.")
def main() -> None:
    """Entry point of the ``elearn`` console script."""


def _register() -> None:
    from elearn.cli import backup as backup_commands
    from elearn.cli import certificates as certificate_commands
    from elearn.cli import db as db_commands
    from elearn.cli import evidence as evidence_commands
    from elearn.cli import exports as export_commands
    from elearn.cli import modules as module_commands
    from elearn.cli import packages as package_commands
    from elearn.cli import serve as serve_commands
    from elearn.cli import users as user_commands
    from elearn.cli import xapi as xapi_commands

    main.add_command(db_commands.db)
    main.add_command(db_commands.init)
    main.add_command(user_commands.users)
    main.add_command(user_commands.groups_command)
    main.add_command(export_commands.export)
    main.add_command(serve_commands.serve)
    main.add_command(backup_commands.backup)
    main.add_command(backup_commands.restore_command)
    main.add_command(serve_commands.run_command)  # Flask's own ``run``, holding the instance folder
    main.add_command(xapi_commands.xapi)
    for command in evidence_commands.commands:
        main.add_command(command)
    for command in certificate_commands.commands + package_commands.commands + module_commands.commands:
        main.add_command(command)
    try:
        from elearn.cli import content as content_commands
    except ImportError:  # the content tools are optional only while they are being built
        return
    for command in content_commands.commands:
        main.add_command(command)


_register()
