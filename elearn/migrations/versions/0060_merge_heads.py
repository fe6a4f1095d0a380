"""merge the reflection/network, certificates and security branches into a single head

Revision ID: 0060_merge_heads
Revises: 0010_reflection_network, 0020_certificates, 0050_security

The three revisions were written in parallel, each on top of 0001_initial, and databases already
exist at those three heads: their down_revisions stay as they are. This revision only joins them, so
the history has one head from now on and each new revision follows it. No schema change.
"""

from __future__ import annotations

revision = "0060_merge_heads"
down_revision = ("0010_reflection_network", "0020_certificates", "0050_security")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the schema is the union of the three branches, already applied."""


def downgrade() -> None:
    """Nothing to undo: downgrading goes back to the three branch heads."""
