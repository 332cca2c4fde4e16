"""the proposals' text index in the database (character pairs: a primary-key table for similar
ideas, a full-text index for search); the cache stamps go

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00

"""
import random

from alembic import op
import sqlalchemy as sa

from tracker.models.search import POSTGRESQL_DDL, SQLITE_DDL, SQLITE_DROP
from tracker.services.proposals.text_index import SEARCHED_FIELDS, SIMILAR_FIELDS, grams


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('cache_stamp')
    op.create_table(
        'proposal_gram',
        sa.Column('gram', sa.String(length=16), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_gram_proposal_id_proposal'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('gram', 'proposal_id', name=op.f('pk_proposal_gram')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'proposal_text',
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('grams', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_text_proposal_id_proposal'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_proposal_text')),
    )
    bind = op.get_bind()
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(bind.dialect.name, ()):
        op.execute(statement)
    _index_every_proposal(bind)


def _index_every_proposal(bind):
    proposal = sa.table('proposal', sa.column('id'), *(sa.column(name) for name in SEARCHED_FIELDS))
    gram_table = sa.table('proposal_gram', sa.column('gram'), sa.column('proposal_id'))
    text_table = sa.table('proposal_text', sa.column('proposal_id'), sa.column('grams'))
    last = 0
    while True:
        rows = bind.execute(sa.select(proposal).where(proposal.c.id > last).order_by(proposal.c.id).limit(2000)).all()
        if not rows:
            return
        pairs = [{'gram': g, 'proposal_id': row.id} for row in rows
                 for g in grams(' '.join(getattr(row, name) or '' for name in SIMILAR_FIELDS))]
        if pairs:
            bind.execute(gram_table.insert(), pairs)
        bind.execute(text_table.insert(), [
            {'proposal_id': row.id, 'grams': ' '.join(grams(' '.join(getattr(row, n) or '' for n in SEARCHED_FIELDS)))}
            for row in rows])
        last = rows[-1].id


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.drop_table('proposal_text')
    op.drop_table('proposal_gram')
    stamp = op.create_table(
        'cache_stamp',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_stamp')),
    )
    op.bulk_insert(stamp, [{'name': name, 'value': random.randrange(1, 2**48)}
                           for name in ('proposals', 'reviews', 'pages')])
