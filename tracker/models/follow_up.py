"""What the receiving department does with a selected proposal (추진 현황)."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.models.base import CreatedAtMixin, UTCDateTime
from tracker.models.people import User
from tracker.models.proposal import Proposal


class Handoff(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), unique=True)
    department: Mapped[str] = mapped_column(sa.String(100))
    liaison_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    shared_on: Mapped[date]
    response: Mapped[str | None] = mapped_column(sa.Text)
    plan: Mapped[str | None] = mapped_column(sa.Text)
    budget_year: Mapped[int | None]
    progress: Mapped[int] = mapped_column(default=0)  # per cent
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    decided_on: Mapped[date | None]  # the department's answer (adopted or declined)
    planned_completion_on: Mapped[date | None]  # the implementation plan's completion date
    # The last time anyone recorded something: the 90-day overdue flag reads it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)

    proposal: Mapped[Proposal] = relationship()
    liaison: Mapped[User | None] = relationship()
    notes: Mapped[list["FollowUpNote"]] = relationship(
        back_populates="handoff", order_by="FollowUpNote.noted_on.desc(), FollowUpNote.id.desc()",
        cascade="all, delete-orphan")


class FollowUpNote(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(sa.ForeignKey("handoff.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    noted_on: Mapped[date]
    progress: Mapped[int | None]
    body: Mapped[str] = mapped_column(sa.Text)

    handoff: Mapped[Handoff] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
