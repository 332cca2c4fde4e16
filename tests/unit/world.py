"""One small world for the rule tables (permissions, the workflow table): cohort 2 (active:
청년‧인구 and 문화관광), cohort 3 (active), cohort 1 (archived, with its four projects), and one person
in each relation to cohort 2's 청년‧인구 proposals. Built once per module (module_ctx)."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from tests.conftest import account_maker, load_programme
from tracker.extensions import db
from tracker.models import (EventJudge, Handoff, MentorKind, PresentationEvent, Proposal, ProposalAuthor, Role,
                            Stage, StageChange, Team)
from tracker.services import teams as team_service

PEOPLE = ("author", "sub_member", "team_member", "mentor", "other_mentor", "manager", "admin", "liaison",
          "outsider", "inactive", "judge")
MANAGERS = {"manager", "admin"}
COHORT_2 = {"author", "sub_member", "team_member"}
YOUTH = {"author", "sub_member"}


@dataclass
class World:
    people: dict
    objects: dict


def _proposal(team, subcommittee, title: str, stage: Stage, author) -> Proposal:
    proposal = Proposal(team=team, subcommittee=subcommittee, title=title, stage=stage,
                        authors=[ProposalAuthor(user=author)] if author else [])
    db.session.add_all([proposal, StageChange(proposal=proposal, to_stage=stage, action="test")])
    return proposal


def build_world() -> World:
    load_programme()
    make = account_maker()
    cohort2 = team_service.find_team("소소기획단 2기")
    cohort3 = team_service.create_team("소소기획단", 3)
    youth, culture = cohort2.subcommittees[0], cohort2.subcommittees[1]
    people = {
        "author": make(Role.MEMBER), "sub_member": make(Role.MEMBER), "team_member": make(Role.MEMBER),
        "mentor": make(Role.MENTOR), "other_mentor": make(Role.MENTOR), "manager": make(Role.MANAGER),
        "admin": make(Role.ADMIN), "liaison": make(Role.LIAISON), "outsider": make(Role.MEMBER),
        "inactive": make(Role.MANAGER, active=False), "judge": make(),
    }
    people["judge"].roles = []  # an external judge's limited account: no role at all
    team_service.add_member(cohort2, people["author"], subcommittee=youth)
    team_service.add_member(cohort2, people["sub_member"], subcommittee=youth)
    team_service.add_member(cohort2, people["team_member"], subcommittee=culture)
    team_service.add_member(cohort3, people["outsider"], subcommittee=cohort3.subcommittees[0])
    team_service.assign_mentor(people["mentor"], youth, kind=MentorKind.EXTERNAL_EXPERT)
    team_service.assign_mentor(people["other_mentor"], culture, kind=MentorKind.SENIOR_STAFF)
    idea = _proposal(cohort2, youth, "청년 아이디어", Stage.IDEA, people["author"])
    in_review = _proposal(cohort2, youth, "검토 중 제안", Stage.IN_REVIEW, people["author"])
    handed_off = _proposal(cohort2, youth, "이관된 제안", Stage.HANDED_OFF, people["author"])
    handoff = Handoff(proposal=handed_off, department="건축과", liaison=people["liaison"], shared_on=date(2025, 11, 3))
    event = PresentationEvent(team=cohort2, held_on=date(2025, 10, 15), criteria=[],
                              judges=[EventJudge(user=people["judge"], external=True)])
    db.session.add_all([handoff, event])
    db.session.commit()
    archived_team = db.session.scalar(sa.select(Team).where(Team.cohort == 1))
    objects = {
        "cohort 2": cohort2, "cohort 3": cohort3, "cohort 1": archived_team,
        "idea": idea, "in review": in_review, "handed off": handed_off, "handoff": handoff, "event": event,
        "cohort 3 idea": _proposal(cohort3, cohort3.subcommittees[0], "3기 아이디어", Stage.IDEA,
                                   people["outsider"]),
        "cohort 1 project": db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집있는교?")),
    }
    db.session.commit()
    return World(people, objects)
