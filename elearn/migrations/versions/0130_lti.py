"""LTI 1.3 tool: registered platforms, launched identities, used nonces, gradebook links

Revision ID: 0130_lti
Revises: 0130_outbox

All four tables start empty: nothing changes for existing accounts until an administrator registers a
platform.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0130_lti"
down_revision = "0130_outbox"
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_moment = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "lti_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _text(length=120), nullable=False),
        sa.Column("issuer", _text(length=255), nullable=False),
        sa.Column("client_id", _text(length=255), nullable=False),
        sa.Column("deployment_ids", sa.JSON(), nullable=False),
        sa.Column("keyset_url", _text(length=500), nullable=False),
        sa.Column("auth_url", _text(length=500), nullable=False),
        sa.Column("token_url", _text(length=500), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "client_id"),
    )
    op.create_index(op.f("ix_lti_platform_issuer"), "lti_platform", ["issuer"], unique=False)
    op.create_table(
        "lti_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", _text(length=255), nullable=False),
        sa.Column("subject", _text(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject"),
    )
    op.create_index(op.f("ix_lti_identity_user_id"), "lti_identity", ["user_id"], unique=False)
    op.create_table(
        "lti_nonce",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", _text(length=255), nullable=False),
        sa.Column("nonce", _text(length=255), nullable=False),
        sa.Column("used_at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "nonce"),
    )
    op.create_index(op.f("ix_lti_nonce_used_at"), "lti_nonce", ["used_at"], unique=False)
    op.create_table(
        "lti_grade_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", _text(length=100), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("subject", _text(length=255), nullable=False),
        sa.Column("lineitem", _text(length=500), nullable=False),
        sa.Column("service", sa.JSON(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("completion_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_slug", "lineitem"),
    )
    op.create_index(op.f("ix_lti_grade_link_user_id"), "lti_grade_link", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lti_grade_link_user_id"), table_name="lti_grade_link")
    op.drop_table("lti_grade_link")
    op.drop_index(op.f("ix_lti_nonce_used_at"), table_name="lti_nonce")
    op.drop_table("lti_nonce")
    op.drop_index(op.f("ix_lti_identity_user_id"), table_name="lti_identity")
    op.drop_table("lti_identity")
    op.drop_index(op.f("ix_lti_platform_issuer"), table_name="lti_platform")
    op.drop_table("lti_platform")
