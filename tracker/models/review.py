"""Mentor reviews scored on a team's rubric. A rubric is versioned so old reviews keep theirs."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import str_enum, CreatedAtMixin, UTCDateTime
from tracker.models.people import User
from tracker.models.proposal import Proposal
from tracker.models.team import Team


MAX_CRITERIA = 15  # a rubric's criteria at most


class Recommendation(enum.StrEnum):
    APPROVE = "approve"
    REVISE = "revise"
    REJECT = "reject"


class Rubric(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    team: Mapped[Team] = relationship()
    criteria: Mapped[list["RubricCriterion"]] = relationship(
        back_populates="rubric", order_by="RubricCriterion.position", cascade="all, delete-orphan"
    )


class RubricCriterion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    name_ko: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str | None] = mapped_column(sa.String(80))
    description: Mapped[str | None] = mapped_column(sa.Text)
    weight: Mapped[float] = mapped_column(default=1.0)
    min_score: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=5)
    position: Mapped[int] = mapped_column(default=0)

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")


class Review(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("proposal_id", "mentor_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    rubric_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric.id"))
    round: Mapped[int] = mapped_column(default=1)
    recommendation: Mapped[Recommendation] = mapped_column(
        str_enum(Recommendation, 20)
    )
    comment: Mapped[str | None] = mapped_column(sa.Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    mentor: Mapped[User] = relationship()
    rubric: Mapped[Rubric] = relationship()
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )


class ReviewScore(db.Model):
    __table_args__ = (sa.UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric_criterion.id"))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)  # what the mentor says about this criterion

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
