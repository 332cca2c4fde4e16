"""A working cohort for workflow tests: people in every relation to one subcommittee's proposals."""
from dataclasses import dataclass
from datetime import timedelta

from tests.conftest import PASSWORD
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Handoff,
    MentorKind,
    PresentationSlot,
    Proposal,
    ProposalAuthor,
    Recommendation,
    Review,
    Role,
    Stage,
    StageChange,
    further,
)
from tracker.services import presentation, reviews
from tracker.services.proposals import text_index
from tracker.services import teams as team_service

READY = dict(summary="한 줄", problem="문제", proposal_text="제안", expected_effect="효과")  # fields a submission needs
PEOPLE = ("author", "sub_member", "team_member", "mentor", "other_mentor", "manager", "liaison", "outsider")


@dataclass
class Cohort:
    team: object
    youth: object
    culture: object
    people: dict

    def proposal(self, stage: Stage = Stage.IDEA, **fields) -> Proposal:
        """A youth-subcommittee proposal by ``author``, put in ``stage`` (test set-up only)."""
        proposal = Proposal(team=self.team, subcommittee=self.youth, title=fields.pop("title", "청년 빈집 활용"),
                            stage=stage, furthest_stage=further(Stage.IDEA, stage),
                            authors=[ProposalAuthor(user=self.people["author"])], **fields)
        db.session.add(proposal)
        db.session.add(StageChange(proposal=proposal, to_stage=stage, action="test"))
        db.session.flush()
        text_index.index_proposals([proposal.id])  # as the proposal services do
        db.session.commit()
        return proposal

    def review(self, proposal: Proposal) -> None:
        rubric = reviews.current_rubric(self.team)
        db.session.add(Review(proposal=proposal, mentor=self.people["mentor"], rubric=rubric,
                              round=proposal.review_round, recommendation=Recommendation.APPROVE,
                              submitted_at=clock.now()))
        db.session.commit()


    def judged(self, proposal: Proposal, score: int = 7) -> None:
        """The team's event (made once) with the manager judging; this proposal scored, scoring closed."""
        manager = self.people["manager"]
        event = presentation.event_of(self.team) or presentation.save_event(
            self.team, held_on=clock.today() - timedelta(days=1), starts_at=None, place=None,
            minutes_per_slot=10, actor=manager)
        event.scoring_closed_at = None
        if not event.judges:
            presentation.add_judge(event, manager, actor=manager)
        if proposal.id not in {s.proposal_id for s in event.slots}:
            event.slots.append(PresentationSlot(proposal=proposal, position=len(event.slots)))
            db.session.flush()
        for criterion in event.criteria:
            presentation.save_score(event, manager, proposal.id, criterion["key"], score)
        presentation.close_scoring(event, actor=manager)
        db.session.commit()

    def handed_off(self, proposal: Proposal) -> Handoff:
        """A hand-off record naming ``liaison`` (test set-up only; the proposal's stage is untouched)."""
        handoff = Handoff(proposal=proposal, department="건축과", liaison=self.people["liaison"],
                          shared_on=clock.today())
        db.session.add(handoff)
        db.session.commit()
        return handoff


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
        "liaison": make_account(Role.LIAISON, name="건축과담당"),
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
