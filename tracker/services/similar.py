"""Similar ideas while typing: Korean-friendly character bigrams, no model, no network.

Korean words carry particles and endings ("빈집을", "빈집있는교?"), so whole-word matching misses
the obvious; two-character grams of each word match them. Each visible proposal scores the number
of the query's grams its title and summary contain, and the best few are ranked by the share of
the query they cover.

The counting reads a gram index (every piece of one, two or three characters a query gram can be,
mapped to the proposals whose title or summary contain it) kept in the process and brought up to
date when a proposal is created or changed (services/stamps.py): the proposals whose version moved
are read again. A lookup costs what its grams' proposals cost, not a scan of every text.
"""
import heapq
import re
from array import array
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, Stage, Team
from tracker.services import stamps

MAX_GRAMS = 16
MIN_COVER = 0.34  # a short query: a third of its grams must match
ENOUGH_SHARED = 3  # a long one: three shared grams are already a real likeness
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SimilarIdea:
    id: int
    title: str
    summary: str | None
    team_name: str
    stage: Stage
    cover: float


def grams(text: str) -> list[str]:
    """Distinct grams of each word, in order: pairs of Hangul, triples of Latin letters."""
    found = []
    for word in _WORD.findall((text or "").lower()):
        size = 3 if word.isascii() else 2  # Latin words need longer grams to mean anything
        if word.isascii() and len(word) < 3:
            continue
        pieces = [word] if len(word) <= size else [word[i:i + size] for i in range(len(word) - size + 1)]
        found.extend(p for p in pieces if p not in found)
    return found


def _pieces(text: str) -> set[str]:
    """Every string a query gram can match in this text: a gram is made of word characters, so it lies
    inside one word, and it is one or two characters long, or three ASCII ones."""
    found = set()
    for word in _WORD.findall(text.lower()):
        found.update(word)
        found.update(word[i:i + 2] for i in range(len(word) - 1))
        found.update(t for t in (word[i:i + 3] for i in range(len(word) - 2)) if t.isascii())
    return found


@dataclass(frozen=True)
class GramIndex:
    """piece → ids of the proposals whose title or summary contain it (every proposal, visible or
    not), and the mark of the version of each proposal it was read at (ids ascending)."""
    postings: dict[str, array]
    ids: array
    versions: array


REBUILD_AFTER = 50  # changed proposals: more than this and the index is read again from scratch


def _versions() -> tuple[array, array]:
    """Every proposal's id and a mark of the version it is at: its version number (every ORM update
    moves it) with its creation time (so that an id used again by another proposal is another mark)."""
    rows = db.session.execute(sa.select(Proposal.id, Proposal.version, sa.cast(Proposal.created_at, sa.String))
                              .order_by(Proposal.id)).all()
    return array("q", [r[0] for r in rows]), array("q", [hash((r[1], r[2])) for r in rows])


def _typecode(largest_id: int) -> str:
    return "i" if largest_id < 2**31 else "q"  # 4-byte ids while they fit: half the memory


def _pieces_of(ids: list[int] | None = None):
    """(id, pieces) of these proposals (of all without ids)."""
    query = sa.select(Proposal.id, Proposal.title, Proposal.summary).order_by(Proposal.id)
    chunks = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        for proposal_id, title, summary in db.session.execute(
                query if chunk is None else query.where(Proposal.id.in_(chunk))):
            yield proposal_id, _pieces(f"{title} {summary or ''}")


def _build_gram_index() -> GramIndex:
    # the versions first: a proposal changed while its text is read is read again next time
    ids, versions = _versions()
    postings: dict[str, list[int]] = {}
    for proposal_id, pieces in _pieces_of():
        for piece in pieces:
            postings.setdefault(piece, []).append(proposal_id)
    typecode = _typecode(ids[-1] if ids else 0)
    return GramIndex({piece: array(typecode, found) for piece, found in postings.items()}, ids, versions)


def _refresh_gram_index(old: GramIndex) -> GramIndex:
    """The index brought up to date from ``old`` (left as it is): the proposals whose version
    moved (or that are new or gone) are taken out of the posting lists and read again."""
    ids, versions = _versions()
    before = dict(zip(old.ids, old.versions))
    changed = [i for i, v in zip(ids, versions) if before.get(i) != v]
    stale = {i for i in changed if i in before} | (before.keys() - set(ids))
    largest = ids[-1] if ids else 0
    if len(stale) > REBUILD_AFTER or _typecode(largest) != _typecode(max(old.ids, default=0)):
        return _build_gram_index()
    postings = dict(old.postings)
    if stale:
        for piece, found in old.postings.items():
            if any(i in found for i in stale):
                postings[piece] = array(found.typecode, (i for i in found if i not in stale))
    added: dict[str, list[int]] = {}
    for proposal_id, pieces in _pieces_of(changed):
        for piece in pieces:
            added.setdefault(piece, []).append(proposal_id)
    for piece, found in added.items():
        grown = array(_typecode(largest), postings.get(piece, ()))
        grown.extend(found)
        postings[piece] = grown
    return GramIndex(postings, ids, versions)


def gram_index() -> dict[str, array]:
    """piece → ids of the proposals whose title or summary contain it (every proposal, visible or not)."""
    return stamps.cached(("similar.gram_index",), _build_gram_index, refresh=_refresh_gram_index).postings


def _needed(gram_count: int) -> int:
    return max(1, min(ENOUGH_SHARED, round(MIN_COVER * gram_count)))


def similar_ideas(text: str, viewer, *, exclude_id: int | None = None, limit: int = 5) -> list[SimilarIdea]:
    query_grams = grams(text)[:MAX_GRAMS]
    if not query_grams:
        return []
    index = gram_index()
    hits = Counter()
    for gram in query_grams:
        hits.update(index.get(gram, ()))
    needed = _needed(len(query_grams))
    candidates = [(n, proposal_id) for proposal_id, n in hits.items() if n >= needed and proposal_id != exclude_id]
    # the best first: most grams shared, then the newest; the first batch usually holds them all
    ranked = heapq.nlargest(limit * 4, candidates)
    found: list[SimilarIdea] = []
    start, batch = 0, limit * 4
    while len(found) < limit:
        if start + batch > len(ranked) and len(ranked) < len(candidates):  # viewers who see few: rank all
            ranked = sorted(candidates, reverse=True)
        chunk = [proposal_id for _n, proposal_id in ranked[start:start + batch]]
        if not chunk:
            break
        rows = {r.id: r for r in db.session.execute(
            sa.select(Proposal.id, Proposal.title, Proposal.summary, Team.name, Proposal.stage)
            .join(Team, Team.id == Proposal.team_id)
            .where(Proposal.id.in_(chunk), permissions.visible_proposals(viewer)))}
        found.extend(SimilarIdea(r.id, r.title, r.summary, r.name, r.stage, hits[r.id] / len(query_grams))
                     for r in (rows.get(pid) for pid in chunk) if r is not None)
        start, batch = start + batch, batch * 4
    return found[:limit]
