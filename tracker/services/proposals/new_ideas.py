"""New ideas: logged in a minute, or carried over from another cohort without retyping."""
import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, ProposalAuthor, ProposalReference, Stage, StageChange, Subcommittee, Team, User
from tracker.services.errors import NotAllowed, ValidationFailed
from tracker.services.proposals import text_index

CREATE_ACTION = "create"
CARRY_OVER_ACTION = "carry_over"
COPIED_FIELDS = ("title", "summary", "problem", "proposal_text", "expected_effect", "beneficiaries",
                 "budget_krw", "department")


def log_idea(team: Team, *, title: str, summary: str | None, subcommittee_id: int | None,
             actor: User) -> Proposal:
    """A new idea: a title (and a line) is enough; the person who logs it is its author."""
    if not permissions.can_log_idea(actor, team):
        raise NotAllowed("this person may not log ideas in this team")
    title, summary = (title or "").strip(), (summary or "").strip() or None
    reasons = []
    if not title:
        reasons.append(("title", _("Enter a title.")))
    elif len(title) > 200:
        reasons.append(("title", _("Too long: at most %(limit)d characters (this has %(count)d).",
                                   limit=200, count=len(title))))
    if summary and len(summary) > 500:
        reasons.append(("summary", _("Too long: at most %(limit)d characters (this has %(count)d).",
                                     limit=500, count=len(summary))))
    subcommittee = _subcommittee_of(team, subcommittee_id, actor)
    if subcommittee_id is not None and subcommittee is None:
        reasons.append(("subcommittee", _("Choose one of this team's subcommittees.")))
    if reasons:
        raise ValidationFailed(reasons)
    proposal = Proposal(team=team, subcommittee=subcommittee, title=title, summary=summary,
                        stage=Stage.IDEA, authors=[ProposalAuthor(user=actor, position=0)])
    db.session.add(proposal)
    db.session.add(StageChange(proposal=proposal, from_stage=None, to_stage=Stage.IDEA,
                               action=CREATE_ACTION, actor=actor))
    db.session.flush()
    text_index.index_proposals([proposal.id])
    return proposal


def _subcommittee_of(team: Team, subcommittee_id: int | None, actor: User) -> Subcommittee | None:
    if subcommittee_id is None:
        own = next((m.subcommittee for m in actor.memberships if m.team_id == team.id), None)
        return own
    return next((s for s in team.subcommittees if s.id == subcommittee_id), None)


def carry_over(proposal: Proposal, team: Team, *, actor: User, note: str | None = None) -> Proposal:
    """A copy of the idea in ``team`` at stage idea, pointing back to where it came from."""
    if not permissions.can_carry_over(actor, proposal, team):
        raise NotAllowed("this person may not carry this idea into that team")
    already = db.session.scalar(sa.select(Proposal.id).where(
        Proposal.team_id == team.id, Proposal.carried_over_from_id == proposal.id))
    if already is not None:
        raise ValidationFailed([("team", _("This idea is already carried over to %(team)s (no. %(number)d).",
                                           team=team.name, number=already))])
    subcommittee = next((s for s in team.subcommittees if proposal.subcommittee is not None
                         and s.key and s.key == proposal.subcommittee.key), None)
    copy = Proposal(team=team, subcommittee=subcommittee, stage=Stage.IDEA, carried_over_from=proposal,
                    **{name: getattr(proposal, name) for name in COPIED_FIELDS},
                    authors=[ProposalAuthor(user=actor, position=0)],
                    references=[ProposalReference(city=r.city, title=r.title, url=r.url, notes=r.notes)
                                for r in proposal.references])
    db.session.add(copy)
    db.session.add(StageChange(proposal=copy, from_stage=None, to_stage=Stage.IDEA,
                               action=CARRY_OVER_ACTION, actor=actor,
                               note=(note or "").strip() or None))
    db.session.flush()
    text_index.index_proposals([copy.id])
    return copy


def teams_for_new_ideas(actor: User) -> list[Team]:
    return list(db.session.scalars(
        sa.select(Team).where(permissions.teams_for_new_ideas(actor))
        .options(sa.orm.selectinload(Team.subcommittees)).order_by(Team.cohort.desc(), Team.name)))
