"""how far along the funnel each proposal got and when it entered its stage, kept on its row (the
overview's "reached" counts, the board's days in a stage, the mentors' queues)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from tracker.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

FUNNEL = ('idea', 'developing', 'in_review', 'shortlisted', 'presented', 'selected', 'handed_off', 'adopted',
          'completed')
STAGES = ('idea', 'developing', 'in_review', 'shortlisted', 'presented', 'selected', 'not_selected', 'handed_off',
          'adopted', 'declined', 'completed', 'withdrawn')


def _step(column: str) -> str:
    return "CASE " + " ".join(f"WHEN {column} = '{s}' THEN {n}" for n, s in enumerate(FUNNEL)) + " ELSE 0 END"


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'furthest_stage', sa.Enum(*STAGES, name='stage', native_enum=False, length=20),
            server_default='idea', nullable=False))
        batch_op.add_column(sa.Column('stage_entered_at', UTCDateTime(), nullable=True))
        batch_op.create_index('ix_proposal_team_stage_furthest', ['team_id', 'stage', 'furthest_stage'], unique=False)
        batch_op.create_index('ix_proposal_stage_subcommittee_entered', ['stage', 'subcommittee_id', 'stage_entered_at'],
                              unique=False)
    # the furthest of the stage it is in and every stage its history entered
    furthest = (f"(SELECT max({_step('stage_change.to_stage')}) FROM stage_change "
                f"WHERE stage_change.proposal_id = proposal.id)")
    reached = f"CASE WHEN {furthest} > {_step('proposal.stage')} THEN {furthest} ELSE {_step('proposal.stage')} END"
    op.execute(f"UPDATE proposal SET furthest_stage = CASE {reached} "
               + " ".join(f"WHEN {n} THEN '{s}'" for n, s in enumerate(FUNNEL)) + " END")
    # the moment of its last move into the stage it is in (or of its creation)
    op.execute("UPDATE proposal SET stage_entered_at = coalesce((SELECT max(stage_change.created_at) FROM stage_change "
               "WHERE stage_change.proposal_id = proposal.id AND stage_change.to_stage = proposal.stage), created_at)")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('stage_entered_at', existing_type=UTCDateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_stage_subcommittee_entered')
        batch_op.drop_index('ix_proposal_team_stage_furthest')
        batch_op.drop_column('stage_entered_at')
        batch_op.drop_column('furthest_stage')
