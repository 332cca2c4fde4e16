"""Every move of the workflow table, for every kind of person, through the web; and its guards."""
import re

import pytest
import sqlalchemy as sa

from tests.functional.cohort import PEOPLE, signed_in
from tracker import clock
from tracker.extensions import db
from tracker.models import Stage, StageChange
from tracker.services.errors import ValidationFailed
from tracker.services.workflow import MOVES

# DESIGN.md's table, written out independently of the code's: action -> (from, to, who may).
AUTHORS, SUBCOMMITTEE, MENTORS, MANAGERS = {"author"}, {"author", "sub_member"}, {"mentor"}, {"manager"}
LIAISON = {"liaison"}  # the department liaison named in the proposal's hand-off
EXPECTED = {
    "develop": (Stage.IDEA, Stage.DEVELOPING, AUTHORS | SUBCOMMITTEE | MANAGERS),
    "submit": (Stage.DEVELOPING, Stage.IN_REVIEW, AUTHORS | MANAGERS),
    "request_changes": (Stage.IN_REVIEW, Stage.DEVELOPING, MENTORS | MANAGERS),
    "shortlist": (Stage.IN_REVIEW, Stage.SHORTLISTED, MANAGERS),
    "present": (Stage.SHORTLISTED, Stage.PRESENTED, MANAGERS),
    "select": (Stage.PRESENTED, Stage.SELECTED, MANAGERS),
    "not_select": (Stage.PRESENTED, Stage.NOT_SELECTED, MANAGERS),
    "hand_off": (Stage.SELECTED, Stage.HANDED_OFF, MANAGERS),
    "adopt": (Stage.HANDED_OFF, Stage.ADOPTED, MANAGERS | LIAISON),
    "decline": (Stage.HANDED_OFF, Stage.DECLINED, MANAGERS | LIAISON),
    "complete": (Stage.ADOPTED, Stage.COMPLETED, MANAGERS | LIAISON),
    "withdraw": (Stage.DEVELOPING, Stage.WITHDRAWN, AUTHORS | MANAGERS),
    "reopen": (Stage.WITHDRAWN, Stage.DEVELOPING, MANAGERS),
}
READY = dict(summary="빈집을 청년 주거로", problem="빈집 증가", proposal_text="리모델링 지원",
             expected_effect="청년 유입", department="건축과")


def test_the_table_in_code_is_the_table_in_the_design():
    assert {m.action for m in MOVES} == set(EXPECTED)


def _set_up(cohort, action):
    source = EXPECTED[action][0]
    if action == "reopen":  # withdrawn from developing: reopening goes back there
        proposal = cohort.proposal(Stage.DEVELOPING, **READY)
        db.session.add(StageChange(proposal=proposal, from_stage=Stage.DEVELOPING, to_stage=Stage.WITHDRAWN,
                                   action="withdraw"))
        proposal.stage = Stage.WITHDRAWN
        db.session.commit()
        return proposal
    proposal = cohort.proposal(source, **READY)
    if action == "shortlist":
        cohort.review(proposal)
    if action in ("select", "not_select"):
        cohort.judged(proposal)
    if action in ("adopt", "decline", "complete"):
        cohort.handed_off(proposal)
    return proposal


# The hand-off and the department's decisions have their own forms on the proposal page.
FORM_URL = {"hand_off": "/hand-off", "adopt": "/decision", "decline": "/decision", "complete": "/decision"}


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_move_for_every_person(app, cohort, action):
    source, target, allowed = EXPECTED[action]
    for person in PEOPLE:
        proposal = _set_up(cohort, action)
        client = signed_in(app, cohort.people[person])
        page = client.get(f"/proposals/{proposal.id}")
        shows_button = f"/proposals/{proposal.id}{FORM_URL.get(action, f'/move/{action}')}" in page.get_data(as_text=True)
        response = client.post(f"/proposals/{proposal.id}/move/{action}", data={"note": "회의 결과"})
        db.session.refresh(proposal)
        if person in allowed:
            assert shows_button and response.status_code == 302, person
            assert proposal.stage == target, person
            last = db.session.scalars(sa.select(StageChange).where(StageChange.proposal_id == proposal.id)
                                      .order_by(StageChange.id.desc())).first()
            assert (last.from_stage, last.to_stage, last.actor_id, last.note) == (
                source, target, cohort.people[person].id, "회의 결과")
        else:
            assert not shows_button, person
            # refused when the person sees the proposal; for anyone else it does not exist
            sees = page.status_code == 200
            assert response.status_code == (403 if sees else 404), person
            assert sees or page.status_code == 404, person
            assert proposal.stage == source, person


