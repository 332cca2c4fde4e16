"""What the department's side of a stage move records, for the workflow table's rows: the hand-off
(department, liaison, date shared) and the department's decisions (plan, budget year, outcome,
each with a dated note). Called only by ``workflow.move``."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.extensions import db
from tracker.models import FollowUpNote, Handoff, Proposal, Role, StageChange, User
from tracker.services.errors import ValidationFailed


@dataclass
class HandOff:
    """Who in which department received it (the department defaults to the proposal's own)."""
    department: str | None = None
    liaison_id: int | None = None
    shared_on: date | None = None


@dataclass
class Decision:
    plan: str | None = None
    budget_year: int | None = None
    outcome: str | None = None


def handoff_of(proposal: Proposal) -> Handoff | None:
    return db.session.scalar(sa.select(Handoff).where(Handoff.proposal_id == proposal.id)
                             .options(joinedload(Handoff.liaison)))


def prepare_hand_off(proposal: Proposal, details: HandOff | None) -> None:
    """Before the guards: the department given becomes the proposal's; the liaison must be one."""
    details = details or HandOff()
    if details.liaison_id:
        liaison = db.session.get(User, details.liaison_id)
        if liaison is None or Role.LIAISON not in liaison.role_set:
            raise ValidationFailed([("liaison_id", _("Choose an account with the department liaison role."))])
    department = (details.department or proposal.department or "").strip()
    proposal.department = department or None


def record_hand_off(proposal: Proposal, change: StageChange, details: HandOff | None) -> None:
    details = details or HandOff()
    handoff = handoff_of(proposal) or Handoff(proposal=proposal)
    handoff.department = proposal.department or ""
    handoff.liaison = db.session.get(User, details.liaison_id) if details.liaison_id else None
    handoff.shared_on = details.shared_on or clock.today()
    handoff.updated_at = clock.now()
    db.session.add(handoff)


def record_decision(proposal: Proposal, change: StageChange, details: Decision | None) -> None:
    """The department adopted (plan, budget year), declined (why: the note) or completed (outcome)."""
    details = details or Decision()
    handoff = handoff_of(proposal)
    if handoff is None:  # handed off before hand-offs were recorded (an imported past project)
        handoff = Handoff(proposal=proposal, department=proposal.department or "", shared_on=clock.today())
        db.session.add(handoff)
    if change.action in ("adopt", "decline"):
        handoff.decided_on = clock.today()  # the department's answer: its deadline is met or missed here
    if change.action == "adopt":
        handoff.plan, handoff.budget_year = _clean(details.plan) or handoff.plan, details.budget_year
    if change.action == "complete":
        handoff.progress, handoff.outcome = 100, _clean(details.outcome) or change.note
    handoff.response = handoff.response or change.note
    if change.note and change.note not in (handoff.response, handoff.outcome):
        # a later decision's words, kept in the notes (a decision says no per cent: only completion does)
        handoff.notes.append(FollowUpNote(author=change.actor, noted_on=clock.today(), body=change.note,
                                          progress=100 if change.action == "complete" else None))
    handoff.updated_at = clock.now()


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None
