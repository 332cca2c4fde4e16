"""What the database's own indexes search: a proposal's texts as character pairs.

Korean words carry particles and endings ("빈집을", "빈집있는교?") and most words worth finding are
two syllables ("빈집", "청년"), too short for a trigram index. Each word is therefore written as
its overlapping pairs ("빈집있는교" -> 빈집 집있 있는 는교; see services/text_index.py), and the
database indexes those:

- ``proposal_gram``: the distinct pairs of a proposal's title and summary, one row each; the
  similar-idea hint counts shared pairs per proposal from its primary key.
- ``proposal_text``: the pairs of every searched text as one document per proposal, full-text
  indexed by the database (SQLite: an FTS5 table kept by triggers; PostgreSQL: a GIN index on
  its tsvector), so a search finds its candidates without reading every proposal's texts.

Both are written by the proposal services in the transaction that writes the proposal.
"""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db

TEXT_SEARCH = "proposal_text_search"  # SQLite's FTS5 table over proposal_text

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TEXT_SEARCH} USING fts5(grams, content='proposal_text', "
    "content_rowid='proposal_id', tokenize='unicode61 remove_diacritics 0', detail='none')",
    f"CREATE TRIGGER IF NOT EXISTS proposal_text_ai AFTER INSERT ON proposal_text BEGIN "
    f"INSERT INTO {TEXT_SEARCH}(rowid, grams) VALUES (new.proposal_id, new.grams); END",
    f"CREATE TRIGGER IF NOT EXISTS proposal_text_ad AFTER DELETE ON proposal_text BEGIN "
    f"INSERT INTO {TEXT_SEARCH}({TEXT_SEARCH}, rowid, grams) VALUES ('delete', old.proposal_id, old.grams); END",
    f"CREATE TRIGGER IF NOT EXISTS proposal_text_au AFTER UPDATE ON proposal_text BEGIN "
    f"INSERT INTO {TEXT_SEARCH}({TEXT_SEARCH}, rowid, grams) VALUES ('delete', old.proposal_id, old.grams); "
    f"INSERT INTO {TEXT_SEARCH}(rowid, grams) VALUES (new.proposal_id, new.grams); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {TEXT_SEARCH}",)
POSTGRESQL_DDL = ("CREATE INDEX IF NOT EXISTS ix_proposal_text_grams ON proposal_text "
                  "USING gin (to_tsvector('simple', grams))",)


class ProposalGram(db.Model):
    __tablename__ = "proposal_gram"
    __table_args__ = {"sqlite_with_rowid": False}

    gram: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)


class ProposalText(db.Model):
    __tablename__ = "proposal_text"

    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    grams: Mapped[str] = mapped_column(sa.Text)


def described_by_models(name: str | None, type_: str, _parent_names: dict) -> bool:
    """For Alembic's comparison of models and database: the full-text structures made by hand
    (the FTS5 table and its shadow tables, the GIN index) are not in the models."""
    if type_ == "table":
        return not (name or "").startswith(TEXT_SEARCH)
    return not (type_ == "index" and name == "ix_proposal_text_grams")


def _create_text_search(target, connection, **_kw) -> None:
    statements = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


def _drop_text_search(target, connection, **_kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)


# create_all / drop_all (the tests, the benchmark) make the full-text structures the migration makes
sa.event.listen(ProposalText.__table__, "after_create", _create_text_search)
sa.event.listen(ProposalText.__table__, "before_drop", _drop_text_search)
