"""A team (one cohort of the programme), its subcommittees, members and mentors."""
import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import str_enum, CreatedAtMixin
from tracker.models.people import User


class TeamStatus(enum.StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class MentorKind(enum.StrEnum):
    SENIOR_STAFF = "senior_staff"
    EXTERNAL_EXPERT = "external_expert"


class Team(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("program_name", "cohort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    program_name: Mapped[str] = mapped_column(sa.String(80))
    cohort: Mapped[int]
    year: Mapped[int | None]
    kickoff_on: Mapped[date | None]
    presentation_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    status: Mapped[TeamStatus] = mapped_column(
        str_enum(TeamStatus, 20), default=TeamStatus.ACTIVE
    )
    required_reviews: Mapped[int] = mapped_column(default=1)
    # The secret in the team's calendar feed URL; made on first use, replaced to revoke old links.
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    subcommittees: Mapped[list["Subcommittee"]] = relationship(
        back_populates="team", order_by="Subcommittee.position", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class Subcommittee(db.Model):
    __table_args__ = (sa.UniqueConstraint("team_id", "name_ko"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    # The key of a default subcommittee (e.g. "youth_population"); None for a team's own ones.
    key: Mapped[str | None] = mapped_column(sa.String(40))
    name_ko: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str | None] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)

    team: Mapped[Team] = relationship(back_populates="subcommittees")
    mentor_assignments: Mapped[list["MentorAssignment"]] = relationship(
        back_populates="subcommittee", cascade="all, delete-orphan"
    )


class Membership(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    subcommittee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("subcommittee.id", ondelete="SET NULL"), index=True
    )
    department: Mapped[str | None] = mapped_column(sa.String(100))

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
    subcommittee: Mapped[Subcommittee | None] = relationship()


class MentorAssignment(CreatedAtMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "subcommittee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    subcommittee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("subcommittee.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MentorKind] = mapped_column(str_enum(MentorKind, 20))
    organisation: Mapped[str | None] = mapped_column(sa.String(120))
    field: Mapped[str | None] = mapped_column(sa.String(120))

    user: Mapped[User] = relationship(back_populates="mentor_assignments")
    subcommittee: Mapped[Subcommittee] = relationship(back_populates="mentor_assignments")
