"""The audit log: every sign-in, failure and account change, with time and address."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import CreatedAtMixin
from tracker.models.people import User


class AuditEvent(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    # What was typed as the account name on a failed sign-in (never the password).
    identifier: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[dict | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
