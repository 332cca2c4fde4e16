"""A working cohort for workflow tests: people in every relation to one subcommittee's proposals."""
from dataclasses import dataclass


from tests.conftest import PASSWORD
from tracker.extensions import db, utcnow
from tracker.models import MentorKind, Proposal, ProposalAuthor, Recommendation, Review, Role, Stage, StageChange
from tracker.services import reviews
from tracker.services import teams as team_service

PEOPLE = ("author", "sub_member", "team_member", "mentor", "other_mentor", "manager", "outsider")


@dataclass
class Cohort:
    team: object
    youth: object
    culture: object
    people: dict

    def proposal(self, stage: Stage = Stage.IDEA, **fields) -> Proposal:
        """A youth-subcommittee proposal by ``author``, put in ``stage`` (test set-up only)."""
        proposal = Proposal(team=self.team, subcommittee=self.youth, title=fields.pop("title", "청년 빈집 활용"),
                            stage=stage, authors=[ProposalAuthor(user=self.people["author"])], **fields)
        db.session.add(proposal)
        db.session.add(StageChange(proposal=proposal, to_stage=stage, action="test"))
        db.session.commit()
        return proposal

    def review(self, proposal: Proposal) -> None:
        rubric = reviews.current_rubric(self.team)
        db.session.add(Review(proposal=proposal, mentor=self.people["mentor"], rubric=rubric,
                              round=proposal.review_round, recommendation=Recommendation.APPROVE,
                              submitted_at=utcnow()))
        db.session.commit()


def make_cohort(make_account) -> Cohort:
    team = team_service.find_team("소소기획단 2기")
    youth, culture = team.subcommittees[0], team.subcommittees[1]
    people = {
        "author": make_account(Role.MEMBER, name="김민지"),
        "sub_member": make_account(Role.MEMBER, name="박서준"),
        "team_member": make_account(Role.MEMBER, name="이하늘"),
        "mentor": make_account(Role.MENTOR, name="최교수"),
        "other_mentor": make_account(Role.MENTOR, name="정선배"),
        "manager": make_account(Role.MANAGER, name="운영담당"),
        "outsider": make_account(Role.MEMBER, name="외부인"),
    }
    team_service.add_member(team, people["author"], subcommittee=youth)
    team_service.add_member(team, people["sub_member"], subcommittee=youth)
    team_service.add_member(team, people["team_member"], subcommittee=culture)
    team_service.assign_mentor(people["mentor"], youth, kind=MentorKind.EXTERNAL_EXPERT)
    team_service.assign_mentor(people["other_mentor"], culture, kind=MentorKind.SENIOR_STAFF)
    db.session.commit()
    return Cohort(team, youth, culture, people)


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"identifier": user.staff_id, "password": PASSWORD})
    assert response.status_code == 302
    return client
