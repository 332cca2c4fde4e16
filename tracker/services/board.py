"""A team's status board and the programme overview, from aggregate queries.

Counts come from GROUP BY queries and each column shows at most ``CARDS_PER_STAGE`` cards (the
longest waiting first), so a page costs the same number of queries for 10 or 10,000 proposals.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import (
    BEFORE_SELECTION,
    FUNNEL,
    Proposal,
    Review,
    Stage,
    StageChange,
    Team,
    TeamStatus,
)
from tracker.services.mentoring import MentorLoad, mentor_loads
from tracker.services.proposals import queries

CARDS_PER_STAGE = 12
STALLED_LIST = 20
BOARD_STAGES = FUNNEL
CLOSED_STAGES = (Stage.NOT_SELECTED, Stage.DECLINED, Stage.WITHDRAWN)
OPEN_STAGES = BEFORE_SELECTION
OUTCOME_STAGES = (Stage.SELECTED, Stage.HANDED_OFF, Stage.ADOPTED, Stage.COMPLETED, Stage.DECLINED)


@dataclass(frozen=True)
class Card:
    proposal: Proposal
    reviews_done: int
    stalled: bool

    @property
    def days_in_stage(self) -> int:
        return clock.days_since(self.proposal.stage_entered_at)


@dataclass
class Board:
    team: Team
    subcommittee_id: int | None
    stalled_days: int
    cards: dict[Stage, list[Card]]
    counts: dict[Stage, int]
    matrix: dict[tuple[int | None, Stage], int]
    stalled: list[Card]
    stalled_total: int
    mentor_loads: list[MentorLoad]
    reviews_waiting: int
    reviews_complete: int

    @property
    def days_to_presentation(self) -> int | None:
        day = self.team.presentation_on
        return (day - clock.today()).days if day else None

    def count(self, stage: Stage) -> int:
        return self.counts.get(stage, 0)

    def cell(self, subcommittee_id: int | None, stage: Stage) -> int:
        return self.matrix.get((subcommittee_id, stage), 0)

    def row_total(self, subcommittee_id: int | None) -> int:
        return sum(n for (sub, _stage), n in self.matrix.items() if sub == subcommittee_id)

    @property
    def has_unassigned(self) -> bool:
        return any(sub is None for sub, _stage in self.matrix)

    @property
    def closed_counts(self) -> dict[Stage, int]:
        return {stage: self.counts[stage] for stage in CLOSED_STAGES if self.counts.get(stage)}


def board(team: Team, viewer, *, subcommittee_id: int | None = None, stalled_days: int = 14) -> Board:
    conditions = [Proposal.team_id == team.id, permissions.visible_proposals(viewer)]
    if subcommittee_id is not None:
        conditions.append(Proposal.subcommittee_id == subcommittee_id)
    cutoff = clock.now() - timedelta(days=stalled_days)
    # the cards of a column: the proposals untouched longest
    shown = db.session.scalars(
        sa.select(Proposal).where(Proposal.id.in_(_first_of_each_stage(conditions, BOARD_STAGES, CARDS_PER_STAGE)))
        .options(*queries.card_loading()).order_by(Proposal.updated_at.asc(), Proposal.id)).all()
    # the stalled list: the first of the open stages' first ones, read the same way
    stalled_shown = db.session.scalars(
        sa.select(Proposal).where(Proposal.id.in_(_first_of_each_stage(
            [*conditions, Proposal.updated_at < cutoff], OPEN_STAGES, STALLED_LIST)))
        .options(*queries.card_loading()).order_by(Proposal.updated_at, Proposal.id).limit(STALLED_LIST)).all()
    stalled_total = db.session.scalar(sa.select(sa.func.count(Proposal.id)).where(
        *conditions, queries.stalled_since(cutoff)))
    required = team.required_reviews

    def tallies():
        matrix = {(sub, stage): n for sub, stage, n in db.session.execute(
            sa.select(Proposal.subcommittee_id, Proposal.stage, sa.func.count(Proposal.id))
            .where(*conditions).group_by(Proposal.subcommittee_id, Proposal.stage))}
        complete = db.session.scalar(
            sa.select(sa.func.count()).select_from(_reviewed_enough(team.id, required, conditions)))
        return matrix, complete

    matrix, complete = tallies()
    counts: dict[Stage, int] = {}
    for (_sub, stage), n in matrix.items():
        counts[stage] = counts.get(stage, 0) + n
    reviews_done = _reviews_this_round([p.id for p in (*shown, *stalled_shown) if p.stage == Stage.IN_REVIEW])

    def card(proposal):
        stalled = proposal.stage in OPEN_STAGES and proposal.updated_at < cutoff
        return Card(proposal, reviews_done.get(proposal.id, 0), stalled)

    cards = {stage: [] for stage in BOARD_STAGES}
    for proposal in shown:
        cards[proposal.stage].append(card(proposal))
    return Board(team, subcommittee_id, stalled_days, cards, counts, matrix,
                 [card(p) for p in stalled_shown], stalled_total, mentor_loads(team),
                 reviews_waiting=counts.get(Stage.IN_REVIEW, 0) - complete, reviews_complete=complete)


def _first_of_each_stage(conditions: list, stages, limit: int):
    """The ids of each stage's ``limit`` proposals untouched longest (one UNION ALL of LIMIT selects,
    each a search of the (team, stage, updated_at) index, whatever the team's size)."""
    columns = [sa.select(Proposal.id).where(*conditions, Proposal.stage == stage)
               .order_by(Proposal.updated_at.asc(), Proposal.id).limit(limit).subquery() for stage in stages]
    return sa.union_all(*(sa.select(column.c.id) for column in columns))


