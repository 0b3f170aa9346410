"""evaluation data version

The counter every write to an evaluation bumps (rfp.core.data_version); cached results
are keyed by it.

Revision ID: 0013
Revises: 0004
Create Date: 2026-12-03 09:33:41.696136
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('data_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_column('data_version')
