"""Alembic environment: runs migrations on the connection handed over by :mod:`elearn.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import elearn.models  # noqa: F401 - registers every table on the metadata
from elearn.models import metadata

config = context.config


def _configure(connection) -> None:  # noqa: ANN001 - a SQLAlchemy connection
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table copies to alter columns
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        _configure(connection)


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
