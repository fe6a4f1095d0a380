"""administration in the browser: module visibility by group, identity changes awaiting approval

Revision ID: 0160_administration
Revises: 0100_account_sessions

Adds ``modulevisibility`` (a module's audience: hidden, everyone, some groups), ``modulevisibilitygroup``
(the groups of a restricted module) and ``identitychangerequest`` (a learner's name, e-mail or profession
change waiting for an administrator because a certificate was already issued). Modules without a row
stay visible to everyone, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0160_administration"
down_revision = "0100_account_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "modulevisibility",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "modulevisibilitygroup",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["traininggroup.id"]),
        sa.PrimaryKeyConstraint("slug", "group_id"),
    )
    op.create_index(op.f("ix_modulevisibilitygroup_group_id"), "modulevisibilitygroup", ["group_id"], unique=False)
    op.create_table(
        "identitychangerequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("profession", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_identitychangerequest_user_id"), "identitychangerequest", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_identitychangerequest_user_id"), table_name="identitychangerequest")
    op.drop_table("identitychangerequest")
    op.drop_index(op.f("ix_modulevisibilitygroup_group_id"), table_name="modulevisibilitygroup")
    op.drop_table("modulevisibilitygroup")
    op.drop_table("modulevisibility")
