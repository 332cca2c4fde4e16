"""a mentor's comment on each criterion of a review, beside the overall one

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 14:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.drop_column('comment')
