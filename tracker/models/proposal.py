"""A proposal (제안), its authors and references, and its append-only history."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.models.base import CreatedAtMixin, UTCDateTime, str_enum
from tracker.models.people import User
from tracker.models.team import Subcommittee, Team


class Stage(enum.StrEnum):
    IDEA = "idea"
    DEVELOPING = "developing"
    IN_REVIEW = "in_review"
    SHORTLISTED = "shortlisted"
    PRESENTED = "presented"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    HANDED_OFF = "handed_off"
    ADOPTED = "adopted"
    DECLINED = "declined"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


STAGE_TYPE = str_enum(Stage)

# The way a proposal goes when all goes well, from the first idea to a completed project; the
# other stages (not selected, declined, withdrawn) end the way rather than go along it.
FUNNEL = (Stage.IDEA, Stage.DEVELOPING, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.PRESENTED,
          Stage.SELECTED, Stage.HANDED_OFF, Stage.ADOPTED, Stage.COMPLETED)
_FUNNEL_STEP = {stage: step for step, stage in enumerate(FUNNEL)}
# still on the way to the selection: where a proposal can stall
BEFORE_SELECTION = FUNNEL[:FUNNEL.index(Stage.SELECTED)]


def further(reached: Stage, stage: Stage) -> Stage:
    """The further along the funnel of the two (a stage off it adds nothing to how far one got)."""
    return stage if _FUNNEL_STEP.get(stage, -1) > _FUNNEL_STEP.get(reached, -1) else reached


class Proposal(CreatedAtMixin, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("team_id", "source_key"),
        # the board: cards by stage, longest untouched first, and stalled counts, read from the index
        sa.Index("ix_proposal_team_stage_updated", "team_id", "stage", "updated_at"),
        # the board's subcommittee × stage matrix, counted from the index
        sa.Index("ix_proposal_team_subcommittee_stage", "team_id", "subcommittee_id", "stage"),
        # the overview's counts of where each cohort's proposals are and how far they got
        sa.Index("ix_proposal_team_stage_furthest", "team_id", "stage", "furthest_stage"),
        # the mentors' queues and loads: who waits in review longest
        sa.Index("ix_proposal_stage_subcommittee_entered", "stage", "subcommittee_id", "stage_entered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    subcommittee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("subcommittee.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str | None] = mapped_column(sa.String(500))
    problem: Mapped[str | None] = mapped_column(sa.Text)
    proposal_text: Mapped[str | None] = mapped_column(sa.Text)
    expected_effect: Mapped[str | None] = mapped_column(sa.Text)
    beneficiaries: Mapped[str | None] = mapped_column(sa.String(300))
    budget_krw: Mapped[int | None] = mapped_column(sa.BigInteger)
    department: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    stage: Mapped[Stage] = mapped_column(STAGE_TYPE, default=Stage.IDEA, index=True)
    # How far along the funnel it ever got (kept with every stage change): "how many reached each
    # stage" is then a count of rows, not a walk through every proposal's history.
    furthest_stage: Mapped[Stage] = mapped_column(STAGE_TYPE, default=Stage.IDEA, server_default=Stage.IDEA.value)
    # When it entered the stage it is in (its last StageChange's moment): the board's "days in
    # this stage" and the mentors' queue, oldest first, read from the row and its index.
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    created_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)
    review_round: Mapped[int] = mapped_column(default=1)
    # Bumped by every ORM update (UPDATE ... WHERE version = ?): a stale save is caught, not lost.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Stable identity of an imported record within its team: re-imports update, never duplicate.
    source_key: Mapped[str | None] = mapped_column(sa.String(64))
    builds_on_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL"), index=True
    )
    carried_over_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL"), index=True
    )

    team: Mapped[Team] = relationship()
    subcommittee: Mapped[Subcommittee | None] = relationship()
    authors: Mapped[list["ProposalAuthor"]] = relationship(
        back_populates="proposal", order_by="ProposalAuthor.position", cascade="all, delete-orphan"
    )
    references: Mapped[list["ProposalReference"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )
    builds_on: Mapped["Proposal | None"] = relationship(
        remote_side=[id], foreign_keys=[builds_on_id]
    )
    carried_over_from: Mapped["Proposal | None"] = relationship(
        remote_side=[id], foreign_keys=[carried_over_from_id]
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def author_names(self) -> list[str]:
        return [a.display_name for a in self.authors]

    def enter(self, stage: Stage) -> None:
        """Move to a stage (the caller records the StageChange)."""
        self.stage = stage
        self.stage_entered_at = clock.now()
        self.furthest_stage = further(self.furthest_stage or Stage.IDEA, stage)


# the list's default order (newest cohort first, then the oldest proposal first) read from an index,
# so that the first page of a search stops at its 20th match
sa.Index("ix_proposal_team_desc_id", Proposal.team_id.desc(), Proposal.id)


class ProposalAuthor(db.Model):
    """An author: a member's account, or only a name for imported past ideas."""

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)

    proposal: Mapped[Proposal] = relationship(back_populates="authors")
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.name if self.user else (self.name or "")


class ProposalReference(db.Model):
    """A benchmarked case (우수사례): what another city did."""

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    city: Mapped[str | None] = mapped_column(sa.String(100))
    title: Mapped[str | None] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    proposal: Mapped[Proposal] = relationship(back_populates="references")


class StageChange(CreatedAtMixin, db.Model):
    """Append-only record of every stage move, imports included."""

    # a proposal's history in order (the timeline chart walks it with a window function)
    __table_args__ = (sa.Index("ix_stage_change_proposal_created", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"))
    from_stage: Mapped[Stage | None] = mapped_column(STAGE_TYPE)
    to_stage: Mapped[Stage] = mapped_column(STAGE_TYPE)
    action: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)

    proposal: Mapped[Proposal] = relationship()
    actor: Mapped[User | None] = relationship()


class ProposalRevision(CreatedAtMixin, db.Model):
    """Append-only record of an edit: which fields changed, from what to what."""

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    source: Mapped[str] = mapped_column(sa.String(40))
    # {"field": [old, new], ...} with JSON-friendly values
    changes: Mapped[dict] = mapped_column(sa.JSON)
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The proposal's version this edit produced: what changed since version N is the revisions after N.
    proposal_version: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship()
    actor: Mapped[User | None] = relationship()
