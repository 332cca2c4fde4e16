"""A counter that moves with every write of proposals (and their stage changes).

Per-process caches of what is read from proposals (the similar-idea gram index, the overview's
and the timeline's aggregates) keep the value they were built at and rebuild when it has moved.
"""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class CacheStamp(db.Model):
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger)
