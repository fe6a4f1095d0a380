"""attendance proof: the organisation's identity set in the browser, the signed PDFs as issued

Revision ID: 0110_attendance_proof
Revises: 0120_assessments

Adds the one-row ``organisation`` table (Administration › Organisation): every column nullable, NULL
meaning « parcours.yml's value », so existing installations keep their certificates' organisation.
Adds ``certificatedocument``: each signed PDF as issued, with its SHA-256 (certificates issued
before get theirs on their next download).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0110_attendance_proof"
down_revision = "0120_assessments"
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


    op.create_table(
        "certificatedocument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificate.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_id", "kind"),
    )
    op.create_index(op.f("ix_certificatedocument_certificate_id"), "certificatedocument", ["certificate_id"], unique=False)
    op.create_index(op.f("ix_certificatedocument_sha256"), "certificatedocument", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_certificatedocument_sha256"), table_name="certificatedocument")
    op.drop_index(op.f("ix_certificatedocument_certificate_id"), table_name="certificatedocument")
    op.drop_table("certificatedocument")
    op.drop_table("organisation")
