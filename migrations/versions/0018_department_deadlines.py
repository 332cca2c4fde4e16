"""the department's answer date and the implementation plan's completion date (deadlines)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_completion_on', sa.Date(), nullable=True))
    # answers recorded before: the day of the stage change that recorded them
    op.execute("UPDATE handoff SET decided_on = (SELECT CAST(min(stage_change.created_at) AS DATE) FROM stage_change "
               "WHERE stage_change.proposal_id = handoff.proposal_id AND stage_change.action IN ('adopt', 'decline'))")


def downgrade():
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_column('planned_completion_on')
        batch_op.drop_column('decided_on')
