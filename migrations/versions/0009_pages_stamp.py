"""a stamp that moves with every write, for the pages kept in memory

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 11:30:00

"""
import random

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

stamp = sa.table('cache_stamp', sa.column('name', sa.String), sa.column('value', sa.BigInteger))


def upgrade():
    # the app adds the row at its first write if it is missing; a fresh start is just as right
    op.execute(stamp.delete().where(stamp.c.name == 'pages'))
    op.bulk_insert(stamp, [{'name': 'pages', 'value': random.randrange(1, 2**48)}])


def downgrade():
    op.execute(stamp.delete().where(stamp.c.name == 'pages'))
