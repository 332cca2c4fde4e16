"""stamps that move with every write of proposals and of reviews, for the caches read from them;
an index for the list's default order

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 07:50:00

"""
import random

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table(
        'cache_stamp',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_stamp')),
    )
    op.bulk_insert(stamp, [{'name': name, 'value': random.randrange(1, 2**48)} for name in ('proposals', 'reviews')])
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_team_desc_id', [sa.desc(sa.column('team_id')), 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_team_desc_id')
    op.drop_table('cache_stamp')
