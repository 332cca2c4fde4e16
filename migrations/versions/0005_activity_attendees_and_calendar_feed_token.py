"""activity attendees and calendar feed token

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 05:23:11.763156

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'activity_attendee',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'],
                                name=op.f('fk_activity_attendee_activity_id_activity'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_activity_attendee_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', 'user_id', name=op.f('pk_activity_attendee')),
    )
    with op.batch_alter_table('activity_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_attendee_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_team_calendar_token'), ['calendar_token'])


def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_team_calendar_token'), type_='unique')
        batch_op.drop_column('calendar_token')

    with op.batch_alter_table('activity_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_attendee_user_id'))

    op.drop_table('activity_attendee')
