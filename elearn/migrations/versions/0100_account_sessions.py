"""accounts: sessions ended by log-out, and learners' erasure requests

Revision ID: 0100_account_sessions
Revises: 0110_attendance_proof

``endedsession`` lists log-ins ended by log-out, so a copy of their cookies saved before no longer
opens the account on any worker (rows are purged once every such cookie has expired).
``erasurerequest`` holds the erasure requests learners make from « Mon compte », until an
administrator decides. Session identifiers now carry a random token: sessions opened before this
revision are ended once (their holders log in again).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0100_account_sessions"
down_revision = "0110_attendance_proof"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "endedsession",
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index(op.f("ix_endedsession_user_id"), "endedsession", ["user_id"], unique=False)
    op.create_index(op.f("ix_endedsession_ended_at"), "endedsession", ["ended_at"], unique=False)
    op.create_table(
        "erasurerequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("handled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_erasurerequest_user_id"), "erasurerequest", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_erasurerequest_user_id"), table_name="erasurerequest")
    op.drop_table("erasurerequest")
    op.drop_index(op.f("ix_endedsession_ended_at"), table_name="endedsession")
    op.drop_index(op.f("ix_endedsession_user_id"), table_name="endedsession")
    op.drop_table("endedsession")
