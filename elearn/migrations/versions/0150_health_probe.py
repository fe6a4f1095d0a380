"""health probe: one row that /healthz rewrites, so a database that cannot be written is reported

Revision ID: 0150_health_probe
Revises: 0080_training_groups

``/healthz`` used to run ``SELECT 1`` only, and said "ok" while every write failed (full disk,
read-only files). It now rewrites this table's single row in a committed transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0150_health_probe"
down_revision = "0080_training_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "healthprobe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    probe = sa.table("healthprobe", sa.column("id", sa.Integer), sa.column("checked_at", sa.DateTime))
    op.bulk_insert(probe, [{"id": 1, "checked_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("healthprobe")
