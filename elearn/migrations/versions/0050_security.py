"""security: rate-limit counters shared by the worker processes

Revision ID: 0050_security
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0050_security"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ratelimitcounter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_hit", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start"),
    )
    op.create_index(op.f("ix_ratelimitcounter_expires_at"), "ratelimitcounter", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ratelimitcounter_expires_at"), table_name="ratelimitcounter")
    op.drop_table("ratelimitcounter")
