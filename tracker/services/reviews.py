"""Mentor reviews: the team's rubric, a mentor's review of the current round, and what authors see.

A rubric is versioned: once a review has been scored on a version, editing the rubric makes a new
version, so every review keeps the criteria and weights it was scored on.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import Proposal, Recommendation, Review, ReviewScore, Rubric, RubricCriterion, Team, User
from tracker.models.review import MAX_CRITERIA
from tracker.services import notifications, workflow
from tracker.services.errors import NotAllowed, ValidationFailed

DISAGREEMENT = 2  # points apart on one criterion: the manager should look


@dataclass(frozen=True)
class CriterionDraft:
    name_ko: str
    name_en: str | None = None
    description: str | None = None
    weight: float = 1.0
    key: str | None = None


DEFAULT_CRITERIA = (
    CriterionDraft("창의성", "Creativity", "새롭고 참신한 발상인가", key="creativity"),
    CriterionDraft("실현가능성", "Feasibility", "예산·인력·제도 안에서 실행할 수 있는가", key="feasibility"),
    CriterionDraft("시민 체감도", "Citizen impact", "시민이 변화를 직접 느낄 수 있는가", key="citizen_impact"),
    CriterionDraft("경주 특화성", "Local distinctiveness", "경주의 자원과 사정에 맞는가", key="local_distinctiveness"),
    CriterionDraft("경제성", "Cost-effectiveness", "드는 비용에 비해 효과가 큰가", key="cost_effectiveness"),
)


def current_rubric(team: Team) -> Rubric:
    """The team's newest rubric; the default one is made the first time it is needed."""
    rubric = db.session.scalar(
        sa.select(Rubric).where(Rubric.team_id == team.id).options(selectinload(Rubric.criteria))
        .order_by(Rubric.version.desc()).limit(1))
    if rubric is None:
        rubric = Rubric(team=team, version=1, criteria=_criteria(DEFAULT_CRITERIA))
        db.session.add(rubric)
        db.session.flush()
    return rubric


def _criteria(drafts) -> list[RubricCriterion]:
    return [RubricCriterion(key=d.key or f"c{i + 1}", name_ko=d.name_ko, name_en=d.name_en,
                            description=d.description, weight=d.weight, position=i)
            for i, d in enumerate(drafts)]


def rubric_in_use(rubric: Rubric) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Review.id)).where(Review.rubric_id == rubric.id)) > 0


def save_rubric(team: Team, drafts: list[CriterionDraft], *, actor: User) -> Rubric:
    """Replace the criteria, or start a new version when reviews were scored on the current one."""
    if not permissions.is_manager(actor):
        raise NotAllowed("only managers edit the rubric")
    drafts = [d for d in drafts if (d.name_ko or "").strip()]
    reasons = []
    if not drafts:
        reasons.append(("criteria", _("Keep at least one criterion.")))
    if len(drafts) > MAX_CRITERIA:
        reasons.append(("criteria", _("At most %(count)d criteria.", count=MAX_CRITERIA)))
    if any(not 0 < d.weight <= 10 for d in drafts):
        reasons.append(("criteria", _("A weight is a number above 0 and at most 10.")))
    if reasons:
        raise ValidationFailed(reasons)
    rubric = current_rubric(team)
    if rubric_in_use(rubric):
        rubric = Rubric(team=team, version=rubric.version + 1)
        db.session.add(rubric)
    rubric.criteria = _criteria(drafts)
    db.session.flush()
    return rubric


def already_reviewed(proposal: Proposal, mentor: User) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Review.id)).where(
        Review.proposal_id == proposal.id, Review.mentor_id == mentor.id,
        Review.round == proposal.review_round)) > 0


def may_review(mentor: User, proposal: Proposal) -> bool:
    return permissions.can_review(mentor, proposal) and not already_reviewed(proposal, mentor)


