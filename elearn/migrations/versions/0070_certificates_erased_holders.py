"""certificates: take the holder's name out of certificates of accounts erased before erasure reached them

Revision ID: 0070_certificates_erased_holders
Revises: 0060_merge_heads

Until erasure reached certificates (commit 447c2ac), ``elearn.privacy.erase_person`` anonymised the
account but left the person's name and profession in the stored credential of their certificates, so
the public verification page and the administration kept showing them. An erasure now redacts those
credentials (``forget_holder``); this revision does the same, once, for the accounts erased before:
each certificate whose holder's address is in the erased domain gets its credential redacted by the
same pure function (placeholder name, no profession, no proof: it covered the name and could only
fail now). The certificates stay valid. Data only, no schema change; redacting twice changes nothing.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from elearn.certificates.credential import redacted_credential
from elearn.privacy import ERASED_NAME
from elearn.reporting.conditions import ERASED_EMAIL_DOMAIN

revision = "0070_certificates_erased_holders"
down_revision = "0060_merge_heads"
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

# The columns this revision reads and writes, as they are at this revision (not the current models).
_user = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String))
_certificate = sa.table(
    "certificate", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer), sa.column("credential", sa.Text)
)


def upgrade() -> None:
    """Redact the credentials of erased accounts' certificates that still name their holder."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_certificate.c.id, _certificate.c.credential)
        .join(_user, _user.c.id == _certificate.c.user_id)
        .where(_user.c.email.endswith("@" + ERASED_EMAIL_DOMAIN))
    ).all()
    for certificate_id, stored in rows:
        try:
            redacted = redacted_credential(stored, ERASED_NAME)
        except ValueError:  # never written by elearn; left for an administrator rather than blocking the upgrade
            logger.warning("certificate %s: stored credential is not JSON, left unchanged", certificate_id)
            continue
        if redacted != stored:
            connection.execute(
                sa.update(_certificate).where(_certificate.c.id == certificate_id).values(credential=redacted)
            )


def downgrade() -> None:
    """Nothing to undo: the names were erased at the person's request and are not kept anywhere."""
