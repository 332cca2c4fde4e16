"""The department's deadlines after a hand-off: it answers (adopted or declined, with the reason)
within a set time of the hand-off, and after adopting it gives an implementation plan with a planned
completion date within another; a later planned date needs a reason for the delay. Both times are a
setting (default one month each). The yearly implementation report lists every hand-off of a year
with its dates, answers, plan, progress and delays."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.formatting import kdate
from tracker.models import FollowUpNote, Handoff, Proposal, Stage, User
from tracker.services import settings as stored_settings
from tracker.services.errors import NotAllowed, ValidationFailed

KEY = "department_deadlines"
DEFAULTS = {"answer_months": 1, "plan_months": 1}
DELAY_MARK = "완료 예정일 변경"  # how a delay note begins: the report lists these


def settings() -> dict:
    return stored_settings.stored(KEY, DEFAULTS)


@dataclass(frozen=True)
class Due:
    answer_by: date
    plan_by: date | None  # once adopted
    late: list[str] = field(default_factory=list)  # what is overdue, in words


def due_of(handoff: Handoff, stage: Stage, today: date | None = None) -> Due:
    today = today or clock.today()
    chosen = settings()
    answer_by = clock.months_after(handoff.shared_on, chosen["answer_months"])
    plan_by = clock.months_after(handoff.decided_on, chosen["plan_months"]) if handoff.decided_on else None
    late = []
    if stage == Stage.HANDED_OFF and today > answer_by:
        late.append(_("the department's answer (due %(day)s)", day=kdate(answer_by)))
    if stage == Stage.ADOPTED and plan_by and today > plan_by and not (handoff.plan and handoff.planned_completion_on):
        late.append(_("the implementation plan (due %(day)s)", day=kdate(plan_by)))
    if stage == Stage.ADOPTED and handoff.planned_completion_on and today > handoff.planned_completion_on:
        late.append(_("completion (planned for %(day)s)", day=kdate(handoff.planned_completion_on)))
    return Due(answer_by, plan_by, late)


def set_plan(handoff: Handoff, *, plan: str | None, planned_on: date | None, delay_reason: str | None,
             actor: User) -> None:
    """The implementation plan and its completion date; moving the date later needs the reason,
    which is kept as a dated note."""
    if not permissions.can_update_follow_up(actor, handoff):
        raise NotAllowed("only the liaison or a manager records the plan")
    plan, delay_reason = (plan or "").strip() or None, (delay_reason or "").strip() or None
    problems = []
    if handoff.proposal.stage != Stage.ADOPTED:
        problems.append(("plan", _("The implementation plan follows the department's adoption.")))
    if planned_on is None:
        problems.append(("planned_on", _("Give the planned completion date.")))
    before = handoff.planned_completion_on
    if planned_on and before and planned_on > before and not delay_reason:
        problems.append(("delay_reason", _("The completion date moves later (from %(before)s): say why.",
                                           before=kdate(before))))
    if problems:
        raise ValidationFailed(problems)
    if before and planned_on != before:
        handoff.notes.append(FollowUpNote(author=actor, noted_on=clock.today(), progress=None, body=(
            f"{DELAY_MARK}: {before.isoformat()} → {planned_on.isoformat()}" + (f" ({delay_reason})" if delay_reason
                                                                                else ""))))
    handoff.plan, handoff.planned_completion_on = plan or handoff.plan, planned_on
    handoff.updated_at = clock.now()
    db.session.flush()


@dataclass(frozen=True)
class ReportRow:
    proposal: Proposal
    handoff: Handoff
    due: Due
    delays: list[str]


def yearly_report(year: int, allowed: sa.ColumnElement[bool]) -> list[ReportRow]:
    """Every proposal handed off in ``year`` that the condition lets through, by hand-off date."""
    handoffs = db.session.scalars(
        sa.select(Handoff).join(Proposal, Proposal.id == Handoff.proposal_id)
        .where(Handoff.shared_on >= date(year, 1, 1), Handoff.shared_on <= date(year, 12, 31), allowed)
        .options(joinedload(Handoff.proposal).joinedload(Proposal.team), joinedload(Handoff.liaison),
                 selectinload(Handoff.notes))
        .order_by(Handoff.shared_on, Handoff.id)).all()
    return [ReportRow(h.proposal, h, due_of(h, h.proposal.stage),
                      [n.body for n in sorted(h.notes, key=lambda n: n.noted_on) if n.body.startswith(DELAY_MARK)])
            for h in handoffs]
