"""Proposals' texts as character pairs, written to the database's indexes with every proposal write.

A word becomes its overlapping pairs of characters (``grams("빈집있는교")`` -> 빈집 집있 있는 는교); a
one-character word has none (a search for it reads the texts). The proposal services call ``index_proposals`` in the same
transaction as the write, so a search or a similar-idea hint sees an edit at once; ``rebuild``
writes every proposal's again (after a restore, or a bulk load).
"""
import re
from collections.abc import Iterable
from itertools import repeat

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Proposal, ProposalGram, ProposalText
from tracker.models.search import TEXT_SEARCH

WORD = re.compile(r"[^\W_]+")
PAIR = re.compile(r"(?=([^\W_]{2}))")
SIMILAR_FIELDS = ("title", "summary")
SEARCHED_FIELDS = ("title", "summary", "problem", "proposal_text", "expected_effect", "beneficiaries",
                   "department")
BATCH = 500


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def word_grams(word: str) -> list[str]:
    """The overlapping pairs of one word, in order (none for a one-character word)."""
    return [word[i:i + 2] for i in range(len(word) - 1)]


def grams(text: str | None) -> list[str]:
    """The distinct pairs of every word of a text, in their first order."""
    return list(dict.fromkeys(g for word in words(text) for g in word_grams(word)))


def gram_set(text: str) -> set[str]:
    """The same pairs as ``grams``, unordered (what the index holds), found quicker: the regular
    expression gives every two word characters in a row, which are the pairs of every word."""
    return set(PAIR.findall(text.lower()))


def _rows(proposals) -> tuple[list[tuple[str, int]], list[tuple[int, str]]]:
    gram_rows, text_rows = [], []
    for pid, title, summary, *rest in proposals:
        similar = gram_set(f"{title or ''} {summary or ''}")
        others = gram_set(" ".join(text for text in rest if text))
        gram_rows.extend(zip(similar, repeat(pid)))
        text_rows.append((pid, " ".join(similar | others)))
    return gram_rows, text_rows


def index_proposals(ids: Iterable[int], *, new: bool = False) -> None:
    """Write these proposals' pairs again (after a create, an edit or an import), in this
    transaction; ``new`` proposals have none yet to take out."""
    ids = sorted(set(ids))
    db.session.flush()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        if not new:
            db.session.execute(sa.delete(ProposalGram).where(ProposalGram.proposal_id.in_(chunk)))
            db.session.execute(sa.delete(ProposalText).where(ProposalText.proposal_id.in_(chunk)))
        _insert(*_rows(_texts(chunk)))


def rebuild() -> int:
    """Every proposal's pairs written again from scratch; returns how many proposals."""
    db.session.execute(sa.delete(ProposalGram))
    db.session.execute(sa.delete(ProposalText))
    if db.session.get_bind().dialect.name == "sqlite":  # the FTS table is kept by triggers; start it clean
        db.session.execute(sa.text(f"INSERT INTO {TEXT_SEARCH}({TEXT_SEARCH}) VALUES ('delete-all')"))
    ids = list(db.session.scalars(sa.select(Proposal.id).order_by(Proposal.id)))
    for start in range(0, len(ids), BATCH * 4):
        _insert(*_rows(_texts(ids[start:start + BATCH * 4])))
    return len(ids)


def _texts(ids: list[int]) -> list[sa.Row]:
    """(id, title, summary, the other searched texts...) of these proposals, as ``_rows`` reads them."""
    return db.session.execute(sa.select(Proposal.id, *(getattr(Proposal, n) for n in SEARCHED_FIELDS))
                              .where(Proposal.id.in_(ids))).all()


def _insert(gram_rows: list[tuple[str, int]], text_rows: list[tuple[int, str]]) -> None:
    """Many short rows, straight to the driver (the grams in key order: the table is its primary key)."""
    gram_rows.sort()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # each table's rows as two arrays: one statement, where an executemany runs one per row
        if gram_rows:
            connection.exec_driver_sql("INSERT INTO proposal_gram (gram, proposal_id) "
                                       "SELECT * FROM unnest(%s::varchar[], %s::integer[])", _columns(gram_rows))
        if text_rows:
            connection.exec_driver_sql("INSERT INTO proposal_text (proposal_id, grams) "
                                       "SELECT * FROM unnest(%s::integer[], %s::text[])", _columns(text_rows))
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    if gram_rows:
        connection.exec_driver_sql(f"INSERT INTO proposal_gram (gram, proposal_id) VALUES ({mark}, {mark})", gram_rows)
    if text_rows:
        connection.exec_driver_sql(f"INSERT INTO proposal_text (proposal_id, grams) VALUES ({mark}, {mark})", text_rows)


def _columns(rows: list[tuple]) -> tuple[list, ...]:
    """[(a, b), ...] -> ([a, ...], [b, ...])"""
    return tuple(map(list, zip(*rows)))


def containing(word: str) -> sa.ColumnElement[bool] | None:
    """A condition on Proposal.id: the proposals whose searched texts hold every pair of ``word``
    (more than those that contain the word itself: check it as well); None when the word has no
    pair (one character)."""
    pairs = [g for g in grams(word) if len(g) == 2]
    if not pairs:
        return None
    if db.session.get_bind().dialect.name == "sqlite":
        match = sa.literal_column(TEXT_SEARCH).op("MATCH")(" AND ".join(f'"{p}"' for p in pairs))
        found = sa.select(sa.literal_column("rowid")).select_from(sa.table(TEXT_SEARCH)).where(match)
    else:
        found = sa.select(ProposalText.proposal_id).where(
            sa.func.to_tsvector("simple", ProposalText.grams).op("@@")(
                sa.func.plainto_tsquery("simple", " ".join(pairs))))
    return Proposal.id.in_(found)
