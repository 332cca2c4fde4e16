"""What a mentor sees beside the rubric in a later round: their own previous review of the proposal
(scores by criterion, recommendation, comment) and what the authors changed since, field by field,
with the words taken out and put in marked."""
import difflib
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Proposal, ProposalRevision, Review, ReviewScore, User

# the fields a review judges, in the order the proposal page shows them
REVIEWED_FIELDS = ("title", "summary", "problem", "proposal_text", "expected_effect", "beneficiaries", "budget_krw")
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object
    pieces: tuple[Piece, ...]  # for text: the words kept, taken out and put in


@dataclass(frozen=True)
class EarlierReview:
    review: Review
    scores: dict[str, int]  # criterion name (Korean, as rubric versions keep it) -> score
    changes: list[FieldChange]


def earlier_review(proposal: Proposal, mentor: User) -> EarlierReview | None:
    """This mentor's latest review of an earlier round and the changes to the proposal since it."""
    review = db.session.scalars(
        sa.select(Review).where(Review.proposal_id == proposal.id, Review.mentor_id == mentor.id,
                                Review.round < proposal.review_round, Review.submitted_at.is_not(None))
        .options(selectinload(Review.scores).joinedload(ReviewScore.criterion))
        .order_by(Review.round.desc(), Review.submitted_at.desc()).limit(1)).first()
    if review is None:
        return None
    revisions = db.session.scalars(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id,
                                          ProposalRevision.created_at > review.submitted_at)
        .order_by(ProposalRevision.created_at, ProposalRevision.id)).all()
    return EarlierReview(review, {s.criterion.name_ko: s.score for s in review.scores}, _changes(revisions))


def _changes(revisions: list[ProposalRevision]) -> list[FieldChange]:
    """Each reviewed field's value before the first of these edits and after the last; a field
    changed and changed back is left out."""
    first: dict[str, object] = {}
    last: dict[str, object] = {}
    for revision in revisions:
        for name, (old, new) in (revision.changes or {}).items():
            first.setdefault(name, old)
            last[name] = new
    found = []
    for name in REVIEWED_FIELDS:
        if name in first and first[name] != last[name]:
            found.append(FieldChange(name, first[name], last[name], _pieces(first[name], last[name])))
    return found


def _pieces(before, after) -> tuple[Piece, ...]:
    if not isinstance(before or "", str) or not isinstance(after or "", str):
        return ()
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return tuple(pieces)
