"""Comments on proposals and @mentions."""
import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import Comment, Membership, MentorAssignment, Proposal, User
from tracker.services import notifications
from tracker.services.errors import NotAllowed, ValidationFailed

MAX_COMMENT = 5000


def participants(proposal: Proposal) -> list[User]:
    """The people a comment can mention: the team's members, the subcommittee's mentors, the authors."""
    members = sa.select(Membership.user_id).where(Membership.team_id == proposal.team_id)
    mentors = sa.select(MentorAssignment.user_id).where(
        MentorAssignment.subcommittee_id == proposal.subcommittee_id)
    authors = [a.user_id for a in proposal.authors if a.user_id is not None]
    return list(db.session.scalars(
        sa.select(User).where(User.is_active, sa.or_(User.id.in_(members), User.id.in_(mentors),
                                                     User.id.in_(authors)))
        .order_by(User.name)))


def mentioned(body: str, people: list[User]) -> list[User]:
    """Who ``@이름`` names: a Korean particle may follow the name ("@김민지님")."""
    return [p for p in people if f"@{p.name}" in body]


def add_comment(proposal: Proposal, body: str, *, actor: User) -> Comment:
    if not permissions.can_comment(actor, proposal):
        raise NotAllowed("this person may not comment on this proposal")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed([("body", _("Write a comment first."))])
    if len(body) > MAX_COMMENT:
        raise ValidationFailed([("body", _("Too long: at most %(limit)d characters (this has %(count)d).",
                                           limit=MAX_COMMENT, count=len(body)))])
    comment = Comment(proposal=proposal, author=actor, body=body)
    db.session.add(comment)
    named = [p.id for p in mentioned(body, participants(proposal))]
    notifications.notify(named, notifications.MENTION, proposal, actor=actor, comment=comment)
    others = [i for i in notifications.author_ids(proposal) if i not in named]
    notifications.notify(others, notifications.COMMENT, proposal, actor=actor, comment=comment)
    db.session.flush()
    return comment
