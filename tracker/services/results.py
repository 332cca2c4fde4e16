"""A team's results book: everything the year produced, on one printable page."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker import permissions
from tracker.extensions import db
from tracker.models import Activity, PresentationEvent, Proposal, ProposalAuthor, Team, User
from tracker.services import follow_up, presentation, selection, teams


@dataclass
class ResultsBook:
    team: Team
    page: teams.TeamPage
    activities: list[Activity]
    proposals: list[Proposal]
    event: PresentationEvent | None
    ranking: list[selection.Ranked]
    ranking_shown: bool  # False while scoring is open (for all but managers)
    follow_up: list[follow_up.FollowUpRow]


def book(team: Team, viewer: User) -> ResultsBook:
    activities = db.session.scalars(
        sa.select(Activity).where(Activity.team_id == team.id).order_by(Activity.starts_at)).all()
    proposals = db.session.scalars(
        sa.select(Proposal).where(Proposal.team_id == team.id, permissions.visible_proposals(viewer))
        .options(joinedload(Proposal.subcommittee),
                 selectinload(Proposal.authors).joinedload(ProposalAuthor.user))
        .order_by(Proposal.subcommittee_id, Proposal.title)).all()
    event = presentation.event_of(team)
    shown = event is not None and permissions.can_see_ranking(viewer, event)
    ranking = [r for r in selection.ranking(event) if permissions.can_view_proposal(viewer, r.proposal)] if shown else []
    return ResultsBook(team=team, page=teams.team_page(team.id), activities=list(activities),
                       proposals=list(proposals), event=event, ranking=ranking, ranking_shown=shown,
                       follow_up=follow_up.follow_up_rows(permissions.visible_proposals(viewer), team_id=team.id))