def test_guards_say_what_is_missing(app, cohort):
    author = signed_in(app, cohort.people["author"])
    proposal = cohort.proposal(Stage.DEVELOPING, summary="한 줄", problem="문제", proposal_text="제안")
    page = author.post(f"/proposals/{proposal.id}/move/submit", follow_redirects=True).get_data(as_text=True)
    assert "기대효과를 입력해야 제출할 수 있습니다." in page
    db.session.refresh(proposal)
    assert proposal.stage == Stage.DEVELOPING

    page = author.post(f"/proposals/{proposal.id}/move/withdraw", data={"note": " "},
                       follow_redirects=True).get_data(as_text=True)
    assert "이 단계 변경에는 사유를 적은 메모가 필요합니다." in page

    manager = signed_in(app, cohort.people["manager"])
    in_review = cohort.proposal(Stage.IN_REVIEW, **READY)
    page = manager.post(f"/proposals/{in_review.id}/move/shortlist", follow_redirects=True).get_data(as_text=True)
    assert "이번 회차 멘토 검토가 1건 있어야 발표 후보로 올릴 수 있습니다 (지금 0건)." in page
    selected = cohort.proposal(Stage.SELECTED)
    page = manager.post(f"/proposals/{selected.id}/move/hand_off", follow_redirects=True).get_data(as_text=True)
    assert "담당부서를 입력해야 부서로 이관할 수 있습니다." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StageChange)
                             .where(StageChange.action.not_in(["test", "import"]))) == 0


def test_changes_requested_then_resubmitted_starts_a_new_review_round(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, **READY)
    author, mentor = signed_in(app, cohort.people["author"]), signed_in(app, cohort.people["mentor"])
    author.post(f"/proposals/{proposal.id}/move/submit")
    mentor.post(f"/proposals/{proposal.id}/move/request_changes", data={"note": "예산 근거 보완"})
    author.post(f"/proposals/{proposal.id}/move/submit")
    db.session.refresh(proposal)
    assert proposal.stage == Stage.IN_REVIEW and proposal.review_round == 2
    page = author.get(f"/proposals/{proposal.id}?order=newest").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert text.index("예산 근거 보완") > text.index("구체화 → 멘토 검토")  # newest first



def test_the_one_entry_records_the_department_side_of_a_move(app, cohort):
    """workflow.move is the only way in: a caller that is not a view (the command line, an API)
    gets the hand-off record and the department's decisions as the pages do."""
    from tracker.services import department_record, workflow

    proposal = cohort.proposal(Stage.SELECTED, title="빈집 청년주택", department="건축과")
    manager, liaison = cohort.people["manager"], cohort.people["liaison"]
    workflow.move(proposal, "hand_off", actor=manager, details=department_record.HandOff(liaison_id=liaison.id))
    handoff = department_record.handoff_of(proposal)
    assert (handoff.department, handoff.liaison_id, handoff.shared_on) == ("건축과", liaison.id, clock.today())
    db.session.commit()
    workflow.move(proposal, "adopt", actor=liaison, note="내년 예산 반영",
                  details=department_record.Decision(plan="2027년 시범사업", budget_year=2027))
    workflow.move(proposal, "complete", actor=liaison, note="준공")
    db.session.commit()
    db.session.refresh(handoff)
    assert (handoff.plan, handoff.budget_year, handoff.progress, handoff.outcome) == ("2027년 시범사업", 2027, 100, "준공")
    # the decisions' memos are the response and the outcome (and in the stage history), not progress notes
    assert handoff.response == "내년 예산 반영" and handoff.notes == []
    with pytest.raises(ValidationFailed):  # the liaison must hold the role
        other = cohort.proposal(Stage.SELECTED, title="다른 선정작", department="건축과")
        workflow.move(other, "hand_off", actor=manager,
                      details=department_record.HandOff(liaison_id=cohort.people["author"].id))
