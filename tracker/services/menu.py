"""What the menu of every page counts for a person, in one query: unread notifications, and whether
an event they judge is open for scoring."""
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import EventJudge, Notification, PresentationEvent, User


@dataclass(frozen=True)
class MenuCounts:
    unread: int
    judging_open: bool


NOTHING = MenuCounts(0, False)


def counts(user: User) -> MenuCounts:
    unread = (sa.select(sa.func.count(Notification.id))
              .where(Notification.user_id == user.id, Notification.read_at.is_(None)).scalar_subquery())
    judging = sa.exists().where(EventJudge.user_id == user.id, EventJudge.event_id == PresentationEvent.id,
                                PresentationEvent.scoring_closed_at.is_(None))
    row = db.session.execute(sa.select(unread, judging)).one()
    return MenuCounts(int(row[0] or 0), bool(row[1]))
