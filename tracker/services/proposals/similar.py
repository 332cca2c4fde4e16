"""Similar ideas while typing: character pairs of titles and summaries, counted by the database.

Korean words carry particles and endings ("빈집을", "빈집있는교?"), so whole-word matching misses
the obvious; the pairs of each word match them (services/text_index.py). The database finds the
proposals that share pairs with the text (each pair's newest ``PER_PAIR`` proposals, read from the
``proposal_gram`` primary key: the cost does not grow with the archive) and counts the shared
pairs; the best ``CANDIDATES`` are then scored here.

The pairs of the words a manager chose to ignore (행정, 사업 …) count on neither side. A
candidate is shown when the shared pairs make up enough of the text typed *or* of the
candidate's own title (the threshold of services/settings.py): a long, specific title keeps the short past idea it
builds on. They are ranked by how much of both sides the shared pairs cover (Dice's coefficient).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, ProposalGram, Stage, Team
from tracker.services import settings
from tracker.services.proposals.text_index import gram_set, grams, word_grams, words

MAX_PAIRS = 16
PER_PAIR = 500
CANDIDATES = 40


@dataclass(frozen=True)
class SimilarIdea:
    id: int
    title: str
    summary: str | None
    team_name: str
    stage: Stage
    cover: float  # the larger share: of the text's pairs, or of the candidate title's, found in both
    shared_words: tuple[str, ...]  # the candidate's words that hold a shared pair: why it matched


def similar_ideas(text: str, viewer, *, exclude_id: int | None = None, limit: int = 5,
                  stages: tuple[Stage, ...] | None = None) -> list[SimilarIdea]:
    """The past ideas this text is like (of these ``stages`` only, if given), closest first, among
    those ``viewer`` may see (``viewer`` None: all of them, for the tracker's own checks)."""
    chosen = settings.similar_settings()
    ignored = {pair for word in chosen.ignored_words for pair in word_grams(word)}
    pairs = [pair for pair in grams(text) if pair not in ignored][:MAX_PAIRS]
    if not pairs:
        return []
    per_pair = [sa.select(ProposalGram.proposal_id).where(ProposalGram.gram == pair)
                .order_by(ProposalGram.proposal_id.desc()).limit(PER_PAIR).subquery() for pair in pairs]
    found = sa.union_all(*(sa.select(each.c.proposal_id) for each in per_pair)).subquery()
    shared = sa.func.count().label("shared")
    rows = db.session.execute(
        sa.select(Proposal.id, Proposal.title, Proposal.summary, Proposal.stage, Team.name, shared)
        .select_from(found).join(Proposal, Proposal.id == found.c.proposal_id).join(Team, Team.id == Proposal.team_id)
        .where(permissions.visible_proposals(viewer) if viewer is not None else sa.true(),
               Proposal.id != (exclude_id or 0),
               Proposal.stage.in_(stages) if stages else sa.true())
        .group_by(Proposal.id, Team.id).order_by(shared.desc(), Proposal.id.desc()).limit(CANDIDATES)).all()
    wanted = set(pairs)
    scored = []
    for row in rows:
        own = gram_set(f"{row.title} {row.summary or ''}") - ignored
        title = (gram_set(row.title) - ignored) or {""}
        common = wanted & own
        cover = max(len(common) / len(wanted), len(common & title) / len(title))
        if common and cover >= chosen.threshold:
            scored.append((2 * len(common) / (len(wanted) + len(own)), row.id, row, cover, common))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [SimilarIdea(row.id, row.title, row.summary, row.name, row.stage, cover,
                        _words_holding(common, row.title, row.summary))
            for _dice, _id, row, cover, common in scored[:limit]]


def _words_holding(pairs: set[str], *texts: str | None) -> tuple[str, ...]:
    found = []
    for text in texts:
        for word in words(text):
            if word not in found and any(p in pairs for p in word_grams(word)):
                found.append(word)
    return tuple(found)
