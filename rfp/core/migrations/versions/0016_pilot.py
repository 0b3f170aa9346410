"""pilot: shortlist, success criteria, weekly KPI figures, split awards

Revision ID: 0016
Revises: 0004
Create Date: 2026-12-03 09:39:00.934934

The optional `pilot` stage between consensus and decided: the evaluations' stage CHECK
constraint takes the new value, and the pilot's own tables (the shortlist, the success
criteria, the weekly KPI figures) and the split award's volume shares are created. The
values of the closed sets are written out, as in 0002, so that this revision keeps
meaning what it meant when a later one changes a set.
"""

from alembic import op
import sqlalchemy as sa
import rfp.core.db


revision = '0016'
down_revision = "0015"
branch_labels = None
depends_on = None


STAGES_BEFORE = ("draft", "open", "scoring", "consensus", "decided")
STAGES_AFTER = ("draft", "open", "scoring", "consensus", "pilot", "decided")


def _stage_check(stages: tuple[str, ...]) -> None:
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_constraint(op.f("ck_evaluations_stage"), type_="check")
        batch.create_check_constraint(
            op.f("ck_evaluations_stage"), f"stage IN ({', '.join(repr(s) for s in stages)})"
        )


def upgrade() -> None:
    _stage_check(STAGES_AFTER)
    op.create_table('pilots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('contact_types', sa.Text(), nullable=False),
    sa.Column('volume_share_pct', sa.Float(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('criteria_fixed_at', rfp.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', rfp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_pilots_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilots')),
    sa.UniqueConstraint('evaluation_id', name=op.f('uq_pilots_evaluation_id'))
    )
    op.create_table('award_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('share_pct', sa.Float(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_award_shares_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_award_shares_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_shares')),
    sa.UniqueConstraint('evaluation_id', 'vendor_id', name=op.f('uq_award_shares_evaluation_id_vendor_id'))
    )
    with op.batch_alter_table('award_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_shares_evaluation_id'), ['evaluation_id'], unique=False)
    op.create_table('pilot_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.Enum('fcr_pct', 'csat_pct', 'aht_minutes', 'attrition_pct', 'service_level_pct', 'qa_score_pct', 'cost_per_contact', name='kpi', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('direction', sa.Enum('higher', 'lower', name='direction', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('fail_at', sa.Float(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_pilot_criteria_pilot_id_pilots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_criteria')),
    sa.UniqueConstraint('pilot_id', 'kpi', name=op.f('uq_pilot_criteria_pilot_id_kpi'))
    )
    with op.batch_alter_table('pilot_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_criteria_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('pilot_vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('champion', 'challenger', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.Enum('expand', 'extend', 'unwind', name='verdict', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('verdict_reason', sa.Text(), nullable=False),
    sa.Column('verdict_at', rfp.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_pilot_vendors_pilot_id_pilots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_pilot_vendors_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_vendors')),
    sa.UniqueConstraint('pilot_id', 'vendor_id', name=op.f('uq_pilot_vendors_pilot_id_vendor_id'))
    )
    with op.batch_alter_table('pilot_vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_vendors_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('pilot_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_vendor_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.Enum('fcr_pct', 'csat_pct', 'aht_minutes', 'attrition_pct', 'service_level_pct', 'qa_score_pct', 'cost_per_contact', name='kpi', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('updated_at', rfp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pilot_vendor_id'], ['pilot_vendors.id'], name=op.f('fk_pilot_figures_pilot_vendor_id_pilot_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_figures')),
    sa.UniqueConstraint('pilot_vendor_id', 'week', 'kpi', name=op.f('uq_pilot_figures_pilot_vendor_id_week_kpi'))
    )
    with op.batch_alter_table('pilot_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_figures_pilot_vendor_id'), ['pilot_vendor_id'], unique=False)



def downgrade() -> None:
    # An evaluation in its pilot goes back to consensus, where the stage existed before.
    op.execute("UPDATE evaluations SET stage = 'consensus' WHERE stage = 'pilot'")
    with op.batch_alter_table('pilot_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_figures_pilot_vendor_id'))

    op.drop_table('pilot_figures')
    with op.batch_alter_table('pilot_vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_vendors_pilot_id'))

    op.drop_table('pilot_vendors')
    with op.batch_alter_table('pilot_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_criteria_pilot_id'))

    op.drop_table('pilot_criteria')
    with op.batch_alter_table('award_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_shares_evaluation_id'))

    op.drop_table('award_shares')
    op.drop_table('pilots')
    _stage_check(STAGES_BEFORE)
