"""abstentions, scorecards submitted at consensus, the award's open items

Revision ID: 0011
Revises: 0004
Create Date: 2026-12-03 09:37:12

- scores: an evaluator may abstain on a (vendor, question) with a reason (kept in
  `comment`): `abstained`, and `value` is then empty. A CHECK keeps the two consistent.
- memberships: `auto_submitted`, a scorecard submitted as it stood when consensus opened.
- evaluations: what was still open when the award was recorded, and the lead's reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

VALUE_OR_ABSTAINED = "(abstained AND value IS NULL) OR (NOT abstained AND value IS NOT NULL)"


def upgrade() -> None:
    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.add_column(sa.Column("award_open_items", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "award_open_items_reason", sa.Text(), server_default=sa.text("''"), nullable=False
            )
        )

    with op.batch_alter_table("memberships") as batch_op:
        batch_op.add_column(
            sa.Column("auto_submitted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("scores") as batch_op:
        batch_op.add_column(
            sa.Column("abstained", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=True)
        batch_op.create_check_constraint(
            op.f("ck_scores_value_or_abstained"), VALUE_OR_ABSTAINED
        )


def downgrade() -> None:
    # The schema before had no place for an abstention: they go.
    op.execute("DELETE FROM scores WHERE abstained")
    with op.batch_alter_table("scores") as batch_op:
        batch_op.drop_constraint(op.f("ck_scores_value_or_abstained"), type_="check")
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=False)
        batch_op.drop_column("abstained")

    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_column("auto_submitted")

    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.drop_column("award_open_items_reason")
        batch_op.drop_column("award_open_items")
