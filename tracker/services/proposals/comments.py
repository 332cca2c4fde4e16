"""Comments on proposals and @mentions."""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.formatting import person_label
from tracker.models import Comment, Membership, MentorAssignment, Proposal, User, UserRole
from tracker.services import notifications
from tracker.services.errors import NotAllowed, ValidationFailed

MAX_COMMENT = 5000


def participants(proposal: Proposal) -> list[User]:
    """The people a comment can mention: the team's members, the subcommittee's mentors, the authors
    and the programme's managers."""
    members = sa.select(Membership.user_id).where(Membership.team_id == proposal.team_id)
    mentors = sa.select(MentorAssignment.user_id).where(
        MentorAssignment.subcommittee_id == proposal.subcommittee_id)
    managers = sa.select(UserRole.user_id).where(UserRole.role.in_(permissions.MANAGING_ROLES))
    authors = [a.user_id for a in proposal.authors if a.user_id is not None]
    return list(db.session.scalars(
        sa.select(User).where(User.is_active, sa.or_(User.id.in_(members), User.id.in_(mentors),
                                                     User.id.in_(managers), User.id.in_(authors)))
        .order_by(User.name)))


@dataclass(frozen=True)
class Mentions:
    """What the @names of a comment found: people to notify, names that match nobody, and names
    that could be several people (nobody is notified for those)."""

    found: list[User]
    unknown: list[str]
    unclear: list[tuple[str, list[str]]]  # (what was written, the names it could be)


_WORD = re.compile(r"[^\s@,.;:!?()\[\]{}\"'“”‘’]+")


def mentioned(body: str, people: list[User]) -> Mentions:
    """Who each ``@이름`` names. A Korean particle may follow the name ("@김민지님", "@데모 운영담당께"):
    the longest name the text after the @ starts with is the one meant; a name two people share,
    or a word that only begins several names, is unclear."""
    found: dict[int, User] = {}
    unknown, unclear = [], []
    for at in (m.start() for m in re.finditer("@", body)):
        if at and body[at - 1].isalnum():
            continue  # an e-mail address, not a mention
        rest = body[at + 1:]
        written = (_WORD.match(rest) or [""])[0]
        if not written:
            continue
        starting = [p for p in people if rest.startswith(p.name)]
        if starting:
            longest = max(len(p.name) for p in starting)
            meant = [p for p in starting if len(p.name) == longest]
            if len(meant) == 1:
                found[meant[0].id] = meant[0]
            else:
                unclear.append((meant[0].name, [person_label(p) for p in meant]))
            continue
        beginning = [p for p in people if p.name.startswith(written)]
        if len(beginning) > 1:
            unclear.append((written, [p.name for p in beginning]))
        else:
            unknown.append(written)
    return Mentions(list(found.values()), list(dict.fromkeys(unknown)), unclear)


def add_comment(proposal: Proposal, body: str, *, actor: User) -> tuple[Comment, Mentions]:
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
    mentions = mentioned(body, participants(proposal))
    named = [p.id for p in mentions.found]
    notifications.notify(named, notifications.MENTION, proposal, actor=actor, comment=comment)
    others = [i for i in notifications.author_ids(proposal) if i not in named]
    notifications.notify(others, notifications.COMMENT, proposal, actor=actor, comment=comment)
    db.session.flush()
    return comment, mentions
