"""The one table of stage moves: who may make each move, what it needs, and what else it records.

The buttons on a proposal, the server's checks and the tests all read ``MOVES``; a move not in
the table does not exist, and ``move`` is the only way a proposal changes stage (views, the board,
the presentation's selection, reviews, the command line alike). A row may name what the move
records beside the stage change (the hand-off, the department's decisions: services/
department_record.py); ``move`` passes it the details the caller gave. Who a person is *to a
proposal* (author, subcommittee member, mentor of its subcommittee, manager) is decided by
``permissions.relations``.
"""
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import JudgeScore, PresentationEvent, Proposal, Review, Stage, StageChange, User
from tracker.permissions import Relation
from tracker.services import adopted_rule, department_record, notifications
from tracker.services.errors import NotAllowed, ValidationFailed

AUTHORS, SUBCOMMITTEE, MENTORS, MANAGERS, LIAISON = (
    Relation.AUTHOR, Relation.SUBCOMMITTEE_MEMBER, Relation.MENTOR, Relation.MANAGER, Relation.LIAISON)
OPEN_STAGES = (Stage.IDEA, Stage.DEVELOPING, Stage.IN_REVIEW, Stage.SHORTLISTED)
PREVIOUS = "previous"  # a reopened proposal goes back to the stage it was in before


def _filled(proposal: Proposal) -> list[str]:
    needed = [("summary", _("Enter the one-line summary before submitting.")),
              ("problem", _("Enter the current situation and problem before submitting.")),
              ("proposal_text", _("Enter the proposal itself before submitting.")),
              ("expected_effect", _("Enter the expected effect before submitting."))]
    return [message for name, message in needed if not (getattr(proposal, name) or "").strip()]


def _enough_reviews(proposal: Proposal) -> list[str]:
    done = db.session.scalar(sa.select(sa.func.count(Review.id)).where(
        Review.proposal_id == proposal.id, Review.round == proposal.review_round,
        Review.submitted_at.is_not(None)))
    required = proposal.team.required_reviews
    if done < required:
        return [_("%(required)d completed mentor review(s) of this round are needed to shortlist (now %(done)d).",
                  required=required, done=done)]
    return []


def _presentation_day_reached(proposal: Proposal) -> list[str]:
    day = proposal.team.presentation_on
    if day is None or clock.today() < day:
        return [_("It can be marked as presented only on or after the presentation day (%(day)s).",
                  day=format_date(day, "medium") if day else "–")]
    return []


def _judged(proposal: Proposal) -> list[str]:
    """The judges' scores are in: the team's event has closed scoring with marks for this proposal."""
    scored = db.session.scalar(
        sa.select(sa.func.count(JudgeScore.id)).join(PresentationEvent, PresentationEvent.id == JudgeScore.event_id)
        .where(PresentationEvent.team_id == proposal.team_id, JudgeScore.proposal_id == proposal.id,
               PresentationEvent.scoring_closed_at.is_not(None)))
    if not scored:
        return [_("The judges' scores must be recorded (scoring closed) before the selection.")]
    return []


def _ready_to_hand_off(proposal: Proposal) -> list[str]:
    """A department to hand it to, and no unanswered likeness to what is already adopted."""
    problems = adopted_rule.unsettled(proposal)
    if not (proposal.department or "").strip():
        problems.append(_("Enter the responsible department before handing off."))
    return problems


def _nothing(_proposal: Proposal) -> list[str]:
    return []


def _no_preparation(_proposal: Proposal, _details) -> None:
    return None


def _no_effect(_proposal: Proposal, _change: StageChange, _details) -> None:
    return None


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[Stage, ...]
    target: Stage | str
    who: frozenset[Relation]
    label: object  # a lazy string: the button
    guard: Callable[[Proposal], list[str]] = _nothing
    note_required: bool = False
    style: str = "primary"
    prepare: Callable = _no_preparation  # before the guards: take in (and check) the details given
    effect: Callable = _no_effect  # after the stage change: what else the move records


