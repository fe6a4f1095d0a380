"""training groups: learners and the trainers who follow them; syntheses belong to a group

Revision ID: 0080_training_groups
Revises: 0070_certificates_erased_holders

Adds the ``traininggroup`` table (name, registration code) and a nullable ``group_id`` to ``user`` and ``synthesis``. Existing
accounts and syntheses get no group, which keeps what they could see: a trainer without a group follows
every learner. Deleting a group first takes its members and syntheses out of it
(``elearn.groups.delete_group``), so the foreign keys need no ON DELETE rule.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0080_training_groups"
down_revision = "0070_certificates_erased_holders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "traininggroup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("join_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_traininggroup_name"), "traininggroup", ["name"], unique=True)
    op.create_index(op.f("ix_traininggroup_join_code"), "traininggroup", ["join_code"], unique=True)
    # A plain ADD COLUMN, not a batch copy: SQLite could not copy ``user`` while other tables point at its
    # rows (foreign keys stay on inside the migration's transaction), and its ADD COLUMN takes REFERENCES.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("user", "synthesis"):
        if sqlite:
            op.execute(
                f'ALTER TABLE "{table}" ADD COLUMN group_id INTEGER REFERENCES traininggroup (id)'
            )
        else:
            op.add_column(table, sa.Column("group_id", sa.Integer(), nullable=True))
            op.create_foreign_key(
                f"fk_{table}_group_id_traininggroup", table, "traininggroup", ["group_id"], ["id"]
            )
        op.create_index(op.f(f"ix_{table}_group_id"), table, ["group_id"], unique=False)


def downgrade() -> None:
    for table in ("synthesis", "user"):
        op.drop_index(op.f(f"ix_{table}_group_id"), table_name=table)
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN group_id')  # SQLite 3.35+
        else:
            op.drop_constraint(f"fk_{table}_group_id_traininggroup", table, type_="foreignkey")
            op.drop_column(table, "group_id")
    op.drop_index(op.f("ix_traininggroup_join_code"), table_name="traininggroup")
    op.drop_index(op.f("ix_traininggroup_name"), table_name="traininggroup")
    op.drop_table("traininggroup")
