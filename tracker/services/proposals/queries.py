"""The proposal list (filters, search, sorting, pages) and a proposal's page, in a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only, raiseload, selectinload

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import (
    BEFORE_SELECTION,
    Comment,
    FollowUpNote,
    Handoff,
    Proposal,
    ProposalAuthor,
    ProposalRevision,
    Stage,
    StageChange,
    Team,
    User,
)
from tracker.services.errors import NotFound
from tracker.services.proposals import text_index
from tracker.services.text_match import contains


@dataclass(frozen=True)
class ProposalFilter:
    team_id: int | None = None
    subcommittee_id: int | None = None
    stage: Stage | None = None
    text: str | None = None
    department: str | None = None
    author: str | None = None
    stalled_days: int | None = None  # only proposals before the selection unchanged this many days
    sort: str = "team"


SEARCHED_COLUMNS = (Proposal.title, Proposal.summary, Proposal.problem, Proposal.proposal_text,
                    Proposal.expected_effect, Proposal.beneficiaries, Proposal.department)
SORTS = {
    "team": (Proposal.team_id.desc(), Proposal.id),
    "newest": (Proposal.id.desc(),),
    "oldest": (Proposal.id,),
    "title": (Proposal.title, Proposal.id),
    "updated": (Proposal.updated_at.desc(), Proposal.id.desc()),
    "stage": (Proposal.stage, Proposal.id),
}


def _search_conditions(filters: ProposalFilter) -> list:
    """Every word of the search somewhere in the proposal's texts: partial words match ("빈집")."""
    conditions = []
    for word in (filters.text or "").split():
        indexed = text_index.containing(word)  # the database's index narrows, the texts confirm
        if indexed is not None:
            conditions.append(indexed)
        if indexed is None or text_index.grams(word) != [word.lower()]:  # one pair: the index is exact
            conditions.append(sa.or_(*(contains(column, word) for column in SEARCHED_COLUMNS)))
    if filters.department:
        conditions.append(contains(Proposal.department, filters.department))
    if filters.author:
        conditions.append(Proposal.authors.any(sa.or_(
            contains(ProposalAuthor.name, filters.author),
            ProposalAuthor.user.has(contains(User.name, filters.author)))))
    return conditions


@dataclass
class ProposalListPage:
    items: list[Proposal]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class ProposalPage:
    proposal: Proposal
    stage_changes: list[StageChange]
    revisions: list[ProposalRevision]
    built_upon_by: list[Proposal] = field(default_factory=list)
    carried_over_to: list[Proposal] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    handoff: Handoff | None = None  # with its progress notes, once handed off


def _list_conditions(filters: ProposalFilter, viewer) -> list:
    conditions = [permissions.visible_proposals(viewer)]
    if filters.team_id:
        conditions.append(Proposal.team_id == filters.team_id)
    if filters.subcommittee_id:
        conditions.append(Proposal.subcommittee_id == filters.subcommittee_id)
    if filters.stage:
        conditions.append(Proposal.stage == filters.stage)
    if filters.stalled_days:
        conditions.append(stalled_since(clock.now() - timedelta(days=filters.stalled_days)))
    conditions.extend(_search_conditions(filters))
    return conditions


