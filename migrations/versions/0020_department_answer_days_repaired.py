"""the department's answer days that 0018 wrote on SQLite as a bare year, written as the day again

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 06:00:00

"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from tracker import clock

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # PostgreSQL's DATE column held a day all along
        return
    for handoff_id, moment in bind.execute(sa.text(
            "SELECT handoff.id, min(stage_change.created_at) FROM handoff JOIN stage_change "
            "ON stage_change.proposal_id = handoff.proposal_id AND stage_change.action IN ('adopt', 'decline') "
            "WHERE typeof(handoff.decided_on) = 'integer' GROUP BY handoff.id")).all():
        bind.execute(sa.text("UPDATE handoff SET decided_on = :day WHERE id = :id")
                     .bindparams(sa.bindparam("day", type_=sa.Date())),
                     {"day": clock.local_date(datetime.fromisoformat(moment)), "id": handoff_id})


def downgrade():
    pass  # the days stay right
