"""Following a selected proposal into its department: progress notes, the department's response,
and the list of every selected proposal with its last news. (The hand-off and the department's
decisions are stage moves: workflow.move records them, through services/department_record.py.)"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import FollowUpNote, Handoff, Proposal, Role, Stage, Team, User, UserRole
from tracker.services import deadlines, workflow
from tracker.services.errors import NotAllowed, ValidationFailed

OVERDUE_DAYS = 90
FOLLOWED_STAGES = (Stage.SELECTED, Stage.HANDED_OFF, Stage.ADOPTED, Stage.COMPLETED, Stage.DECLINED)
DECISIONS = ("adopt", "decline", "complete")


def liaison_choices() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(UserRole).where(UserRole.role == Role.LIAISON, User.is_active.is_(True))
        .order_by(User.department, User.name)))


def decisions_open_to(user: User, proposal: Proposal) -> list[str]:
    """The department decisions (adopt, decline, complete) this person may record on it now."""
    allowed = {m.action for m in workflow.allowed_moves(user, proposal)}
    return [action for action in DECISIONS if action in allowed]


def add_note(handoff: Handoff, *, noted_on: date, body: str, progress: int | None, actor: User) -> FollowUpNote:
    if not permissions.can_update_follow_up(actor, handoff):
        raise NotAllowed("only the liaison or a manager records progress")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed([("body", _("Write what happened."))])
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationFailed([("progress", _("Progress is a percentage from 0 to 100."))])
    if noted_on > clock.today():
        raise ValidationFailed([("noted_on", _("The date cannot be in the future."))])
    note = FollowUpNote(handoff=handoff, author=actor, noted_on=noted_on, body=body, progress=progress)
    db.session.add(note)
    if progress is not None:
        handoff.progress = progress
    handoff.updated_at = clock.now()
    db.session.flush()
    return note


def set_response(handoff: Handoff, response: str | None, *, actor: User) -> None:
    if not permissions.can_update_follow_up(actor, handoff):
        raise NotAllowed("only the liaison or a manager records the department's response")
    handoff.response = _clean(response)
    handoff.updated_at = clock.now()
    db.session.flush()


@dataclass(frozen=True)
class FollowUpRow:
    proposal: Proposal
    handoff: Handoff | None
    last_update: datetime
    stale: bool  # no news for OVERDUE_DAYS
    late: tuple[str, ...] = ()  # department deadlines missed (services/deadlines.py)

    @property
    def overdue(self) -> bool:
        return self.stale or bool(self.late)


def follow_up_rows(allowed: sa.ColumnElement[bool], *, team_id: int | None = None) -> list[FollowUpRow]:
    """Every selected proposal (of every cohort, or of one team) the condition lets through,
    newest cohort first. The condition is a permissions rule: ``followed_proposals`` for the
    follow-up list, ``visible_proposals`` for a team's results book."""
    query = (sa.select(Proposal, Handoff).outerjoin(Handoff, Handoff.proposal_id == Proposal.id)
             .join(Team, Team.id == Proposal.team_id)
             .where(Proposal.stage.in_(FOLLOWED_STAGES), allowed)
             .options(joinedload(Proposal.team), joinedload(Handoff.liaison))
             .order_by(Team.cohort.desc(), Proposal.title))
    if team_id is not None:
        query = query.where(Proposal.team_id == team_id)
    cutoff = clock.now() - timedelta(days=OVERDUE_DAYS)
    rows = []
    for proposal, handoff in db.session.execute(query).unique():
        last = handoff.updated_at if handoff else proposal.stage_entered_at  # nothing recorded since selection
        still_running = proposal.stage in (Stage.SELECTED, Stage.HANDED_OFF, Stage.ADOPTED)
        late = tuple(deadlines.due_of(handoff, proposal.stage).late) if handoff else ()
        rows.append(FollowUpRow(proposal, handoff, last, still_running and last < cutoff, late))
    return rows


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None
