"""The presentation event: its running order, its judges and the scores they save field by field."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import EventJudge, JudgeScore, PresentationEvent, PresentationSlot, Proposal, Stage, Team, User
from tracker.services import accounts, recusal
from tracker.services.errors import NotAllowed, NotFound, ValidationFailed

DEFAULT_CRITERIA = (
    {"key": "feasibility", "name_ko": "실현 가능성", "name_en": "Feasibility", "weight": 30},
    {"key": "impact", "name_ko": "기대 효과", "name_en": "Expected impact", "weight": 30},
    {"key": "creativity", "name_ko": "창의성", "name_en": "Creativity", "weight": 20},
    {"key": "delivery", "name_ko": "발표 전달력", "name_en": "Delivery", "weight": 20},
)
SLOT_STAGES = (Stage.SHORTLISTED, Stage.PRESENTED)


def event_of(team: Team) -> PresentationEvent | None:
    return db.session.scalar(sa.select(PresentationEvent).where(PresentationEvent.team_id == team.id))


def get_event(event_id: int) -> PresentationEvent:
    return db.get_or_404(PresentationEvent, event_id)


def save_event(team: Team, *, held_on: date, starts_at: time | None, place: str | None,
               minutes_per_slot: int, actor: User) -> PresentationEvent:
    """Create or change the team's event; its day becomes the team's presentation day."""
    if not permissions.can_manage_event(actor, team):
        raise NotAllowed("only managers run the presentation event")
    event = event_of(team) or PresentationEvent(team=team, criteria=[dict(c) for c in DEFAULT_CRITERIA])
    event.held_on = held_on
    event.starts_at = starts_at
    event.place = (place or "").strip() or None
    event.minutes_per_slot = minutes_per_slot
    team.presentation_on = held_on
    for judge in event.judges:
        if judge.external:
            judge.user.access_until = held_on + timedelta(days=1)
    db.session.add(event)
    db.session.flush()
    return event


def slot_candidates(event: PresentationEvent) -> list[Proposal]:
    """The team's shortlisted (or already presented) proposals not yet in the running order."""
    slotted = sa.select(PresentationSlot.proposal_id).where(PresentationSlot.event_id == event.id)
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.team_id == event.team_id, Proposal.stage.in_(SLOT_STAGES),
                                  Proposal.id.not_in(slotted)).order_by(Proposal.title)))


def add_slot(event: PresentationEvent, proposal_id: int, *, actor: User) -> PresentationSlot:
    _check_manager(event, actor)
    if proposal_id not in {p.id for p in slot_candidates(event)}:
        raise ValidationFailed([("proposal_id", _("Only the team's shortlisted proposals can be added."))])
    slot = PresentationSlot(event=event, proposal_id=proposal_id,
                            position=max((s.position for s in event.slots), default=-1) + 1)
    db.session.add(slot)
    db.session.flush()
    return slot


def remove_slot(event: PresentationEvent, slot_id: int, *, actor: User) -> None:
    _check_manager(event, actor)
    slot = _slot(event, slot_id)
    if db.session.scalar(sa.select(sa.func.count(JudgeScore.id)).where(
            JudgeScore.event_id == event.id, JudgeScore.proposal_id == slot.proposal_id)):
        raise ValidationFailed([("slot", _("Judges have scored this presentation; it stays in the programme."))])
    event.slots.remove(slot)
    _renumber(event.slots)
    db.session.flush()


def move_slot(event: PresentationEvent, slot_id: int, steps: int, *, actor: User) -> None:
    """Move a presentation earlier (negative) or later in the running order."""
    _check_manager(event, actor)
    order = list(event.slots)
    slot = _slot(event, slot_id)
    index = order.index(slot)
    order.insert(max(0, min(len(order) - 1, index + steps)), order.pop(index))
    _renumber(order)
    db.session.flush()


def set_order(event: PresentationEvent, slot_ids: list[int], *, actor: User) -> None:
    """The whole running order at once (from a drag and drop); it must name every slot once."""
    _check_manager(event, actor)
    by_id = {s.id: s for s in event.slots}
    if sorted(slot_ids) != sorted(by_id):
        raise ValidationFailed([("order", _("The running order changed meanwhile; reload the page."))])
    _renumber([by_id[i] for i in slot_ids])
    db.session.flush()


def set_slot_minutes(event: PresentationEvent, slot_id: int, minutes: int | None, *, actor: User) -> None:
    _check_manager(event, actor)
    _slot(event, slot_id).minutes = minutes
    db.session.flush()


@dataclass(frozen=True)
class TimedSlot:
    slot: PresentationSlot
    number: int
    starts: str | None
    ends: str | None


def timetable(event: PresentationEvent) -> list[TimedSlot]:
    """The running order with each presentation's time, counted from the event's start."""
    clock = datetime.combine(event.held_on, event.starts_at) if event.starts_at else None
    timed = []
    for number, slot in enumerate(event.slots, start=1):
        minutes = slot.minutes or event.minutes_per_slot
        if clock is None:
            timed.append(TimedSlot(slot, number, None, None))
            continue
        end = clock + timedelta(minutes=minutes)
        timed.append(TimedSlot(slot, number, clock.strftime("%H:%M"), end.strftime("%H:%M")))
        clock = end
    return timed


def judge_candidates(event: PresentationEvent) -> list[User]:
    """Active accounts that are not yet judges of this event (any role, or none)."""
    judging = sa.select(EventJudge.user_id).where(EventJudge.event_id == event.id)
    return list(db.session.scalars(sa.select(User).where(User.is_active.is_(True), User.id.not_in(judging))
                                   .order_by(User.name)))


