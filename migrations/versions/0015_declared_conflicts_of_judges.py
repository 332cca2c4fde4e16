"""conflicts of interest a manager declares for a judge and a presentation (recusal)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:00:00

"""
import sqlalchemy as sa
from alembic import op

from tracker.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'judge_conflict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('judge_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['presentation_event.id'],
                                name=op.f('fk_judge_conflict_event_id_presentation_event'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['judge_id'], ['user_account.id'], name=op.f('fk_judge_conflict_judge_id_user_account')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_judge_conflict_proposal_id_proposal'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_judge_conflict_recorded_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_conflict')),
        sa.UniqueConstraint('event_id', 'judge_id', 'proposal_id',
                            name=op.f('uq_judge_conflict_event_id_judge_id_proposal_id')),
    )
    with op.batch_alter_table('judge_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_conflict_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('judge_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_conflict_event_id'))
    op.drop_table('judge_conflict')
