"""The presentation event (발표회): running order, judges and their scores.

A score is one row per judge × proposal × criterion, so judges saving at the same moment never
touch the same row and a field saved is never overwritten by another judge's save.
"""
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.models.base import CreatedAtMixin, UTCDateTime
from tracker.models.people import User
from tracker.models.proposal import Proposal
from tracker.models.team import Team


class PresentationEvent(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    held_on: Mapped[date]
    starts_at: Mapped[time | None]  # local time of the day
    place: Mapped[str | None] = mapped_column(sa.String(200))
    minutes_per_slot: Mapped[int] = mapped_column(default=15)
    # [{"key", "name_ko", "name_en", "weight"}]: fixed once the first score is saved.
    criteria: Mapped[list] = mapped_column(sa.JSON)
    max_score: Mapped[int] = mapped_column(default=10)
    scoring_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    team: Mapped[Team] = relationship()
    slots: Mapped[list["PresentationSlot"]] = relationship(
        back_populates="event", order_by="PresentationSlot.position", cascade="all, delete-orphan")
    judges: Mapped[list["EventJudge"]] = relationship(
        back_populates="event", order_by="EventJudge.id", cascade="all, delete-orphan")

    @property
    def scoring_open(self) -> bool:
        return self.scoring_closed_at is None


class PresentationSlot(db.Model):
    __table_args__ = (sa.UniqueConstraint("event_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_event.id", ondelete="CASCADE"),
                                          index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int | None]  # None: the event's minutes_per_slot

    event: Mapped[PresentationEvent] = relationship(back_populates="slots")
    proposal: Mapped[Proposal] = relationship()


class EventJudge(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_event.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    external: Mapped[bool] = mapped_column(default=False)

    event: Mapped[PresentationEvent] = relationship(back_populates="judges")
    user: Mapped[User] = relationship()


class JudgeScore(db.Model):
    __table_args__ = (sa.UniqueConstraint("event_id", "judge_id", "proposal_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_event.id", ondelete="CASCADE"),
                                          index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(sa.String(40))
    score: Mapped[int]
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)


class JudgeConflict(CreatedAtMixin, db.Model):
    """A conflict of interest a manager declared: this judge does not score this presentation.
    (Being an author of the proposal, or its subcommittee's mentor, recuses a judge without one.)"""

    __table_args__ = (sa.UniqueConstraint("event_id", "judge_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_event.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
