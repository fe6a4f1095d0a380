"""assessments and satisfaction: attempts at the positioning test and final assessment, survey answers

Revision ID: 0120_assessments
Revises: 0150_health_probe

Two new tables, nothing changed in existing ones: ``assessmentattempt`` keeps every attempt (its draw,
answers and score), ``surveyresponse`` the satisfaction surveys (« à chaud » and « à froid »).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0120_assessments"
down_revision = "0150_health_probe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessmentattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempt_number", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("bank_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("drawn", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("max_points", sa.Float(), nullable=True),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
        sa.UniqueConstraint("user_id", "kind", "attempt_number"),
    )
    op.create_index(op.f("ix_assessmentattempt_user_id"), "assessmentattempt", ["user_id"], unique=False)
    op.create_index(op.f("ix_assessmentattempt_kind"), "assessmentattempt", ["kind"], unique=False)
    op.create_index(op.f("ix_assessmentattempt_submitted_at"), "assessmentattempt", ["submitted_at"], unique=False)
    op.create_table(
        "surveyresponse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "kind"),
    )
    op.create_index(op.f("ix_surveyresponse_user_id"), "surveyresponse", ["user_id"], unique=False)
    op.create_index(op.f("ix_surveyresponse_submitted_at"), "surveyresponse", ["submitted_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_surveyresponse_submitted_at"), table_name="surveyresponse")
    op.drop_index(op.f("ix_surveyresponse_user_id"), table_name="surveyresponse")
    op.drop_table("surveyresponse")
    op.drop_index(op.f("ix_assessmentattempt_submitted_at"), table_name="assessmentattempt")
    op.drop_index(op.f("ix_assessmentattempt_kind"), table_name="assessmentattempt")
    op.drop_index(op.f("ix_assessmentattempt_user_id"), table_name="assessmentattempt")
    op.drop_table("assessmentattempt")
