"""module publications, drafts and uploaded media: modules authored in the browser, with their full history

Revision ID: 0170_module_publications
Revises: 0130_lti

Publications hold every published version's full text (shown, compared, restored, exported); drafts
hold what trainers are editing, section by section, with a version number for optimistic concurrency.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0170_module_publications"
down_revision = "0130_lti"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('modulepublication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('entry', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('module_slug', 'number')
    )
    op.create_index(op.f('ix_modulepublication_module_slug'), 'modulepublication', ['module_slug'], unique=False)
    op.create_index(op.f('ix_modulepublication_published_at'), 'modulepublication', ['published_at'], unique=False)
    op.create_table('moduledraft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('entry', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('base_publication_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['base_publication_id'], ['modulepublication.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('module_slug')
    )
    op.create_table('draftsection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stem', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['moduledraft.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_draftsection_draft_id'), 'draftsection', ['draft_id'], unique=False)
    op.create_table('mediafile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )


def downgrade() -> None:
    op.drop_table("mediafile")
    op.drop_index(op.f("ix_draftsection_draft_id"), table_name="draftsection")
    op.drop_table("draftsection")
    op.drop_table("moduledraft")
    op.drop_index(op.f("ix_modulepublication_published_at"), table_name="modulepublication")
    op.drop_index(op.f("ix_modulepublication_module_slug"), table_name="modulepublication")
    op.drop_table("modulepublication")
