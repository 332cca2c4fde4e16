"""Activities of the year: kick-off, lectures, benchmarking visits, mentoring, meetings."""
import enum
from datetime import datetime, time, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import str_enum, CreatedAtMixin, UTCDateTime
from tracker.models.people import User
from tracker.models.proposal import Proposal
from tracker.models.team import Subcommittee, Team


class ActivityKind(enum.StrEnum):
    KICKOFF = "kickoff"
    EXPERT_LECTURE = "expert_lecture"
    BENCHMARKING = "benchmarking"
    MENTORING = "mentoring"
    SUBCOMMITTEE_MEETING = "subcommittee_meeting"
    PRESENTATION = "presentation"


activity_subcommittee = sa.Table(
    "activity_subcommittee",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("subcommittee_id", sa.ForeignKey("subcommittee.id", ondelete="CASCADE"), primary_key=True),
)

activity_attendee = sa.Table(
    "activity_attendee",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True),
)

activity_proposal = sa.Table(
    "activity_proposal",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("proposal_id", sa.ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, 30))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # The mentor of a mentoring session, the lecturer of a lecture: who led it, when they have an account.
    led_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    team: Mapped[Team] = relationship()
    led_by: Mapped[User | None] = relationship(foreign_keys=[led_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    subcommittees: Mapped[list[Subcommittee]] = relationship(secondary=activity_subcommittee)
    proposals: Mapped[list[Proposal]] = relationship(secondary=activity_proposal)
    attendees: Mapped[list[User]] = relationship(secondary=activity_attendee, order_by="User.name")

    @property
    def date_only(self) -> bool:
        """A mentoring session recorded with a date and no time (stored at midnight UTC)."""
        starts = self.starts_at.astimezone(timezone.utc)
        return self.kind == ActivityKind.MENTORING and self.ends_at is None and starts.time() == time(0)
