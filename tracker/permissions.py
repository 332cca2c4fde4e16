"""Who may see and do what: one predicate per rule, used by views, services and templates.

Where a list must be filtered in the database, the rule's SQL twin stands right beside it.

| rule | member | mentor | manager / admin |
| --- | --- | --- | --- |
| see a team | own teams | teams of matched subcommittees | all |
| see a proposal | own teams' | matched subcommittees' | all |
| see past cohorts (archived teams) | yes | yes | yes |
| log an idea in a team | own active teams | no | yes |
| edit a proposal | as author or subcommittee member, at idea / developing | no | yes |
| change a proposal's authors (at least one stays) | as author | no | yes |
| move a proposal | the workflow table's rows for author / subcommittee / mentor (services/workflow.py) | | yes |
| comment on a proposal | own teams' | matched subcommittees' | yes |
| carry an idea over to another cohort | into own active team | no | yes |
| review a proposal in review | no | matched subcommittees' | no |
| read a proposal's reviews | as author or subcommittee member | matched subcommittees' | yes |
| record a mentoring session | no | their own, in subcommittees they mentor | yes (any matched mentor's) |
| match mentors, edit the rubric | no | no | yes |
| see a team's activities calendar and its feed address | own teams (archived: all) | teams of matched subcommittees | all |
| add or edit activities on a team's calendar | no (mentors record mentoring sessions) | no | yes |
| reset a team's calendar feed address | no | no | yes |
| run a presentation event (order, judges, close scoring, selection) | no | no | yes |
| see the judges' scores and ranks | after scoring closes (own teams, archived) | after scoring closes | yes, live |
| score an event's presentations | only a judge of the event, until scoring closes (any account, external judges too) | | |
| see and update a handed-off proposal's follow-up | its department liaison (liaison role) | no | yes |
| see the follow-up list of all selected proposals | liaisons: their proposals only | no | yes |
| manage accounts | no | no | yes |
| grant the admin role; reset, deactivate or change an admin | no | no | admin only |
| reset a manager's password | no | no | admin only |
| sign a person out everywhere | themself | themself | anyone they manage |
| anything but judging (an external judge's account, no role) | yes | yes | yes |
"""
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context

from tracker.extensions import db
from tracker.models import (Handoff, Membership, MentorAssignment, Proposal, Role, Stage, Subcommittee, Team,
                            TeamStatus)

MANAGING_ROLES = {Role.MANAGER, Role.ADMIN}
EDITABLE_STAGES = (Stage.IDEA, Stage.DEVELOPING)
CARRIABLE_STAGES = (Stage.IDEA, Stage.DEVELOPING, Stage.NOT_SELECTED, Stage.WITHDRAWN)


class Relation(enum.StrEnum):
    """What a person is to one proposal; the workflow table grants moves by relation."""

    AUTHOR = "author"
    SUBCOMMITTEE_MEMBER = "subcommittee_member"
    TEAM_MEMBER = "team_member"
    MENTOR = "mentor"
    MANAGER = "manager"
    LIAISON = "liaison"


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_manager(user) -> bool:
    """Managers and admins run the programme and see everything."""
    return _signed_in(user) and bool(user.role_set & MANAGING_ROLES)


def can_manage_accounts(user) -> bool:
    return is_manager(user)


def can_import_ideas(user) -> bool:
    """Managers bring the archive's past ideas in from files."""
    return is_manager(user)


def can_see_adopted_check(user, proposal: Proposal) -> bool:
    """Its authors and the managers see what already-adopted proposals it is like."""
    found = relations(user, proposal)
    return Relation.MANAGER in found or Relation.AUTHOR in found


def can_record_difference(user) -> bool:
    """Saying how a proposal differs from adopted ones it is like (the adopted-idea rule): managers."""
    return is_manager(user)


def can_edit_privacy_notice(user) -> bool:
    """The processing notice is the body's word to the public: admins write it."""
    return _signed_in(user) and Role.ADMIN in user.role_set


def can_run_retention(user) -> bool:
    """Pseudonymising people past the retention period: admins, with the privacy officer."""
    return _signed_in(user) and Role.ADMIN in user.role_set


def can_change_settings(user) -> bool:
    """The programme's settings (how similar ideas are matched) are the managers'."""
    return is_manager(user)


def can_manage_account(user, account) -> bool:
    """Managers manage accounts, but only an admin touches an admin: no manager makes themself one."""
    if not can_manage_accounts(user):
        return False
    return Role.ADMIN not in account.role_set or Role.ADMIN in user.role_set


def can_reset_password(user, account) -> bool:
    """A manager resets a member's, mentor's or liaison's password; a manager's or admin's only an admin."""
    if not can_manage_account(user, account):
        return False
    return not (account.role_set & MANAGING_ROLES) or Role.ADMIN in user.role_set


def can_end_sessions(user, account) -> bool:
    """Sign a person out on every browser: the person themself, or whoever manages their account."""
    return _signed_in(user) and (user.id == account.id or can_manage_account(user, account))


