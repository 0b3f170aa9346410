"""Optimistic locking: a version on the set-up rows whose edit forms check it
(evaluations, criteria, questions, vendors; rfp.core.versions). Existing rows start at 1.

Revision ID: 0019
Revises: 0012
Create Date: 2026-12-03 13:38:55.411598
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("evaluations", "criteria", "questions", "vendors")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
