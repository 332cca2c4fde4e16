"""notifications by e-mail too: each person's choice, and which notifications were sent

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 17:00:00

"""
import sqlalchemy as sa
from alembic import op

from tracker.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_notifications', sa.String(length=10), server_default='off',
                                      nullable=False))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('emailed_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_notifications')