MOVES: tuple[Move, ...] = (
    Move("develop", (Stage.IDEA,), Stage.DEVELOPING, frozenset({AUTHORS, SUBCOMMITTEE, MANAGERS}),
         _l("Start developing")),
    Move("submit", (Stage.DEVELOPING,), Stage.IN_REVIEW, frozenset({AUTHORS, MANAGERS}),
         _l("Submit for mentor review"), guard=_filled),
    Move("request_changes", (Stage.IN_REVIEW,), Stage.DEVELOPING, frozenset({MENTORS, MANAGERS}),
         _l("Send back for changes"), note_required=True, style="secondary"),
    Move("shortlist", (Stage.IN_REVIEW,), Stage.SHORTLISTED, frozenset({MANAGERS}),
         _l("Shortlist for the presentation"), guard=_enough_reviews),
    Move("present", (Stage.SHORTLISTED,), Stage.PRESENTED, frozenset({MANAGERS}),
         _l("Mark as presented"), guard=_presentation_day_reached),
    Move("select", (Stage.PRESENTED,), Stage.SELECTED, frozenset({MANAGERS}),
         _l("Select"), guard=_judged, note_required=True),
    Move("not_select", (Stage.PRESENTED,), Stage.NOT_SELECTED, frozenset({MANAGERS}),
         _l("Not selected"), guard=_judged, note_required=True, style="secondary"),
    Move("hand_off", (Stage.SELECTED,), Stage.HANDED_OFF, frozenset({MANAGERS}),
         _l("Hand off to the department"), guard=_ready_to_hand_off,
         prepare=department_record.prepare_hand_off, effect=department_record.record_hand_off),
    Move("adopt", (Stage.HANDED_OFF,), Stage.ADOPTED, frozenset({MANAGERS, LIAISON}),
         _l("Adopted by the department"), note_required=True, effect=department_record.record_decision),
    Move("decline", (Stage.HANDED_OFF,), Stage.DECLINED, frozenset({MANAGERS, LIAISON}),
         _l("Declined by the department"), note_required=True, style="secondary",
         effect=department_record.record_decision),
    Move("complete", (Stage.ADOPTED,), Stage.COMPLETED, frozenset({MANAGERS, LIAISON}),
         _l("Completed"), note_required=True, effect=department_record.record_decision),
    Move("withdraw", OPEN_STAGES, Stage.WITHDRAWN, frozenset({AUTHORS, MANAGERS}),
         _l("Withdraw"), note_required=True, style="danger"),
    Move("reopen", (Stage.WITHDRAWN, Stage.NOT_SELECTED), PREVIOUS, frozenset({MANAGERS}),
         _l("Reopen"), note_required=True, style="secondary"),
)
MOVES_BY_ACTION = {move.action: move for move in MOVES}


STYLE_ORDER = {"primary": 0, "secondary": 1, "danger": 2}  # the way forward first: a choice's default


def allowed_moves(user: User, proposal: Proposal) -> list[Move]:
    """The moves this person may try on this proposal now (guards are checked when they try), the
    forward ones first: a select offers going on by default, going back or withdrawing by choice."""
    if not permissions.can_move_proposal(user, proposal):
        return []
    relations = permissions.relations(user, proposal)
    found = [m for m in MOVES if proposal.stage in m.sources and m.who & relations]
    return sorted(found, key=lambda m: STYLE_ORDER[m.style])


def unmet_conditions(proposal: Proposal, moves: list[Move]) -> dict[str, list[str]]:
    """What stands in the way of each of these moves now (its guard's messages), for the moves that
    take no details: a page shows such a move disabled, with the reason, not a button that fails."""
    found = {}
    for chosen in moves:
        if chosen.prepare is _no_preparation:
            problems = chosen.guard(proposal)
            if problems:
                found[chosen.action] = problems
    return found


def move(proposal: Proposal, action: str, *, actor: User, note: str | None = None, details=None) -> StageChange:
    """Make one move of the table, with what its row records beside the stage change (``details``:
    department_record.HandOff for a hand-off, department_record.Decision for the department's
    decisions), or raise: NotAllowed (not this person / stage), ValidationFailed (a guard, a
    missing note or a wrong detail, with messages that say what is missing)."""
    chosen = MOVES_BY_ACTION.get(action)
    if chosen is None or chosen not in allowed_moves(actor, proposal):
        raise NotAllowed(f"{action} is not open to this person at {proposal.stage}")
    note = (note or "").strip() or None
    chosen.prepare(proposal, details)
    problems = chosen.guard(proposal)
    if chosen.note_required and not note:
        problems.append(_("This move needs a note saying why."))
    if problems:
        raise ValidationFailed([("note", message) for message in problems])
    target = _previous_stage(proposal) if chosen.target == PREVIOUS else chosen.target
    if action == "submit" and _was_reviewed_before(proposal):
        proposal.review_round += 1
    change = StageChange(proposal=proposal, from_stage=proposal.stage, to_stage=target,
                         action=action, actor=actor, note=note)
    db.session.add(change)
    proposal.enter(target)
    chosen.effect(proposal, change, details)
    _notify(proposal, action, actor)
    db.session.flush()
    return change


def _notify(proposal: Proposal, action: str, actor: User) -> None:
    if action == "submit":
        notifications.notify(notifications.mentor_ids(proposal), notifications.SUBMITTED, proposal, actor=actor)
    elif action == "request_changes":
        notifications.notify(notifications.author_ids(proposal), notifications.CHANGES_REQUESTED, proposal,
                             actor=actor)


def _previous_stage(proposal: Proposal) -> Stage:
    before = db.session.scalar(
        sa.select(StageChange.from_stage).where(StageChange.proposal_id == proposal.id,
                                                StageChange.to_stage == proposal.stage)
        .order_by(StageChange.id.desc()).limit(1))
    return before or Stage.DEVELOPING


def _was_reviewed_before(proposal: Proposal) -> bool:
    return db.session.scalar(sa.select(sa.func.count(StageChange.id)).where(
        StageChange.proposal_id == proposal.id, StageChange.to_stage == Stage.IN_REVIEW)) > 0
