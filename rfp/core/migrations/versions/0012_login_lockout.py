"""login lockout: failed log-ins in a row and the time an account is locked until

Revision ID: 0012
Revises: 0004
Create Date: 2026-12-03 09:36:12.041411
"""

from alembic import op
import sqlalchemy as sa
import rfp.core.db


revision = '0012'
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', rfp.core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
