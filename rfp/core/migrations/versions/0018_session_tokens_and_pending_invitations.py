"""session tokens (revocable sessions) and pending invitations (imported panels)

Every account gets a session token, part of its session and remember-me cookies; the
people a non-administrator's scenario import names wait as pending invitations.

Revision ID: 0018
Revises: 0012
Create Date: 2026-12-03 13:13:58.374954
"""

import secrets

from alembic import op
import sqlalchemy as sa
import rfp.core.db


revision = '0018'
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', rfp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_pending_invitations_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_pending_invitations_imported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_invitations')),
    sa.UniqueConstraint('evaluation_id', 'key', name=op.f('uq_pending_invitations_evaluation_id_key'))
    )
    with op.batch_alter_table('pending_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_invitations_evaluation_id'), ['evaluation_id'], unique=False)

    # Existing accounts: a token each (their current cookies, which carry none, end).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')

    with op.batch_alter_table('pending_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_invitations_evaluation_id'))

    op.drop_table('pending_invitations')
