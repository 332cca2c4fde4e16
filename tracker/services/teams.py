"""Teams (cohorts) and their subcommittees, members and mentors; what the team pages read."""
import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker import permissions
from tracker.extensions import db
from tracker.models import (
    Membership,
    MentorAssignment,
    MentorKind,
    Proposal,
    Stage,
    Subcommittee,
    Team,
    TeamStatus,
    User,
)
from tracker.services.errors import NotFound, ValidationFailed
from tracker.vocabulary import DEFAULT_SUBCOMMITTEES, normalise_label

DEFAULT_PROGRAM_NAME = "소소기획단"
_TEAM_LABEL = re.compile(
    r"^\s*(?P<program>.*?)\s*(?:cohort\s*|제\s*)?(?<!\d)(?P<cohort>\d{1,3})\s*(?:기|th|st|nd|rd)?\s*$",
    re.IGNORECASE,
)


def team_name(program_name: str, cohort: int) -> str:
    return f"{program_name} {cohort}기"


def parse_team_label(label: str) -> tuple[str | None, int | None]:
    """'소소기획단 2기' -> ('소소기획단', 2); '2기' or 'cohort 2' -> (None, 2); else (None, None)."""
    match = _TEAM_LABEL.match(label or "")
    if not match:
        return None, None
    program = match["program"].strip() or None
    return program, int(match["cohort"])


def teams_matching(label: str) -> list[Team]:
    """The teams a label may mean: the one with that name, else those of that cohort number
    ('2기', 'cohort 2', '소소기획단 제2기'), narrowed by the programme name when it is given."""
    wanted = normalise_label(label)
    if not wanted:
        return []
    teams = db.session.scalars(sa.select(Team).order_by(Team.id)).all()
    named = [t for t in teams if normalise_label(t.name) == wanted]
    if named:
        return named
    program, cohort = parse_team_label(label)
    if cohort is None:
        return []
    return [t for t in teams if t.cohort == cohort and
            (program is None or normalise_label(t.program_name) == normalise_label(program))]


def find_team(label: str) -> Team | None:
    """The one team a label names, or None when there is none or more than one."""
    matches = teams_matching(label)
    return matches[0] if len(matches) == 1 else None


def create_team(
    program_name: str,
    cohort: int,
    *,
    year: int | None = None,
    kickoff_on: date | None = None,
    presentation_on: date | None = None,
    ends_on: date | None = None,
    status: TeamStatus = TeamStatus.ACTIVE,
) -> Team:
    """A new team with the four default subcommittees."""
    name = team_name(program_name, cohort)
    if db.session.scalar(sa.select(Team.id).where(Team.name == name)) is not None:
        raise ValidationFailed([("name", _("A team named %(name)s already exists.", name=name))])
    team = Team(
        name=name, program_name=program_name, cohort=cohort, year=year, kickoff_on=kickoff_on,
        presentation_on=presentation_on, ends_on=ends_on, status=status,
    )
    team.subcommittees = [
        Subcommittee(key=d.key, name_ko=d.name_ko, name_en=d.name_en, position=i)
        for i, d in enumerate(DEFAULT_SUBCOMMITTEES)
    ]
    db.session.add(team)
    db.session.flush()
    return team


@dataclass(frozen=True)
class SubcommitteeName:
    key: str | None
    name_ko: str
    name_en: str | None


class SubcommitteeMatcher:
    """Finds a team's subcommittee from how a person wrote its name (Korean or English)."""

    def __init__(self, subcommittees):
        self._index: dict[str, SubcommitteeName] = {}
        for sub in subcommittees:
            name = SubcommitteeName(sub.key, sub.name_ko, sub.name_en)
            default = next((d for d in DEFAULT_SUBCOMMITTEES if d.key == sub.key), None)
            labels = default.labels() if default else ()
            for text in (sub.name_ko, sub.name_en or "", *labels):
                if normalise_label(text):
                    self._index.setdefault(normalise_label(text), name)

    @classmethod
    def for_new_team(cls) -> "SubcommitteeMatcher":
        return cls(DEFAULT_SUBCOMMITTEES)

    def match(self, text: str) -> SubcommitteeName | None:
        return self._index.get(normalise_label(text))

    def names(self) -> list[str]:
        return sorted({n.name_ko for n in self._index.values()})


def update_team(team: Team, **changes) -> Team:
    """Change a team's dates or status; the dates must follow the year's order."""
    allowed = {"year", "kickoff_on", "presentation_on", "ends_on", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not team fields: {sorted(unknown)}")
    new = {name: changes.get(name, getattr(team, name)) for name in allowed}
    if new["kickoff_on"] and new["presentation_on"] and new["presentation_on"] < new["kickoff_on"]:
        raise ValidationFailed([("presentation_on", _(
            "The presentation date cannot be before the kick-off date."))])
    if new["presentation_on"] and new["ends_on"] and new["ends_on"] < new["presentation_on"]:
        raise ValidationFailed([("ends_on", _("The end date cannot be before the presentation date."))])
    for name, value in changes.items():
        setattr(team, name, value)
    db.session.flush()
    return team


def add_member(team: Team, user, *, subcommittee: Subcommittee | None = None,
               department: str | None = None) -> Membership:
    """Put a person on a team (in one subcommittee, with their home department)."""
    if subcommittee is not None and subcommittee.team_id != team.id:
        raise ValidationFailed([("subcommittee", _("That subcommittee belongs to another team."))])
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.team_id == team.id, Membership.user_id == user.id))
    if membership is None:
        membership = Membership(team=team, user=user)
        db.session.add(membership)
    membership.subcommittee = subcommittee
    membership.department = department
    db.session.flush()
    return membership


