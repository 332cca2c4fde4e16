"""Each person's notifications: mentions, comments, submissions to review, reviews, requested changes."""
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.extensions import db
from tracker.models import MentorAssignment, Notification, Proposal, User
from tracker.services.errors import NotFound

MENTION, COMMENT = "mention", "comment"
SUBMITTED, REVIEWED, CHANGES_REQUESTED = "submitted", "reviewed", "changes_requested"
SELECTED, NOT_SELECTED = "selected", "not_selected"


def lead(notification: Notification) -> str:
    """What happened, in words, before the proposal's title: the 알림 list and e-mails say it so."""
    name = notification.actor.name if notification.actor else ""
    return {
        MENTION: _("%(name)s mentioned you on", name=name),
        SUBMITTED: _("%(name)s submitted for your review:", name=name),
        REVIEWED: _("%(name)s reviewed your proposal:", name=name),
        SELECTED: _("Your proposal was selected at the presentation event:"),
        NOT_SELECTED: _("Your proposal was not selected at the presentation event:"),
        CHANGES_REQUESTED: _("%(name)s asked for changes to your proposal:", name=name),
    }.get(notification.kind, _("%(name)s commented on your proposal", name=name))


def notify(user_ids, kind: str, proposal: Proposal, *, actor: User | None, comment=None) -> None:
    """One notification per person, never to the person who caused it."""
    for user_id in dict.fromkeys(user_ids):
        if actor is None or user_id != actor.id:
            db.session.add(Notification(user_id=user_id, kind=kind, proposal=proposal, comment=comment,
                                        actor=actor))


def author_ids(proposal: Proposal) -> list[int]:
    return [a.user_id for a in proposal.authors if a.user_id is not None]


def mentor_ids(proposal: Proposal) -> list[int]:
    if proposal.subcommittee_id is None:
        return []
    return list(db.session.scalars(sa.select(MentorAssignment.user_id).where(
        MentorAssignment.subcommittee_id == proposal.subcommittee_id)))


def notifications_for(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id)
        .options(joinedload(Notification.actor), joinedload(Notification.proposal),
                 joinedload(Notification.comment))
        .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(user: User) -> int:
    return db.session.execute(
        sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())).rowcount


def open_notification(user: User, notification_id: int) -> Notification:
    """One of this person's notifications, marked read as they open it."""
    found = db.session.get(Notification, notification_id)
    if found is None or found.user_id != user.id:
        raise NotFound(notification_id)
    if found.read_at is None:
        found.read_at = clock.now()
    return found
