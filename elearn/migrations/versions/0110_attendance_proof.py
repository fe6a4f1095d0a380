"""attendance proof: the organisation's identity set in the browser

Revision ID: 0110_attendance_proof
Revises: 0080_training_groups

Adds the one-row ``organisation`` table (Administration › Organisation): every column nullable, NULL
meaning « parcours.yml's value », so existing installations keep their certificates' organisation.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0110_attendance_proof"
down_revision = "0080_training_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("siret", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
        sa.Column("registration_number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("signatory_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("signatory_role", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("signature_png", sa.LargeBinary(), nullable=True),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("organisation")
