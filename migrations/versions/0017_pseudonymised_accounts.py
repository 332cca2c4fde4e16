"""when an account was pseudonymised (the retention period of its cohort had passed)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from tracker.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonymised_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('pseudonymised_at')