def submit_review(proposal: Proposal, *, mentor: User, scores: dict[int, int], comment: str | None,
                  recommendation: Recommendation, notes: dict[int, str | None] | None = None) -> Review:
    """A mentor's review of the current round (a score and, if they like, a comment per criterion,
    and an overall comment); "revise" sends the proposal back to developing."""
    if not permissions.can_review(mentor, proposal):
        raise NotAllowed("only the subcommittee's mentors review, and only proposals in review")
    if already_reviewed(proposal, mentor):
        raise ValidationFailed([("recommendation", _("You have already reviewed this round of the proposal."))])
    rubric = current_rubric(proposal.team)
    comment = (comment or "").strip() or None
    reasons = []
    for criterion in rubric.criteria:
        score = scores.get(criterion.id)
        if score is None or not criterion.min_score <= score <= criterion.max_score:
            reasons.append((f"score_{criterion.id}", _("Give “%(name)s” a score from %(low)d to %(high)d.",
                                                       name=criterion.name_ko, low=criterion.min_score,
                                                       high=criterion.max_score)))
    if recommendation == Recommendation.REVISE and not comment:
        reasons.append(("comment", _("Write what should change: the authors see this comment.")))
    if reasons:
        raise ValidationFailed(reasons)
    review = Review(proposal=proposal, mentor=mentor, rubric=rubric, round=proposal.review_round,
                    recommendation=recommendation, comment=comment, submitted_at=clock.now(),
                    scores=[ReviewScore(criterion=c, score=scores[c.id],
                                        comment=((notes or {}).get(c.id) or "").strip() or None)
                            for c in rubric.criteria])
    db.session.add(review)
    if recommendation == Recommendation.REVISE:
        workflow.move(proposal, "request_changes", actor=mentor, note=comment)
    else:
        notifications.notify(notifications.author_ids(proposal), notifications.REVIEWED, proposal, actor=mentor)
    db.session.flush()
    return review


def weighted_average(review: Review) -> float:
    """The review's scores weighted by their criteria (each score's criterion is of the review's rubric)."""
    total = sum(s.criterion.weight for s in review.scores)
    return sum(s.score * s.criterion.weight for s in review.scores) / total if total else 0.0


@dataclass
class ReviewRound:
    number: int
    reviews: list[Review]
    disagreements: list[str] = field(default_factory=list)  # criterion names with a spread ≥ 2

    @property
    def average(self) -> float | None:
        if not self.reviews:
            return None
        return sum(weighted_average(r) for r in self.reviews) / len(self.reviews)


@dataclass(frozen=True)
class CriterionTrend:
    """One criterion's mean score in each round (oldest first), for the authors to see it move."""

    name_ko: str
    name_en: str | None
    by_round: list[tuple[int, float | None]]

    @property
    def change(self) -> float | None:
        """The last round's mean minus the one before (None with fewer than two rounds scored)."""
        scored = [mean for _round, mean in self.by_round if mean is not None]
        return round(scored[-1] - scored[-2], 2) if len(scored) > 1 else None


def criterion_trends(rounds: list[ReviewRound]) -> list[CriterionTrend]:
    """Each criterion (by its Korean name, as rubric versions keep it) across the rounds."""
    ordered = sorted(rounds, key=lambda r: r.number)
    names: dict[str, str | None] = {}
    means: dict[tuple[str, int], list[int]] = {}
    for round_ in ordered:
        for review in round_.reviews:
            for score in review.scores:
                names.setdefault(score.criterion.name_ko, score.criterion.name_en)
                means.setdefault((score.criterion.name_ko, round_.number), []).append(score.score)
    return [CriterionTrend(name, name_en, [(r.number, round(sum(v) / len(v), 2) if (v := means.get((name, r.number)))
                                             else None) for r in ordered])
            for name, name_en in names.items()]


def rounds_of(proposal: Proposal) -> list[ReviewRound]:
    """The proposal's reviews by round, newest round first, with the criteria mentors disagree on."""
    reviews = db.session.scalars(
        sa.select(Review).where(Review.proposal_id == proposal.id, Review.submitted_at.is_not(None))
        .options(selectinload(Review.scores).joinedload(ReviewScore.criterion),
                 sa.orm.joinedload(Review.mentor).lazyload(User.roles))
        .order_by(Review.round.desc(), Review.submitted_at)).all()
    rounds: dict[int, ReviewRound] = {}
    for review in reviews:
        rounds.setdefault(review.round, ReviewRound(review.round, [])).reviews.append(review)
    for found in rounds.values():
        by_criterion: dict[str, list[int]] = {}
        for review in found.reviews:
            for score in review.scores:
                by_criterion.setdefault(score.criterion.name_ko, []).append(score.score)
        found.disagreements = [name for name, values in by_criterion.items()
                               if max(values) - min(values) >= DISAGREEMENT]
    return list(rounds.values())