def add_judge(event: PresentationEvent, user: User, *, actor: User, external: bool = False) -> EventJudge:
    _check_manager(event, actor)
    if any(j.user_id == user.id for j in event.judges):
        raise ValidationFailed([("user_id", _("%(name)s is already a judge of this event.", name=user.name))])
    judge = EventJudge(event=event, user=user, external=external)
    db.session.add(judge)
    db.session.flush()
    return judge


def add_external_judge(event: PresentationEvent, *, name: str, email: str, actor: User,
                       address: str | None) -> tuple[EventJudge, str]:
    """A limited account for someone from outside: no role, valid until the day after the event."""
    account = accounts.NewAccount(name=name, email=email, roles=(), limited=True)
    user, password = accounts.create_account(account, actor=actor, address=address)
    user.access_until = event.held_on + timedelta(days=1)
    return add_judge(event, user, actor=actor, external=True), password


def remove_judge(event: PresentationEvent, judge_id: int, *, actor: User) -> None:
    _check_manager(event, actor)
    judge = next((j for j in event.judges if j.id == judge_id), None)
    if judge is None:
        raise NotFound("no such judge in this event")
    if db.session.scalar(sa.select(sa.func.count(JudgeScore.id)).where(
            JudgeScore.event_id == event.id, JudgeScore.judge_id == judge.user_id)):
        raise ValidationFailed([("judge", _("%(name)s has saved scores; they stay a judge.", name=judge.user.name))])
    event.judges.remove(judge)
    db.session.flush()


def events_to_judge(user: User) -> list[PresentationEvent]:
    """The events this person judges whose scoring is still open."""
    return list(db.session.scalars(
        sa.select(PresentationEvent).join(EventJudge).where(
            EventJudge.user_id == user.id, PresentationEvent.scoring_closed_at.is_(None))
        .options(joinedload(PresentationEvent.team)).order_by(PresentationEvent.held_on)))


def save_score(event: PresentationEvent, judge: User, proposal_id: int, criterion: str, score: int | None) -> None:
    """Save (or clear, with None) one field of one judge's scoring: one row, no one else's."""
    if not permissions.can_judge(judge, event):
        raise NotAllowed("not a judge of this event, or scoring is closed")
    if proposal_id not in {s.proposal_id for s in event.slots}:
        raise NotAllowed("this proposal is not in the event")
    if criterion not in {c["key"] for c in event.criteria}:
        raise ValidationFailed([("criterion", _("Unknown criterion."))])
    if score is not None and not 1 <= score <= event.max_score:
        raise ValidationFailed([("score", _("A score is a whole number from 1 to %(max)d.", max=event.max_score))])
    why = recusal.recusals(event).get((judge.id, proposal_id))
    if why is not None:
        raise ValidationFailed([("score", _("You do not score this presentation (recused: %(why)s).", why=why))])
    where = (JudgeScore.event_id == event.id, JudgeScore.judge_id == judge.id,
             JudgeScore.proposal_id == proposal_id, JudgeScore.criterion == criterion)
    if score is None:
        db.session.execute(sa.delete(JudgeScore).where(*where))
        return
    updated = db.session.execute(sa.update(JudgeScore).where(*where).values(score=score, saved_at=clock.now()))
    if updated.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(JudgeScore(event_id=event.id, judge_id=judge.id, proposal_id=proposal_id,
                                      criterion=criterion, score=score))
    except IntegrityError:  # the same judge saved the same field from a second tab a moment earlier
        db.session.execute(sa.update(JudgeScore).where(*where).values(score=score, saved_at=clock.now()))


def scores_by(event: PresentationEvent, judge: User) -> dict[tuple[int, str], int]:
    rows = db.session.execute(sa.select(JudgeScore.proposal_id, JudgeScore.criterion, JudgeScore.score)
                              .where(JudgeScore.event_id == event.id, JudgeScore.judge_id == judge.id))
    return {(proposal_id, criterion): score for proposal_id, criterion, score in rows}


def scoring_progress(event: PresentationEvent) -> dict[tuple[int, int], int]:
    """How many criteria each judge (user id) has scored for each proposal: {(user, proposal): n}."""
    rows = db.session.execute(
        sa.select(JudgeScore.judge_id, JudgeScore.proposal_id, sa.func.count(JudgeScore.id))
        .where(JudgeScore.event_id == event.id).group_by(JudgeScore.judge_id, JudgeScore.proposal_id))
    return {(judge_id, proposal_id): count for judge_id, proposal_id, count in rows}


def close_scoring(event: PresentationEvent, *, actor: User) -> None:
    _check_manager(event, actor)
    event.scoring_closed_at = event.scoring_closed_at or clock.now()
    db.session.flush()


def reopen_scoring(event: PresentationEvent, *, actor: User) -> None:
    _check_manager(event, actor)
    event.scoring_closed_at = None
    db.session.flush()


def all_scores(event: PresentationEvent) -> list[JudgeScore]:
    return list(db.session.scalars(sa.select(JudgeScore).where(JudgeScore.event_id == event.id)))


def _slot(event: PresentationEvent, slot_id: int) -> PresentationSlot:
    slot = next((s for s in event.slots if s.id == slot_id), None)
    if slot is None:
        raise NotFound("no such slot in this event")
    return slot


def _renumber(slots: list[PresentationSlot]) -> None:
    for position, slot in enumerate(slots):
        slot.position = position


def _check_manager(event: PresentationEvent, actor: User) -> None:
    if not permissions.can_manage_event(actor, event.team):
        raise NotAllowed("only managers run the presentation event")