def stalled_since(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Proposals still on their way to the selection and unchanged since ``cutoff``: stalled."""
    return sa.and_(Proposal.stage.in_(BEFORE_SELECTION), Proposal.updated_at < cutoff)


CARD_COLUMNS = (Proposal.team_id, Proposal.subcommittee_id, Proposal.title, Proposal.summary, Proposal.stage,
                Proposal.review_round, Proposal.updated_at, Proposal.stage_entered_at)


def card_loading():
    """What a proposal's card in a list, a queue or a board column shows (and its moves need), and
    no more: the long texts would be most of what the database hands over, and anything else a card
    touched raises instead of being read card by card."""
    return (load_only(*CARD_COLUMNS, raiseload=True), joinedload(Proposal.team), joinedload(Proposal.subcommittee),
            selectinload(Proposal.authors).joinedload(ProposalAuthor.user).load_only(User.name, raiseload=True),
            raiseload("*"))


def _listed(conditions: list, sort: str):
    return sa.select(Proposal).where(*conditions).options(*card_loading()).order_by(*SORTS.get(sort, SORTS["team"]))


def _count(conditions: list) -> int:
    return db.session.scalar(sa.select(sa.func.count(Proposal.id)).where(*conditions))


def proposal_list(filters: ProposalFilter, page: int, per_page: int, viewer) -> ProposalListPage:
    """One page of the proposals this person may see that match the filters."""
    conditions = _list_conditions(filters, viewer)
    total = _count(conditions)
    page = min(max(1, page), max(1, -(-total // per_page)))  # past the last page: the last page
    items = db.session.scalars(_listed(conditions, filters.sort)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return ProposalListPage(list(items), total, page, per_page)


def matching_query(filters: ProposalFilter, viewer) -> sa.Select:
    """The query of every proposal of the filtered list, in the list's order."""
    return _listed(_list_conditions(filters, viewer), filters.sort)


def proposal(proposal_id: int) -> Proposal:
    """A proposal with what the permission checks read (its team, subcommittee and authors): what
    a write (an edit, a move, a comment, a review) starts from, without the page's history."""
    found = db.session.scalar(
        sa.select(Proposal).where(Proposal.id == proposal_id)
        .options(joinedload(Proposal.team), joinedload(Proposal.subcommittee),
                 selectinload(Proposal.authors).joinedload(ProposalAuthor.user).lazyload(User.roles)))
    if found is None:
        raise NotFound(proposal_id)
    return found


def proposal_page(proposal_id: int) -> ProposalPage:
    """A proposal with its history; the accounts shown (authors, actors) are read without their roles."""
    proposal = db.session.scalar(
        sa.select(Proposal).where(Proposal.id == proposal_id)
        .options(joinedload(Proposal.team), joinedload(Proposal.subcommittee),
                 selectinload(Proposal.authors).joinedload(ProposalAuthor.user).lazyload(User.roles),
                 selectinload(Proposal.references),
                 joinedload(Proposal.builds_on), joinedload(Proposal.carried_over_from)))
    if proposal is None:
        raise NotFound(proposal_id)
    changes = db.session.scalars(
        sa.select(StageChange).where(StageChange.proposal_id == proposal.id)
        .options(joinedload(StageChange.actor).lazyload(User.roles)).order_by(StageChange.created_at, StageChange.id)).all()
    revisions = db.session.scalars(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
        .options(joinedload(ProposalRevision.actor).lazyload(User.roles))
        .order_by(ProposalRevision.created_at, ProposalRevision.id)).all()
    descendants = db.session.scalars(
        sa.select(Proposal).where(sa.or_(Proposal.builds_on_id == proposal.id,
                                         Proposal.carried_over_from_id == proposal.id))
        .options(joinedload(Proposal.team))).all()
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.proposal_id == proposal.id)
        .options(joinedload(Comment.author).lazyload(User.roles)).order_by(Comment.created_at, Comment.id)).all()
    handoff = db.session.scalar(
        sa.select(Handoff).where(Handoff.proposal_id == proposal.id)
        .options(joinedload(Handoff.liaison).lazyload(User.roles),
                 selectinload(Handoff.notes).joinedload(FollowUpNote.author).lazyload(User.roles)))
    return ProposalPage(
        proposal, list(changes), list(revisions),
        built_upon_by=[p for p in descendants if p.builds_on_id == proposal.id],
        carried_over_to=[p for p in descendants if p.carried_over_from_id == proposal.id],
        comments=list(comments), handoff=handoff,
    )


def export_query(team: Team | None = None) -> sa.Select:
    """Every proposal (or one team's), by team, for an export (tracker.exporters.writers.rows_of)."""
    query = sa.select(Proposal).order_by(Proposal.team_id, Proposal.id)
    if team is not None:
        query = query.where(Proposal.team_id == team.id)
    return query