def uses_the_archive(user) -> bool:
    """Everyone with a role; an external judge's limited account (no role) only judges its events."""
    return _signed_in(user) and bool(user.role_set)


def can_grant_roles(user, roles) -> bool:
    return can_manage_accounts(user) and (Role.ADMIN not in roles or Role.ADMIN in user.role_set)


@dataclass(frozen=True)
class Ties:
    """What a person is tied to: read in one query, once per request, and used by every check."""

    member_subcommittees: dict[int, frozenset[int | None]]  # team -> the subcommittees they are in
    mentored_subcommittees: frozenset[int]
    mentored_teams: frozenset[int]
    handed_to_them: frozenset[int]  # proposals handed off to them as their department's liaison


NO_TIES = Ties({}, frozenset(), frozenset(), frozenset())


def ties(user) -> Ties:
    if not _signed_in(user):
        return NO_TIES
    if not has_request_context():  # a command or a test: read afresh, the data may have just changed
        return _read_ties(user)
    kept = g.setdefault("tracker_ties", {})
    if user.id not in kept:
        kept[user.id] = _read_ties(user)
    return kept[user.id]


def _read_ties(user) -> Ties:
    rows = db.session.execute(sa.union_all(
        sa.select(sa.literal("member"), Membership.team_id, Membership.subcommittee_id)
        .where(Membership.user_id == user.id),
        sa.select(sa.literal("mentor"), Subcommittee.team_id, MentorAssignment.subcommittee_id)
        .join(Subcommittee, Subcommittee.id == MentorAssignment.subcommittee_id)
        .where(MentorAssignment.user_id == user.id),
        sa.select(sa.literal("liaison"), sa.null(), Handoff.proposal_id).where(Handoff.liaison_id == user.id),
    )).all()
    members: dict[int, set[int | None]] = {}
    for kind, team_id, other in rows:
        if kind == "member":
            members.setdefault(team_id, set()).add(other)
    liaison = Role.LIAISON in user.role_set
    return Ties({team: frozenset(subs) for team, subs in members.items()},
                frozenset(o for k, _t, o in rows if k == "mentor"), frozenset(t for k, t, _o in rows if k == "mentor"),
                frozenset(o for k, _t, o in rows if k == "liaison" and liaison))


def member_team_ids(user) -> set[int]:
    return set(ties(user).member_subcommittees)


def mentored_subcommittee_ids(user) -> set[int]:
    return set(ties(user).mentored_subcommittees)


def mentored_team_ids(user) -> set[int]:
    return set(ties(user).mentored_teams)


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
            or proposal.subcommittee_id in mentored_subcommittee_ids(user)
            or proposal.id in liaison_proposal_ids(user))


def liaison_proposal_ids(user) -> set[int]:
    """The proposals handed off to this person as their department's liaison."""
    return set(ties(user).handed_to_them)


def visible_proposals(user) -> sa.ColumnElement[bool]:
    """``can_view_proposal`` as a WHERE clause."""
    if not _signed_in(user):
        return sa.false()
    if is_manager(user):
        return sa.true()
    archived = sa.select(Team.id).where(Team.status == TeamStatus.ARCHIVED).scalar_subquery()
    return sa.or_(Proposal.team_id.in_(archived),
                  Proposal.team_id.in_(member_team_ids(user)),
                  Proposal.subcommittee_id.in_(mentored_subcommittee_ids(user)),
                  Proposal.id.in_(liaison_proposal_ids(user)))


def relations(user, proposal: Proposal) -> set[Relation]:
    if not _signed_in(user):
        return set()
    tied = ties(user)
    found = set()
    if is_manager(user):
        found.add(Relation.MANAGER)
    if any(a.user_id == user.id for a in proposal.authors):
        found.add(Relation.AUTHOR)
    subcommittees = tied.member_subcommittees.get(proposal.team_id)
    if subcommittees is not None:
        found.add(Relation.TEAM_MEMBER)
        if proposal.subcommittee_id is None or proposal.subcommittee_id in subcommittees:
            found.add(Relation.SUBCOMMITTEE_MEMBER)
    if proposal.subcommittee_id is not None and proposal.subcommittee_id in tied.mentored_subcommittees:
        found.add(Relation.MENTOR)
    if proposal.id in tied.handed_to_them:
        found.add(Relation.LIAISON)
    return found


def can_log_idea(user, team: Team) -> bool:
    if is_manager(user):
        return True
    return team.status == TeamStatus.ACTIVE and team.id in member_team_ids(user)


def teams_for_new_ideas(user) -> sa.ColumnElement[bool]:
    """``can_log_idea`` as a WHERE clause."""
    if not _signed_in(user):
        return sa.false()
    if is_manager(user):
        return sa.true()
    return sa.and_(Team.status == TeamStatus.ACTIVE, Team.id.in_(member_team_ids(user)))


