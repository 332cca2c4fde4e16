"""Comments on a proposal and the notifications they (and later reviews) send to people."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import CreatedAtMixin, UTCDateTime
from tracker.models.people import User
from tracker.models.proposal import Proposal


class Comment(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User] = relationship()


class Notification(CreatedAtMixin, db.Model):
    """Something a person should look at; unread until they open their list."""

    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # sent by e-mail (alone or in a digest)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    proposal: Mapped[Proposal | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