def _reviews_this_round(proposal_ids: list[int]) -> dict[int, int]:
    """Submitted reviews of the current round, for these proposals in review (the cards shown;
    asked even for none, so that a board always takes the same queries)."""
    return dict(db.session.execute(
        sa.select(Review.proposal_id, sa.func.count(Review.id)).join(Proposal, Proposal.id == Review.proposal_id)
        .where(Review.proposal_id.in_(proposal_ids), Proposal.stage == Stage.IN_REVIEW,
               Review.round == Proposal.review_round, Review.submitted_at.is_not(None))
        .group_by(Review.proposal_id)).all())


def _reviewed_enough(team_id: int, required: int, conditions):
    """Proposals in review whose current round has the team's required number of reviews
    (read from the reviews, which are few, towards the proposals)."""
    return (sa.select(Review.proposal_id)
            .join(Proposal, sa.and_(Proposal.id == Review.proposal_id, Proposal.review_round == Review.round))
            .where(*conditions, Proposal.stage == Stage.IN_REVIEW, Review.submitted_at.is_not(None))
            .group_by(Review.proposal_id).having(sa.func.count(Review.id) >= required).subquery())


@dataclass(frozen=True)
class Outcome:
    """A selected proposal as the overview lists it."""
    id: int
    title: str
    stage: Stage
    department: str | None


@dataclass
class TeamOutcome:
    team: Team
    reached: dict[Stage, int]
    now: dict[Stage, int]
    selected: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.now.values())


def overview(viewer) -> list[TeamOutcome]:
    """Every team the person may see: how many ideas reached each stage, and where the selected ones are."""
    teams = db.session.scalars(sa.select(Team).where(permissions.visible_teams(viewer))
                               .order_by(Team.cohort.desc(), Team.name)).all()
    reached, now, selected = _outcomes(permissions.visible_proposals(viewer))
    return [TeamOutcome(t, reached.get(t.id, {}), now.get(t.id, {}), selected.get(t.id, [])) for t in teams]


def _outcomes(visible):
    furthest: dict[int, dict[Stage, int]] = {}
    now: dict[int, dict[Stage, int]] = {}
    for team_id, stage, reached, n in db.session.execute(
            sa.select(Proposal.team_id, Proposal.stage, Proposal.furthest_stage, sa.func.count(Proposal.id))
            .where(visible).group_by(Proposal.team_id, Proposal.stage, Proposal.furthest_stage)):
        now.setdefault(team_id, {})[stage] = now.get(team_id, {}).get(stage, 0) + n
        furthest.setdefault(team_id, {})[reached] = furthest.get(team_id, {}).get(reached, 0) + n
    selected: dict[int, list[Outcome]] = {}
    for row in db.session.execute(
            sa.select(Proposal.team_id, Proposal.id, Proposal.title, Proposal.stage, Proposal.department)
            .where(visible, Proposal.stage.in_(OUTCOME_STAGES))
            .order_by(Proposal.team_id, Proposal.id).limit(500)):
        selected.setdefault(row.team_id, []).append(Outcome(row.id, row.title, row.stage, row.department))
    return {team_id: _reached(counts) for team_id, counts in furthest.items()}, now, selected


def _reached(furthest: dict[Stage, int]) -> dict[Stage, int]:
    """How many reached each stage of the funnel: those whose furthest stage is that one or later."""
    result, later = {}, 0
    for stage in reversed(BOARD_STAGES):
        later += furthest.get(stage, 0)
        result[stage] = later
    return result


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    counts: dict[Stage, int]


def month_ends(team: Team, today: date | None = None) -> list[date]:
    """Month ends of the team's own programme year, from its kick-off (or January) to its end (or
    December), and no later than today; without a year, the last 12 months up to today."""
    today = today or clock.today()
    if team.year:
        start = team.kickoff_on or date(team.year, 1, 1)
        end = max(start, min(today, team.ends_on or date(team.year, 12, 31)))
    else:
        end = min(today, team.ends_on or today) if team.status != TeamStatus.ACTIVE else today
        start = team.kickoff_on or date(end.year, 1, 1)
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 11:
        start = date(end.year - (end.month <= 11), (end.month - 12) % 12 + 1, 1)
    points, year, month = [], start.year, start.month
    while True:
        first_of_next = date(year + (month == 12), month % 12 + 1, 1)
        day = first_of_next - timedelta(days=1)
        if day >= end:
            points.append(end)
            return points
        points.append(day)
        year, month = first_of_next.year, first_of_next.month


def stage_timeline(team: Team, viewer, days: list[date]) -> list[TimelinePoint]:
    """How many proposals were in each stage at the end of each day given, in one pass over the history:
    each stage change opens a span that the proposal's next change closes."""
    if not days:
        return []
    return _timeline(team.id, permissions.visible_proposals(viewer), days)


def _timeline(team_id: int, visible, days: list[date]) -> list[TimelinePoint]:
    next_change = sa.func.lead(StageChange.created_at).over(
        partition_by=StageChange.proposal_id, order_by=(StageChange.created_at, StageChange.id))
    spans = (sa.select(StageChange.to_stage, StageChange.created_at.label("start"), next_change.label("end"))
             .join(Proposal, Proposal.id == StageChange.proposal_id)
             .where(Proposal.team_id == team_id, visible).subquery())
    moments = [clock.start_of(day + timedelta(days=1)) for day in days]
    columns = [sa.func.sum(sa.case((sa.and_(spans.c.start < moment,
                                             sa.or_(spans.c.end.is_(None), spans.c.end >= moment)), 1), else_=0))
               for moment in moments]
    rows = db.session.execute(sa.select(spans.c.to_stage, *columns).group_by(spans.c.to_stage)).all()
    return [TimelinePoint(day, {Stage(row[0]): int(row[i + 1] or 0) for row in rows if row[i + 1]})
            for i, day in enumerate(days)]
