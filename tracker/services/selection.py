"""The ranking of an event's presentations and the final selection the manager records from it.

A judge's mark for a presentation is the weighted mean of their scores over the event's criteria
(only judges who scored every criterion count; a recused judge's scores never do); a presentation's
plain mark is the mean of its judges' marks, its spread the highest minus the lowest.

What decides is the standardised mark: each judge's marks are taken as distances from that judge's
own average in units of that judge's own spread (standard deviation), so a strict judge and a
generous one weigh the same; a presentation's standardised mark is the mean of those. Ties (to two
decimals) are broken by the higher mean score on the event's first criterion (실현 가능성 by
default), then by the smaller spread; what is still equal shares a rank.
"""
import statistics
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import PresentationEvent, Proposal, Stage, User
from tracker.services import notifications, presentation, recusal, workflow
from tracker.services.errors import NotAllowed, ValidationFailed

DECISIONS = {"select": Stage.SELECTED, "not_select": Stage.NOT_SELECTED}


@dataclass
class Ranked:
    proposal: Proposal
    number: int  # place in the running order
    marks: dict[int, float]  # judge user id → that judge's weighted mark
    incomplete_judges: int
    recused_judges: int = 0
    first_criterion: float | None = None  # the judges' mean score on the event's first criterion
    average: float | None = None
    standardised: float | None = None
    spread: float | None = None
    rank: int | None = None
    tied: bool = False


@dataclass(frozen=True)
class JudgeStat:
    """How a judge marks: their average and spread (standard deviation) over the presentations scored."""

    user: User
    scored: int
    average: float | None
    spread: float | None


def weighted_mark(scores: dict[str, int], criteria: list[dict]) -> float | None:
    if any(c["key"] not in scores for c in criteria):
        return None
    total_weight = sum(c["weight"] for c in criteria)
    return sum(scores[c["key"]] * c["weight"] for c in criteria) / total_weight


def ranking(event: PresentationEvent) -> list[Ranked]:
    """Every presentation, best first; unscored ones last in running order."""
    rows, _stats = ranking_and_judges(event)
    return rows


def ranking_and_judges(event: PresentationEvent) -> tuple[list[Ranked], list[JudgeStat]]:
    by_judge_and_proposal: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for score in presentation.all_scores(event):
        by_judge_and_proposal[(score.judge_id, score.proposal_id)][score.criterion] = score.score
    recused = recusal.recusals(event)
    judge_ids = [j.user_id for j in event.judges]
    first_key = event.criteria[0]["key"] if event.criteria else None
    rows = []
    for timed in presentation.timetable(event):
        proposal = timed.slot.proposal
        row = Ranked(proposal, timed.number, {}, 0)
        firsts = []
        for judge_id in judge_ids:
            if (judge_id, proposal.id) in recused:
                row.recused_judges += 1
                continue
            scores = by_judge_and_proposal.get((judge_id, proposal.id))
            if not scores:
                continue
            mark = weighted_mark(scores, event.criteria)
            if mark is None:
                row.incomplete_judges += 1
            else:
                row.marks[judge_id] = mark
                firsts.append(scores[first_key])
        if row.marks:
            row.average = round(sum(row.marks.values()) / len(row.marks), 2)
            row.spread = round(max(row.marks.values()) - min(row.marks.values()), 2)
            row.first_criterion = round(sum(firsts) / len(firsts), 2)
        rows.append(row)
    _standardise(rows)
    _place(rows)
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.number)), _judge_stats(event, rows)


def _judge_stats(event: PresentationEvent, rows: list[Ranked]) -> list[JudgeStat]:
    stats = []
    for judge in event.judges:
        marks = [r.marks[judge.user_id] for r in rows if judge.user_id in r.marks]
        stats.append(JudgeStat(judge.user, len(marks), round(statistics.fmean(marks), 2) if marks else None,
                               round(statistics.pstdev(marks), 2) if len(marks) > 1 else None))
    return stats


def _standardise(rows: list[Ranked]) -> None:
    """Each judge's marks as distances from their own average in units of their own spread (a
    judge who gave every presentation the same mark, or scored only one, counts as 0)."""
    own: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        for judge_id, mark in row.marks.items():
            own[judge_id].append(mark)
    centre = {j: (statistics.fmean(m), statistics.pstdev(m)) for j, m in own.items()}
    for row in rows:
        if not row.marks:
            continue
        distances = [(mark - centre[j][0]) / centre[j][1] if centre[j][1] else 0.0 for j, mark in row.marks.items()]
        row.standardised = round(statistics.fmean(distances), 2)


def _place(rows: list[Ranked]) -> None:
    """Competition ranking (1, 2, 2, 4) by the standardised mark, then the first criterion's mean
    (higher), then the spread (smaller); what is equal on all three shares a place."""
    def key(row: Ranked):
        return (-row.standardised, -(row.first_criterion or 0), row.spread or 0)

    marked = sorted((r for r in rows if r.standardised is not None), key=key)
    for row in marked:
        row.rank = 1 + sum(1 for other in marked if key(other) < key(row))
        row.tied = sum(1 for other in marked if key(other) == key(row)) > 1


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
