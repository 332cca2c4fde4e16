"""the department's answer date and the implementation plan's completion date (deadlines)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 16:00:00

"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from tracker import clock

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_completion_on', sa.Date(), nullable=True))
    # answers recorded before: the programme's day of the stage change that recorded them (worked out
    # here: SQLite's CAST(... AS DATE) gives a bare year, and either database would give the UTC day)
    bind = op.get_bind()
    for handoff_id, moment in bind.execute(sa.text(
            "SELECT handoff.id, min(stage_change.created_at) FROM handoff JOIN stage_change "
            "ON stage_change.proposal_id = handoff.proposal_id AND stage_change.action IN ('adopt', 'decline') "
            "GROUP BY handoff.id")).all():
        moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        bind.execute(sa.text("UPDATE handoff SET decided_on = :day WHERE id = :id")
                     .bindparams(sa.bindparam("day", type_=sa.Date())), {"day": clock.local_date(moment), "id": handoff_id})


def downgrade():
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_column('planned_completion_on')
        batch_op.drop_column('decided_on')