def assign_mentor(user, subcommittee: Subcommittee, *, kind: MentorKind,
                  organisation: str | None = None, field: str | None = None) -> MentorAssignment:
    """Match a mentor to a subcommittee."""
    assignment = db.session.scalar(sa.select(MentorAssignment).where(
        MentorAssignment.user_id == user.id, MentorAssignment.subcommittee_id == subcommittee.id))
    if assignment is None:
        assignment = MentorAssignment(user=user, subcommittee=subcommittee, kind=kind)
        db.session.add(assignment)
    assignment.kind, assignment.organisation, assignment.field = kind, organisation, field
    db.session.flush()
    return assignment


# What the team pages read

@dataclass
class TeamSummary:
    team: Team
    proposal_count: int
    stage_counts: dict[Stage, int]


@dataclass
class TeamPage:
    team: Team
    subcommittee_counts: dict[int | None, int]
    stage_counts: dict[Stage, int]
    memberships: list[Membership]
    mentor_assignments: list[MentorAssignment]

    @property
    def proposal_count(self) -> int:
        return sum(self.stage_counts.values())


def _stage_counts(team_id: int | None = None) -> dict[tuple[int, Stage], int]:
    query = sa.select(Proposal.team_id, Proposal.stage, sa.func.count()).group_by(
        Proposal.team_id, Proposal.stage)
    if team_id is not None:
        query = query.where(Proposal.team_id == team_id)
    return {(team, stage): count for team, stage, count in db.session.execute(query)}


def team_summaries(viewer) -> list[TeamSummary]:
    """The teams this person may see, with their proposal counts by stage."""
    teams = db.session.scalars(sa.select(Team).where(permissions.visible_teams(viewer))
                               .order_by(Team.cohort.desc(), Team.name)).all()
    counts = _stage_counts()
    summaries = []
    for team in teams:
        by_stage = {stage: n for (team_id, stage), n in counts.items() if team_id == team.id}
        summaries.append(TeamSummary(team, sum(by_stage.values()), by_stage))
    return summaries


def active_teams() -> list[Team]:
    """The cohorts still running, newest first, with their subcommittees."""
    return list(db.session.scalars(
        sa.select(Team).where(Team.status == TeamStatus.ACTIVE).options(selectinload(Team.subcommittees))
        .order_by(Team.cohort.desc(), Team.name)))


def memberships_of(user) -> list[Membership]:
    return list(db.session.scalars(
        sa.select(Membership).where(Membership.user_id == user.id)
        .options(joinedload(Membership.team), joinedload(Membership.subcommittee))
        .order_by(Membership.team_id.desc())))


def teams_with_subcommittees(viewer) -> list[Team]:
    return list(db.session.scalars(
        sa.select(Team).where(permissions.visible_teams(viewer)).options(joinedload(Team.subcommittees))
        .order_by(Team.cohort.desc(), Team.name)).unique())


def get_team(team_id: int) -> Team:
    team = db.session.scalars(
        sa.select(Team).where(Team.id == team_id).options(joinedload(Team.subcommittees))).unique().one_or_none()
    if team is None:
        raise NotFound(team_id)
    return team


def team_member_choices(team_id: int, keep_ids=()) -> list[tuple[int, str, bool]]:
    """The team's members as (account id, name, active), for choosing co-authors: the active ones,
    and those of ``keep_ids`` (already chosen) even when deactivated since."""
    return [(user_id, name, active) for user_id, name, active in db.session.execute(
        sa.select(User.id, User.name, User.is_active).join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team_id, sa.or_(User.is_active.is_(True), User.id.in_(list(keep_ids))))
        .order_by(User.name, User.id))]


def team_proposal_choices(team_id: int, viewer, exclude_stages=()) -> list[tuple[int, str]]:
    """The team's proposals this person may see as (id, title), for choosing what an activity discussed."""
    return [(pid, title) for pid, title in db.session.execute(
        sa.select(Proposal.id, Proposal.title)
        .where(Proposal.team_id == team_id, permissions.visible_proposals(viewer),
               Proposal.stage.not_in(exclude_stages) if exclude_stages else sa.true())
        .order_by(Proposal.title, Proposal.id))]


def team_page(team_id: int) -> TeamPage:
    team = get_team(team_id)
    sub_counts = dict(db.session.execute(
        sa.select(Proposal.subcommittee_id, sa.func.count())
        .where(Proposal.team_id == team.id).group_by(Proposal.subcommittee_id)).all())
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.team_id == team.id)
        .options(joinedload(Membership.user), joinedload(Membership.subcommittee))
        .order_by(Membership.subcommittee_id, Membership.id)).all()
    mentors = db.session.scalars(
        sa.select(MentorAssignment).join(MentorAssignment.subcommittee)
        .where(Subcommittee.team_id == team.id)
        .options(joinedload(MentorAssignment.user), joinedload(MentorAssignment.subcommittee))
        .order_by(Subcommittee.position, MentorAssignment.id)).all()
    stage_counts = {stage: n for (_, stage), n in _stage_counts(team.id).items()}
    return TeamPage(team, sub_counts, stage_counts, list(memberships), list(mentors))
