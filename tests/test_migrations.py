"""The migrations create exactly the schema the models describe, and upgrading twice is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from elearn import migrate
from elearn.db import get_engine
from elearn.models import metadata


def test_migrations_match_models(app):
    with get_engine(app).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_upgrade_is_idempotent_and_at_head(app):
    engine = get_engine(app)
    migrate.upgrade(engine)
    assert migrate.current_revisions(engine) == migrate.head_revisions()
