"""vocabulary: CHECK constraints on every column of a closed set

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 09:00:00

Stages, roles, kinds, pricing models, price formulas, aggregations, delivery models,
response statuses and reference answers were checked only by the application. From
here the database refuses any other value too. The values are written out (not imported
from rfp.domain.vocabulary) so that this revision keeps meaning what it meant when a
later one changes a set.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHECKS: dict[str, dict[str, tuple[str, ...]]] = {
    "evaluations": {
        "stage": ("draft", "open", "scoring", "consensus", "decided"),
        "aggregation": ("mean", "median"),
        "price_formula": ("lowest_ratio", "linear", "deviation", "log"),
    },
    "memberships": {"role": ("lead", "evaluator", "viewer")},
    "criteria": {"kind": ("scored", "cost", "references")},
    "questions": {"kind": ("scored", "knockout", "info"), "answer_type": ("text", "number")},
    "vendors": {"delivery_model": ("onshore", "nearshore", "offshore", "specialty")},
    "vendor_responses": {
        "status": ("not_started", "draft", "submitted"),
        "pricing_model": ("per_hour", "per_contact", "per_fte_month"),
    },
    "reference_calls": {"would_sign_again": ("yes", "no", "unsure")},
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, values in columns.items():
                batch.create_check_constraint(
                    op.f(f"ck_{table}_{column}"), _condition(column, values)
                )


def downgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
