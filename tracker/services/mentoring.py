"""What waits for mentors: a mentor's queue, each mentor's load, disagreements, mentoring sessions.

Every list here is one or two aggregate queries, whatever the number of proposals; the proposals
shown are then read by id.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import (
    Activity,
    ActivityKind,
    MentorAssignment,
    Proposal,
    Review,
    ReviewScore,
    Role,
    RubricCriterion,
    Stage,
    Subcommittee,
    Team,
    TeamStatus,
    User,
)
from tracker.services.errors import NotAllowed, NotFound, ValidationFailed
from tracker.services.proposals import queries
from tracker.services.reviews import DISAGREEMENT

QUEUE_LENGTH = 100  # a queue shows the oldest; the rest wait their turn
DISAGREEMENTS_SHOWN = 50


@dataclass(frozen=True)
class QueueItem:
    proposal: Proposal
    waiting_since: datetime | None
    reviews_done: int = 0

    @property
    def days_waiting(self) -> int:
        return clock.days_since(self.waiting_since)


@dataclass(frozen=True)
class MentorLoad:
    mentor: User
    assignments: list[MentorAssignment]
    waiting: int
    oldest_since: datetime | None

    @property
    def oldest_days(self) -> int | None:
        return clock.days_since(self.oldest_since) if self.oldest_since else None


@dataclass(frozen=True)
class Disagreement:
    proposal: Proposal
    round: int
    criterion: str
    spread: int


def _waiting_proposals(*conditions, limit: int = QUEUE_LENGTH):
    """(id, entered review) of the proposals in review that match, the longest waiting first."""
    return (sa.select(Proposal.id, Proposal.stage_entered_at)
            .where(Proposal.stage == Stage.IN_REVIEW, *conditions)
            .order_by(Proposal.stage_entered_at.asc(), Proposal.id).limit(limit))


def _shown(rows) -> list[tuple[Proposal, datetime | None]]:
    """The proposals of these (id, since) rows, loaded with what a queue shows, in the rows' order."""
    if not rows:
        return []
    loaded = {p.id: p for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.id.in_([pid for pid, _since in rows])).options(*queries.card_loading()))}
    return [(loaded[pid], since) for pid, since in rows if pid in loaded]


def review_queue(mentor: User) -> tuple[list[QueueItem], list[QueueItem], int]:
    """(waiting for this mentor, already reviewed by them this round — each the oldest
    QUEUE_LENGTH —, how many wait in all)."""
    subcommittees = permissions.mentored_subcommittee_ids(mentor)
    if not subcommittees:
        return [], [], 0

    def find():
        own_review = sa.exists().where(Review.proposal_id == Proposal.id, Review.mentor_id == mentor.id,
                                       Review.round == Proposal.review_round)
        mine = Proposal.subcommittee_id.in_(subcommittees)
        return (db.session.execute(_waiting_proposals(mine, ~own_review)).all(),
                db.session.execute(_waiting_proposals(mine, own_review)).all(),
                db.session.scalar(sa.select(sa.func.count(Proposal.id)).where(
                    Proposal.stage == Stage.IN_REVIEW, mine, ~own_review)))

    waiting, done, total = find()
    shown = _shown([*waiting, *done])
    return ([QueueItem(p, at) for p, at in shown[:len(waiting)]], [QueueItem(p, at) for p, at in shown[len(waiting):]],
            total)


def _in_active_teams():
    return Proposal.team_id.in_(sa.select(Team.id).where(Team.status == TeamStatus.ACTIVE).scalar_subquery())


def all_waiting(viewer: User) -> tuple[list[QueueItem], int]:
    """For managers: the proposals of active cohorts in review that waited longest (and how many
    there are in all), with the reviews of their current round so far. (A past cohort's proposal
    left in review waits for no one.)"""
    visible = sa.and_(permissions.visible_proposals(viewer), _in_active_teams())

    def find():
        total = db.session.scalar(
            sa.select(sa.func.count(Proposal.id)).where(visible, Proposal.stage == Stage.IN_REVIEW))
        rows = db.session.execute(_waiting_proposals(visible)).all()
        ids = [pid for pid, _entered in rows]
        done = dict(db.session.execute(
            sa.select(Review.proposal_id, sa.func.count(Review.id)).join(Proposal, Proposal.id == Review.proposal_id)
            .where(Review.proposal_id.in_(ids), Review.round == Proposal.review_round,
                   Review.submitted_at.is_not(None)).group_by(Review.proposal_id)).all())
        return rows, done, total

    rows, done, total = find()
    return [QueueItem(p, entered, done.get(p.id, 0)) for p, entered in _shown(rows)], total


def mentor_loads(team: Team) -> list[MentorLoad]:
    """Each mentor of the team with their subcommittees, proposals waiting for them and the oldest."""
    assignments = db.session.scalars(
        sa.select(MentorAssignment).join(MentorAssignment.subcommittee).where(Subcommittee.team_id == team.id)
        .options(joinedload(MentorAssignment.user).lazyload(User.roles), joinedload(MentorAssignment.subcommittee))
        .order_by(Subcommittee.position, MentorAssignment.id)).all()
    waiting = _waiting_by_mentor(team.id)
    loads: dict[int, MentorLoad] = {}
    for assignment in assignments:
        if assignment.user_id not in loads:
            count, oldest = waiting.get(assignment.user_id, (0, None))
            loads[assignment.user_id] = MentorLoad(assignment.user, [], count, oldest)
        loads[assignment.user_id].assignments.append(assignment)
    return list(loads.values())


