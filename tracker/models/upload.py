"""A file a manager uploaded to import, kept in the database between its preview and the decision
to save it (any app server may answer the second request), then deleted."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker import clock
from tracker.extensions import db
from tracker.models.base import UTCDateTime


class PendingImport(db.Model):
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # a random token
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
