"""Rate lines per channel and language, and volume tiers, beside a vendor's single rate.

Revision ID: 0020
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vendor_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_lines", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("volume_tiers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vendor_responses", schema=None) as batch_op:
        batch_op.drop_column("volume_tiers")
        batch_op.drop_column("rate_lines")