def can_edit_proposal(user, proposal: Proposal) -> bool:
    found = relations(user, proposal)
    if Relation.MANAGER in found:
        return True
    return proposal.stage in EDITABLE_STAGES and bool(
        found & {Relation.AUTHOR, Relation.SUBCOMMITTEE_MEMBER})


def can_change_authors(user, proposal: Proposal) -> bool:
    return bool(relations(user, proposal) & {Relation.AUTHOR, Relation.MANAGER})


def can_move_proposal(user, proposal: Proposal) -> bool:
    """The gate before the workflow table: seeing it is the least one needs to move it."""
    return can_view_proposal(user, proposal)


def can_comment(user, proposal: Proposal) -> bool:
    return bool(relations(user, proposal) & {Relation.MANAGER, Relation.TEAM_MEMBER, Relation.MENTOR})


def can_carry_over(user, proposal: Proposal, team: Team | None = None) -> bool:
    """Bring an unfinished or unselected idea into another (active) cohort without retyping it."""
    if not can_view_proposal(user, proposal) or proposal.stage not in CARRIABLE_STAGES:
        return False
    if team is None:
        return is_manager(user) or bool(member_team_ids(user) - {proposal.team_id})
    return (team.id != proposal.team_id and team.status == TeamStatus.ACTIVE
            and can_log_idea(user, team))


def can_review(user, proposal: Proposal) -> bool:
    return proposal.stage == Stage.IN_REVIEW and Relation.MENTOR in relations(user, proposal)


def can_view_reviews(user, proposal: Proposal) -> bool:
    return bool(relations(user, proposal) & {Relation.AUTHOR, Relation.SUBCOMMITTEE_MEMBER,
                                             Relation.MENTOR, Relation.MANAGER})


def can_record_mentoring(user, team: Team) -> bool:
    return is_manager(user) or (team.status == TeamStatus.ACTIVE and team.id in mentored_team_ids(user))


def can_record_session_of(user, mentor, subcommittee_id: int) -> bool:
    """A manager records any matched mentor's session; a mentor only their own, in their own subcommittees."""
    if is_manager(user):
        return True
    return (_signed_in(user) and mentor is not None and mentor.id == user.id
            and subcommittee_id in ties(user).mentored_subcommittees)


def can_manage_mentors(user) -> bool:
    return is_manager(user)


def can_view_calendar(user, team: Team) -> bool:
    """The activities calendar and its feed address go with seeing the team."""
    return can_view_team(user, team)


def can_manage_activities(user, team: Team) -> bool:
    return is_manager(user)


def can_reset_calendar_feed(user, team: Team) -> bool:
    return is_manager(user)


def can_manage_event(user, team: Team) -> bool:
    return is_manager(user)


def is_judge_of(user, event) -> bool:
    return _signed_in(user) and any(judge.user_id == user.id for judge in event.judges)


def can_judge(user, event) -> bool:
    """Judges score (and see) the event's presentations only while scoring is open."""
    return event.scoring_open and is_judge_of(user, event)


def can_see_ranking(user, event) -> bool:
    """The judges' scores and ranks are shown once scoring is closed; managers follow them live."""
    return is_manager(user) or (can_view_team(user, event.team) and event.scoring_closed_at is not None)


def can_view_follow_up(user) -> bool:
    return is_manager(user) or (_signed_in(user) and Role.LIAISON in user.role_set)


def followed_proposals(user) -> sa.ColumnElement[bool]:
    """The follow-up list's rows for this person: all for managers, a liaison's own hand-offs."""
    if is_manager(user):
        return sa.true()
    return Proposal.id.in_(liaison_proposal_ids(user))


def can_update_follow_up(user, handoff: Handoff) -> bool:
    return is_manager(user) or (_signed_in(user) and handoff.liaison_id == user.id
                                and Role.LIAISON in user.role_set)


def is_mentor(user) -> bool:
    return _signed_in(user) and Role.MENTOR in user.role_set


def template_globals() -> dict:
    return {"can_manage_accounts": can_manage_accounts, "can_manage_account": can_manage_account,
            "can_edit_proposal": can_edit_proposal, "can_comment": can_comment,
            "can_carry_over": can_carry_over, "can_view_proposal": can_view_proposal, "can_review": can_review, "can_view_reviews": can_view_reviews,
            "can_record_mentoring": can_record_mentoring, "can_manage_mentors": can_manage_mentors,
            "can_view_calendar": can_view_calendar, "can_manage_activities": can_manage_activities,
            "can_reset_calendar_feed": can_reset_calendar_feed,
            "can_manage_event": can_manage_event, "can_view_follow_up": can_view_follow_up,
            "can_update_follow_up": can_update_follow_up,
            "is_manager": is_manager, "is_mentor": is_mentor, "uses_the_archive": uses_the_archive,
            "can_reset_password": can_reset_password, "can_end_sessions": can_end_sessions,
            "can_change_settings": can_change_settings, "can_import_ideas": can_import_ideas,
            "can_edit_privacy_notice": can_edit_privacy_notice, "can_run_retention": can_run_retention,
            "can_record_difference": can_record_difference}