def _waiting_by_mentor(team_id: int) -> dict[int, tuple[int, datetime | None]]:
    own_review = sa.orm.aliased(Review)
    oldest = sa.func.min(Proposal.stage_entered_at)
    return {user_id: (count, since) for user_id, count, since in db.session.execute(
        sa.select(MentorAssignment.user_id, sa.func.count(Proposal.id), oldest)
        .join(Subcommittee, Subcommittee.id == MentorAssignment.subcommittee_id)
        .join(Proposal, sa.and_(Proposal.subcommittee_id == MentorAssignment.subcommittee_id,
                                Proposal.stage == Stage.IN_REVIEW))
        .join(own_review, sa.and_(own_review.proposal_id == Proposal.id,
                                  own_review.mentor_id == MentorAssignment.user_id,
                                  own_review.round == Proposal.review_round), isouter=True)
        .where(Subcommittee.team_id == team_id, own_review.id.is_(None))
        .group_by(MentorAssignment.user_id))}


def disagreements(viewer: User) -> list[Disagreement]:
    """Proposals of active cohorts in review whose mentors are 2 points or more apart on a
    criterion in the current round (the newest DISAGREEMENTS_SHOWN)."""
    rows = _disagreeing(sa.and_(permissions.visible_proposals(viewer), _in_active_teams(),
                                Proposal.stage == Stage.IN_REVIEW, Review.round == Proposal.review_round))
    proposals = {p.id: p for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.id.in_({r[0] for r in rows}))
        .options(joinedload(Proposal.team)))} if rows else {}
    return [Disagreement(proposals[pid], round_, name, spread) for pid, round_, name, spread in rows]


def _disagreeing(visible) -> list[tuple[int, int, str, int]]:
    spread = sa.func.max(ReviewScore.score) - sa.func.min(ReviewScore.score)
    return [tuple(r) for r in db.session.execute(
        sa.select(Review.proposal_id, Review.round, RubricCriterion.name_ko, spread.label("spread"))
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .join(RubricCriterion, RubricCriterion.id == ReviewScore.criterion_id)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(visible, Review.submitted_at.is_not(None))
        .group_by(Review.proposal_id, Review.round, RubricCriterion.name_ko)
        .having(spread >= DISAGREEMENT)
        .order_by(Review.proposal_id.desc(), Review.round.desc()).limit(DISAGREEMENTS_SHOWN))]


def record_session(team: Team, *, actor: User, on: date, subcommittee_id: int | None, mentor_id: int | None,
                   place: str | None, notes: str | None, proposal_ids: list[int]) -> Activity:
    """A mentoring session: when, which subcommittee, which mentor, what was discussed."""
    if not permissions.can_record_mentoring(actor, team):
        raise NotAllowed("only the team's mentors and managers record mentoring sessions")
    subcommittee = next((s for s in team.subcommittees if s.id == subcommittee_id), None)
    reasons = []
    if subcommittee is None:
        reasons.append(("subcommittee", _("Choose one of this team's subcommittees.")))
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    if mentor is None or subcommittee is None or subcommittee.id not in permissions.mentored_subcommittee_ids(mentor):
        reasons.append(("mentor", _("Choose a mentor matched to that subcommittee.")))
    elif not permissions.can_record_session_of(actor, mentor, subcommittee.id):
        raise NotAllowed("a mentor records only their own sessions, in their own subcommittees")
    proposals = list(db.session.scalars(sa.select(Proposal).where(
        Proposal.id.in_(proposal_ids), Proposal.team_id == team.id,
        permissions.visible_proposals(actor)))) if proposal_ids else []
    if len(proposals) != len(set(proposal_ids)):
        reasons.append(("proposals", _("Choose proposals of this team.")))
    if reasons:
        raise ValidationFailed(reasons)
    activity = Activity(team=team, kind=ActivityKind.MENTORING,
                        title=f"{subcommittee.name_ko} 멘토링",  # data, in the programme's language
                        starts_at=datetime.combine(on, time(0), tzinfo=timezone.utc),
                        place=(place or "").strip() or None, notes=(notes or "").strip() or None,
                        led_by=mentor, recorded_by=actor, subcommittees=[subcommittee], proposals=proposals)
    db.session.add(activity)
    db.session.flush()
    return activity


def sessions_of(team: Team) -> list[Activity]:
    return list(db.session.scalars(
        sa.select(Activity).where(Activity.team_id == team.id, Activity.kind == ActivityKind.MENTORING)
        .options(joinedload(Activity.led_by), selectinload(Activity.subcommittees),
                 selectinload(Activity.proposals))
        .order_by(Activity.starts_at.desc(), Activity.id.desc())))


def sessions_discussing(proposal: Proposal) -> list[Activity]:
    return list(db.session.scalars(
        sa.select(Activity).where(Activity.proposals.any(Proposal.id == proposal.id))
        .options(joinedload(Activity.led_by)).order_by(Activity.starts_at)))


def mentor_candidates() -> list[User]:
    """Active accounts holding the mentor role, to match to subcommittees."""
    return list(db.session.scalars(
        sa.select(User).where(User.is_active, User.roles.any(role=Role.MENTOR)).order_by(User.name, User.id)))


def get_assignment(team: Team, assignment_id: int) -> MentorAssignment:
    assignment = db.session.scalar(
        sa.select(MentorAssignment).join(MentorAssignment.subcommittee)
        .where(MentorAssignment.id == assignment_id, Subcommittee.team_id == team.id))
    if assignment is None:
        raise NotFound(assignment_id)
    return assignment


def unmatch(assignment: MentorAssignment, *, actor: User) -> None:
    """End a match; the mentor's reviews stay."""
    if not permissions.can_manage_mentors(actor):
        raise NotAllowed("only managers match mentors")
    db.session.delete(assignment)
    db.session.flush()
