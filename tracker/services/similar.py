"""Similar ideas while typing: Korean-friendly character bigrams, no model, no network.

Korean words carry particles and endings ("빈집을", "빈집있는교?"), so whole-word matching misses
the obvious; two-character grams of each word match them. The database counts how many of the
query's grams each visible proposal contains (LIKE in SQL, so it scans in C), and the best few are
ranked by the share of the query they cover.
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa

from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, Stage, Team
from tracker.services.text_match import contains

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


def _hit(column, gram: str):
    return sa.case((contains(column, gram), 1), else_=0)


def _needed(gram_count: int) -> int:
    return max(1, min(ENOUGH_SHARED, round(MIN_COVER * gram_count)))


def similar_ideas(text: str, viewer, *, exclude_id: int | None = None, limit: int = 5) -> list[SimilarIdea]:
    query_grams = grams(text)[:MAX_GRAMS]
    if not query_grams:
        return []
    haystack = Proposal.title + " " + sa.func.coalesce(Proposal.summary, "")
    hits = sum((_hit(haystack, g) for g in query_grams), sa.literal(0))
    conditions = [permissions.visible_proposals(viewer), hits >= _needed(len(query_grams))]
    if exclude_id is not None:
        conditions.append(Proposal.id != exclude_id)
    rows = db.session.execute(
        sa.select(Proposal.id, Proposal.title, Proposal.summary, Team.name, Proposal.stage, hits.label("hits"))
        .join(Team, Team.id == Proposal.team_id).where(*conditions)
        .order_by(sa.desc("hits"), Proposal.id.desc()).limit(limit)).all()
    return [SimilarIdea(r.id, r.title, r.summary, r.name, r.stage, r.hits / len(query_grams)) for r in rows]
