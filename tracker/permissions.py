"""Who may see and do what: one predicate per rule, used by views, services and templates.

Where a list must be filtered in the database, the rule's SQL twin stands right beside it.

| rule | member | mentor | manager / admin |
| --- | --- | --- | --- |
| see a team | own teams | teams of matched subcommittees | all |
| see a proposal | own teams' | matched subcommittees' | all |
| see past cohorts (archived teams) | yes | yes | yes |
| manage accounts | no | no | yes |
| grant the admin role; reset, deactivate or change an admin | no | no | admin only |
"""
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Proposal, Role, Subcommittee, Team, TeamStatus

MANAGING_ROLES = {Role.MANAGER, Role.ADMIN}


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_manager(user) -> bool:
    """Managers and admins run the programme and see everything."""
    return _signed_in(user) and bool(user.role_set & MANAGING_ROLES)


def can_manage_accounts(user) -> bool:
    return is_manager(user)


def can_manage_account(user, account) -> bool:
    """Managers manage accounts, but only an admin touches an admin: no manager makes themself one."""
    if not can_manage_accounts(user):
        return False
    return Role.ADMIN not in account.role_set or Role.ADMIN in user.role_set


def can_grant_roles(user, roles) -> bool:
    return can_manage_accounts(user) and (Role.ADMIN not in roles or Role.ADMIN in user.role_set)


def member_team_ids(user) -> set[int]:
    return {m.team_id for m in user.memberships} if _signed_in(user) else set()


def mentored_subcommittee_ids(user) -> set[int]:
    return {a.subcommittee_id for a in user.mentor_assignments} if _signed_in(user) else set()


def mentored_team_ids(user) -> set[int]:
    ids = mentored_subcommittee_ids(user)
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Subcommittee.team_id).where(Subcommittee.id.in_(ids))))


def can_view_team(user, team: Team) -> bool:
    if not _signed_in(user):
        return False
    return (is_manager(user) or team.status == TeamStatus.ARCHIVED
            or team.id in member_team_ids(user) or team.id in mentored_team_ids(user))


def visible_teams(user) -> sa.ColumnElement[bool]:
    """``can_view_team`` as a WHERE clause."""
    if not _signed_in(user):
        return sa.false()
    if is_manager(user):
        return sa.true()
    team_ids = member_team_ids(user) | mentored_team_ids(user)
    return sa.or_(Team.status == TeamStatus.ARCHIVED, Team.id.in_(team_ids))


def can_view_proposal(user, proposal: Proposal) -> bool:
    if not _signed_in(user):
        return False
    return (is_manager(user) or proposal.team.status == TeamStatus.ARCHIVED
            or proposal.team_id in member_team_ids(user)
            or proposal.subcommittee_id in mentored_subcommittee_ids(user))


def visible_proposals(user) -> sa.ColumnElement[bool]:
    """``can_view_proposal`` as a WHERE clause."""
    if not _signed_in(user):
        return sa.false()
    if is_manager(user):
        return sa.true()
    archived = sa.select(Team.id).where(Team.status == TeamStatus.ARCHIVED).scalar_subquery()
    return sa.or_(Proposal.team_id.in_(archived),
                  Proposal.team_id.in_(member_team_ids(user)),
                  Proposal.subcommittee_id.in_(mentored_subcommittee_ids(user)))


def template_globals() -> dict:
    return {"can_manage_accounts": can_manage_accounts, "can_manage_account": can_manage_account}

