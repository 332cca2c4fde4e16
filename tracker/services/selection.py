"""The ranking of an event's presentations and the final selection the manager records from it.

A judge's mark for a presentation is the weighted mean of their scores over the event's criteria
(only judges who scored every criterion count); a presentation's mark is the mean of its judges'
marks, its spread the highest minus the lowest. Equal marks (to two decimals) share a rank.
"""
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import PresentationEvent, Proposal, Stage, User
from tracker.services import notifications, presentation, workflow
from tracker.services.errors import NotAllowed, ValidationFailed

DECISIONS = {"select": Stage.SELECTED, "not_select": Stage.NOT_SELECTED}


@dataclass
class Ranked:
    proposal: Proposal
    number: int  # place in the running order
    marks: dict[int, float]  # judge user id → that judge's weighted mark
    incomplete_judges: int
    average: float | None = None
    spread: float | None = None
    rank: int | None = None
    tied: bool = False


def weighted_mark(scores: dict[str, int], criteria: list[dict]) -> float | None:
    if any(c["key"] not in scores for c in criteria):
        return None
    total_weight = sum(c["weight"] for c in criteria)
    return sum(scores[c["key"]] * c["weight"] for c in criteria) / total_weight


def ranking(event: PresentationEvent) -> list[Ranked]:
    """Every presentation, best first; unscored ones last in running order."""
    by_judge_and_proposal: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for score in presentation.all_scores(event):
        by_judge_and_proposal[(score.judge_id, score.proposal_id)][score.criterion] = score.score
    judge_ids = [j.user_id for j in event.judges]
    rows = []
    for timed in presentation.timetable(event):
        proposal = timed.slot.proposal
        marks, incomplete = {}, 0
        for judge_id in judge_ids:
            scores = by_judge_and_proposal.get((judge_id, proposal.id))
            if not scores:
                continue
            mark = weighted_mark(scores, event.criteria)
            if mark is None:
                incomplete += 1
            else:
                marks[judge_id] = mark
        row = Ranked(proposal, timed.number, marks, incomplete)
        if marks:
            row.average = round(sum(marks.values()) / len(marks), 2)
            row.spread = round(max(marks.values()) - min(marks.values()), 2)
        rows.append(row)
    _place(rows)
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.number))


def _place(rows: list[Ranked]) -> None:
    """Competition ranking (1, 2, 2, 4): a tie takes the better place and the next is skipped."""
    marked = sorted((r for r in rows if r.average is not None), key=lambda r: -r.average)
    counts: dict[float, int] = defaultdict(int)
    for row in marked:
        counts[row.average] += 1
    for row in marked:
        row.rank = 1 + sum(1 for other in marked if other.average > row.average)
        row.tied = counts[row.average] > 1


def record_selection(event: PresentationEvent, decisions: dict[int, tuple[str, str]], *, actor: User) -> int:
    """Apply the manager's decisions {proposal id: (select|not_select, note)} through the workflow
    table: a shortlisted proposal is first marked presented; authors are told. Returns how many moved."""
    if not permissions.can_manage_event(actor, event.team):
        raise NotAllowed("only managers record the selection")
    if event.scoring_open:
        raise ValidationFailed([("decisions", _("Close scoring before recording the selection."))])
    slotted = {s.proposal_id: s.proposal for s in event.slots}
    problems, moved = [], 0
    for proposal_id, (decision, note) in decisions.items():
        proposal = slotted.get(proposal_id)
        if proposal is None or decision not in DECISIONS:
            raise NotAllowed("not a decision about this event's proposals")
        if proposal.stage == DECISIONS[decision]:
            continue
        if proposal.stage not in (Stage.SHORTLISTED, Stage.PRESENTED):
            problems.append(("decisions", _("%(title)s: its selection is already recorded.",
                                            title=proposal.title)))
            continue
        try:
            if proposal.stage == Stage.SHORTLISTED:
                workflow.move(proposal, "present", actor=actor)
            workflow.move(proposal, decision, actor=actor, note=note)
        except ValidationFailed as failure:
            problems += [("decisions", f"{proposal.title}: {message}") for _f, message in failure.reasons]
            continue
        kind = notifications.SELECTED if decision == "select" else notifications.NOT_SELECTED
        notifications.notify(notifications.author_ids(proposal), kind, proposal, actor=actor)
        moved += 1
    if problems:
        raise ValidationFailed(problems)
    db.session.flush()
    return moved
