"""The adopted-idea rule (공무원 제안 규정 제2조): a suggestion the same as, or like, one already
adopted or in force is not a new suggestion. When a proposal is submitted for review, and again
before its hand-off, it is compared with every cohort's handed-off, adopted and completed
proposals; a close one is shown to its authors and the managers, and before the hand-off a manager
records how it differs (kept in its history) or withdraws it."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, ProposalRevision, Stage, User
from tracker.services.errors import NotAllowed, ValidationFailed
from tracker.services.proposals.similar import SimilarIdea, similar_ideas

IN_FORCE = (Stage.HANDED_OFF, Stage.ADOPTED, Stage.COMPLETED)
CHECKED_STAGES = (Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.PRESENTED, Stage.SELECTED)
RECORD_SOURCE = "adopted_check"  # a ProposalRevision recording the manager's "different because …"


@dataclass(frozen=True)
class AdoptedCheck:
    matches: list[SimilarIdea]
    settled: bool  # a manager has recorded how it differs from every one of them

    @property
    def open(self) -> bool:
        return bool(self.matches) and not self.settled


def check(proposal: Proposal, viewer: User) -> AdoptedCheck:
    """The handed-off, adopted and completed proposals this one is close to (as this person may
    see them), and whether a manager has said how it differs from each."""
    if proposal.stage not in CHECKED_STAGES:
        return AdoptedCheck([], True)
    matches = _like_in_force(proposal, viewer)
    return AdoptedCheck(matches, {m.id for m in matches} <= _distinguished(proposal))


def unsettled(proposal: Proposal) -> list[str]:
    """The hand-off's guard: a close match to what is already adopted needs a manager's word first
    (every cohort's proposals count, whoever moves it)."""
    settled = _distinguished(proposal)
    found = [m for m in _like_in_force(proposal, None) if m.id not in settled]
    if not found:
        return []
    return [_("It is like proposals already handed off or adopted (%(titles)s): a manager records how it "
              "differs, or withdraws it, before the hand-off.", titles=", ".join(m.title for m in found))]


def _like_in_force(proposal: Proposal, viewer: User | None) -> list[SimilarIdea]:
    return similar_ideas(f"{proposal.title} {proposal.summary or ''}", viewer, exclude_id=proposal.id,
                         stages=IN_FORCE)


def record_difference(proposal: Proposal, match_ids: list[int], reason: str, *, actor: User) -> ProposalRevision:
    if not permissions.can_record_difference(actor):
        raise NotAllowed("only managers settle the adopted-idea rule")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", _("Say how this proposal differs from the adopted ones."))])
    revision = ProposalRevision(proposal=proposal, actor=actor, source=RECORD_SOURCE,
                                changes={"distinct_from": [[], sorted(set(match_ids))]}, note=reason[:2000])
    db.session.add(revision)
    db.session.flush()
    return revision


def _distinguished(proposal: Proposal) -> set[int]:
    found: set[int] = set()
    for changes in db.session.scalars(sa.select(ProposalRevision.changes).where(
            ProposalRevision.proposal_id == proposal.id, ProposalRevision.source == RECORD_SOURCE)):
        found.update((changes or {}).get("distinct_from", [[], []])[1])
    return found
