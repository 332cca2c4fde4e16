"""Fair judging: who does not score which presentation. A judge who is an author of a proposal, or
a mentor of its subcommittee, is recused from it without asking; a manager declares any other
conflict (a relative, the judge's own department's project) with its reason."""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import permissions
from tracker.extensions import db
from tracker.models import JudgeConflict, MentorAssignment, PresentationEvent, Proposal, ProposalAuthor, User
from tracker.services.errors import NotAllowed, ValidationFailed

AUTHOR, MENTOR = "author", "mentor"
REASONS = {AUTHOR: _l("an author of the proposal"), MENTOR: _l("the mentor of its subcommittee")}


def recusals(event: PresentationEvent) -> dict[tuple[int, int], str]:
    """{(judge's user id, proposal id): why} for the event's judges and presentations."""
    judges = [j.user_id for j in event.judges]
    proposals = [s.proposal_id for s in event.slots]
    if not judges or not proposals:
        return {}
    found: dict[tuple[int, int], str] = {}
    for conflict in db.session.scalars(sa.select(JudgeConflict).where(JudgeConflict.event_id == event.id)):
        found[(conflict.judge_id, conflict.proposal_id)] = conflict.reason
    for user_id, proposal_id in db.session.execute(
            sa.select(MentorAssignment.user_id, Proposal.id)
            .join(Proposal, Proposal.subcommittee_id == MentorAssignment.subcommittee_id)
            .where(Proposal.id.in_(proposals), MentorAssignment.user_id.in_(judges))):
        found[(user_id, proposal_id)] = str(REASONS[MENTOR])
    for user_id, proposal_id in db.session.execute(
            sa.select(ProposalAuthor.user_id, ProposalAuthor.proposal_id)
            .where(ProposalAuthor.proposal_id.in_(proposals), ProposalAuthor.user_id.in_(judges))):
        found[(user_id, proposal_id)] = str(REASONS[AUTHOR])
    return found


def declare_conflict(event: PresentationEvent, judge_id: int, proposal_id: int, reason: str, *,
                     actor: User) -> JudgeConflict:
    if not permissions.can_manage_event(actor, event.team):
        raise NotAllowed("only managers declare a judge's conflicts")
    reason = (reason or "").strip()
    if judge_id not in {j.user_id for j in event.judges} or proposal_id not in {s.proposal_id for s in event.slots}:
        raise ValidationFailed([("judge", _("Choose one of the event's judges and presentations."))])
    if not reason:
        raise ValidationFailed([("reason", _("Say what the conflict is."))])
    conflict = db.session.scalar(sa.select(JudgeConflict).where(
        JudgeConflict.event_id == event.id, JudgeConflict.judge_id == judge_id,
        JudgeConflict.proposal_id == proposal_id))
    if conflict is None:
        conflict = JudgeConflict(event_id=event.id, judge_id=judge_id, proposal_id=proposal_id, reason=reason[:300],
                                 recorded_by_id=actor.id)
        db.session.add(conflict)
    conflict.reason = reason[:300]
    db.session.flush()
    return conflict


def withdraw_conflict(event: PresentationEvent, conflict_id: int, *, actor: User) -> None:
    if not permissions.can_manage_event(actor, event.team):
        raise NotAllowed("only managers withdraw a judge's conflicts")
    db.session.execute(sa.delete(JudgeConflict).where(JudgeConflict.id == conflict_id,
                                                      JudgeConflict.event_id == event.id))


def declared_conflicts(event: PresentationEvent) -> list[JudgeConflict]:
    return list(db.session.scalars(sa.select(JudgeConflict).where(JudgeConflict.event_id == event.id)
                                   .order_by(JudgeConflict.id)))
