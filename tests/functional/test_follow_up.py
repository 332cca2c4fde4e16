"""After the selection: hand-off with a liaison, the department's decisions, progress, the
follow-up list with its overdue flag, and the results book."""
import io
import re
from datetime import date, timedelta

import openpyxl
import sqlalchemy as sa

from tests.functional.cohort import READY, signed_in
from tests.helpers import text_of
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Activity,
    ActivityKind,
    FollowUpNote,
    Handoff,
    PresentationEvent,
    Proposal,
    Role,
    Stage,
    StageChange,
    Team,
)
from tracker.services import reviews



def _hand_off(app, cohort, proposal, liaison=None):
    manager = signed_in(app, cohort.people["manager"])
    response = manager.post(f"/proposals/{proposal.id}/hand-off", data={
        "department": "건축과", "liaison_id": (liaison or cohort.people["liaison"]).id,
        "shared_on": clock.today().isoformat(), "note": "11월 부서 회의에서 공유"})
    assert response.status_code == 302
    return manager


def test_a_selected_proposal_is_handed_off_and_its_liaison_records_what_the_department_does(app, cohort):
    proposal = cohort.proposal(Stage.SELECTED, title="빈집 청년주택", **READY)
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.get(f"/proposals/{proposal.id}"))
    assert "부서 추진 현황" in page and "이관 기록" in page and "건축과담당" in page

    liaison = signed_in(app, cohort.people["liaison"])
    assert liaison.get(f"/proposals/{proposal.id}").status_code == 404  # not theirs yet: not there for them
    _hand_off(app, cohort, proposal)
    db.session.refresh(proposal)
    handoff = db.session.scalar(sa.select(Handoff).where(Handoff.proposal_id == proposal.id))
    assert proposal.stage == Stage.HANDED_OFF and proposal.department == "건축과"
    assert (handoff.department, handoff.liaison_id, handoff.shared_on) == (
        "건축과", cohort.people["liaison"].id, clock.today())

    page = text_of(liaison.get(f"/proposals/{proposal.id}"))
    assert "부서 결정" in page and "추진 상황 기록" in page
    refused = text_of(liaison.post(f"/proposals/{proposal.id}/decision", data={"action": "adopt", "note": ""},
                                   follow_redirects=True))
    assert "이 단계 변경에는 사유를 적은 메모가 필요합니다." in refused
    liaison.post(f"/proposals/{proposal.id}/decision", data={
        "action": "adopt", "note": "2026년 주거 지원 사업에 반영", "plan": "빈집 10채 리모델링", "budget_year": "2026"})
    liaison.post(f"/proposals/{proposal.id}/follow-up/notes", data={
        "noted_on": clock.today().isoformat(), "progress": "40", "body": "설계 용역 착수"})
    bad = text_of(liaison.post(f"/proposals/{proposal.id}/follow-up/notes", data={
        "noted_on": clock.today().isoformat(), "progress": "140", "body": "오타"}, follow_redirects=True))
    assert "100" in bad
    db.session.refresh(proposal)
    db.session.refresh(handoff)
    assert proposal.stage == Stage.ADOPTED
    assert (handoff.plan, handoff.budget_year, handoff.progress) == ("빈집 10채 리모델링", 2026, 40)
    # the decision's memo is the department's response, said once (not again as a 0 % note)
    assert handoff.response == "2026년 주거 지원 사업에 반영"
    assert db.session.scalar(sa.select(sa.func.count(FollowUpNote.id)).where(FollowUpNote.handoff_id == handoff.id)) == 1
    page = text_of(manager.get(f"/proposals/{proposal.id}"))
    assert "설계 용역 착수" in page and "40%" in page and "2026" in page
    assert "부서 회신 2026년 주거 지원 사업에 반영" in page

    liaison.post(f"/proposals/{proposal.id}/decision", data={
        "action": "complete", "note": "준공", "outcome": "청년 12가구 입주"})
    db.session.refresh(proposal)
    db.session.refresh(handoff)
    assert proposal.stage == Stage.COMPLETED and handoff.progress == 100 and handoff.outcome == "청년 12가구 입주"


def test_liaisons_see_only_their_own_hand_offs(app, cohort, make_account):
    mine = cohort.proposal(Stage.SELECTED, title="내 담당 제안", **READY)
    theirs = cohort.proposal(Stage.SELECTED, title="다른 부서 제안", **READY)
    other_liaison = make_account(Role.LIAISON, name="농정과담당")
    _hand_off(app, cohort, mine)
    _hand_off(app, cohort, theirs, liaison=other_liaison)
    liaison = signed_in(app, cohort.people["liaison"])
    listing = text_of(liaison.get("/follow-up"))
    assert "내 담당 제안" in listing and "다른 부서 제안" not in listing
    assert liaison.get(f"/proposals/{theirs.id}").status_code == 404
    assert liaison.post(f"/proposals/{theirs.id}/follow-up/notes", data={
        "noted_on": clock.today().isoformat(), "body": "끼어들기"}).status_code == 404
    assert liaison.post(f"/proposals/{theirs.id}/decision", data={"action": "adopt", "note": "x"}).status_code == 404
    assert "다른 부서 제안" not in text_of(liaison.get("/proposals/"))
    assert signed_in(app, cohort.people["author"]).get("/follow-up").status_code == 403


def test_the_follow_up_list_flags_proposals_without_news_for_90_days(app, cohort):
    quiet = cohort.proposal(Stage.SELECTED, title="소식 없는 제안", **READY)
    busy = cohort.proposal(Stage.SELECTED, title="진행 중인 제안", **READY)
    _hand_off(app, cohort, quiet)
    _hand_off(app, cohort, busy)
    handoff = db.session.scalar(sa.select(Handoff).where(Handoff.proposal_id == quiet.id))
    handoff.updated_at = clock.now() - timedelta(days=91)
    db.session.commit()
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.get("/follow-up"))
    # this one, and cohort 1's four projects, selected in 2024 with nothing recorded since
    assert "90일 동안 소식이 없는 제안이 5건입니다." in page
    assert "소식 없는 제안 건축과 건축과담당 부서 이관" in page and "갱신 지연" in page
    only = text_of(manager.get("/follow-up?overdue=1"))
    assert "소식 없는 제안" in only and "진행 중인 제안" not in only


def test_cohort_1_projects_appear_with_their_recorded_hand_off(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    first = db.session.scalar(sa.select(Proposal).join(Team).where(Team.cohort == 1, Proposal.title == "빈집있는교?"))
    assert first.stage == Stage.SELECTED
    _hand_off(app, cohort, first)
    page = text_of(manager.get("/follow-up"))
    assert "소소기획단 1기 빈집있는교? 건축과 건축과담당 부서 이관" in page
    assert page.count("소소기획단 1기") == 4  # the four cohort 1 projects, all selected


def test_the_results_book_holds_the_whole_year(app, cohort, make_account):
    from tests.functional.test_presentation import _event, _score
    from tracker.services import presentation
    manager, event, (a, b) = _event(app, cohort, "빈집 청년주택", "황혼육아 지원")
    judge = make_account(Role.MEMBER, name="심사1")
    presentation.add_judge(event, judge, actor=cohort.people["manager"])
    _score(event, judge, a, 9, 9, 9, 9)
    _score(event, judge, b, 6, 6, 6, 6)
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.EXPERT_LECTURE, title="정책 기획 특강",
                            starts_at=clock.now() - timedelta(days=30)))
    db.session.commit()
    manager.post(f"/events/{event.id}/scoring/close")
    manager.post(f"/events/{event.id}/ranking", data={
        "entries-0-proposal_id": a.id, "entries-0-decision": "select", "entries-0-note": "1위"})
    _hand_off(app, cohort, a)

    member = signed_in(app, cohort.people["author"])
    book = text_of(member.get(f"/teams/{cohort.team.id}/results"))
    assert "성과집: 소소기획단 2기" in book
    for expected in ("김민지", "최교수", "정책 기획 특강", "1 빈집 청년주택 9.00", "2 황혼육아 지원 6.00",
                     "빈집 청년주택 건축과 건축과담당 부서 이관"):
        assert expected in book, expected
    assert signed_in(app, cohort.people["outsider"]).get(f"/teams/{cohort.team.id}/results").status_code == 404


def test_a_whole_year_from_an_idea_to_a_completed_project(app, cohort, make_account):
    """Every step through the web as its people do it: no state set by hand."""
    author, mentor = signed_in(app, cohort.people["author"]), signed_in(app, cohort.people["mentor"])
    manager, liaison = signed_in(app, cohort.people["manager"]), signed_in(app, cohort.people["liaison"])
    author.post("/proposals/new", data={"team": cohort.team.id, "subcommittee": cohort.youth.id,
                                        "title": "빈집 청년주택"})
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집 청년주택"))
    author.post(f"/proposals/{proposal.id}/move/develop")
    db.session.refresh(proposal)
    fields = dict(title="빈집 청년주택", subcommittee_id=cohort.youth.id, version=proposal.version,
                  coauthor_ids=[cohort.people["author"].id], **READY)
    assert author.post(f"/proposals/{proposal.id}/edit", data=fields).status_code == 302
    author.post(f"/proposals/{proposal.id}/move/submit")
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()
    review = {f"score_{c.id}": "4" for c in rubric.criteria} | {"recommendation": "approve", "comment": "좋습니다"}
    mentor.post(f"/reviews/proposals/{proposal.id}", data=review)
    manager.post(f"/proposals/{proposal.id}/move/shortlist")
    db.session.refresh(proposal)
    assert proposal.stage == Stage.SHORTLISTED, text_of(manager.get(f"/proposals/{proposal.id}"))

    manager.post(f"/teams/{cohort.team.id}/event", data={"held_on": clock.today().isoformat(), "minutes_per_slot": "15"})
    event_id = db.session.scalar(sa.select(PresentationEvent.id).where(PresentationEvent.team_id == cohort.team.id))
    manager.post(f"/events/{event_id}/slots", data={"proposal_id": proposal.id})
    manager.post(f"/events/{event_id}/judges", data={"user_id": cohort.people["other_mentor"].id})
    judge = signed_in(app, cohort.people["other_mentor"])
    for key in ("feasibility", "impact", "creativity", "delivery"):
        judge.post(f"/events/{event_id}/judge/score", data={"proposal_id": proposal.id, "criterion": key, "score": "8"})
    manager.post(f"/events/{event_id}/scoring/close")
    manager.post(f"/events/{event_id}/ranking", data={
        "entries-0-proposal_id": proposal.id, "entries-0-decision": "select", "entries-0-note": "최우수"})
    _hand_off(app, cohort, proposal)
    liaison.post(f"/proposals/{proposal.id}/decision", data={"action": "adopt", "note": "반영", "budget_year": "2026"})
    liaison.post(f"/proposals/{proposal.id}/decision", data={"action": "complete", "note": "준공",
                                                             "outcome": "12가구 입주"})
    path = db.session.scalars(sa.select(StageChange.to_stage).where(StageChange.proposal_id == proposal.id)
                              .order_by(StageChange.id)).all()
    assert path == [Stage.IDEA, Stage.DEVELOPING, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.PRESENTED,
                    Stage.SELECTED, Stage.HANDED_OFF, Stage.ADOPTED, Stage.COMPLETED]
    book = text_of(manager.get(f"/teams/{cohort.team.id}/results"))
    assert "1 빈집 청년주택 8.00" in book and "빈집 청년주택 건축과 건축과담당 추진 완료 100%" in book


def test_a_proposal_like_an_adopted_one_needs_a_managers_word_before_its_hand_off(app, cohort):
    # 빈집있는교? (cohort 1) is handed off and adopted; a cohort 2 proposal on the same idea comes along
    past = db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집있는교?"))
    past.stage = Stage.ADOPTED
    again = cohort.proposal(Stage.SELECTED, title="빈집있는교 청년 주거", summary="빈집을 활용해 청년을 유입", **{
        k: v for k, v in READY.items() if k != "summary"})
    again.department = "건축과"
    db.session.commit()
    author_page = text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{again.id}"))
    assert "이미 채택·이관된 제안과 비슷합니다" in author_page and "빈집있는교?" in author_page
    manager = signed_in(app, cohort.people["manager"])
    refused = text_of(manager.post(f"/proposals/{again.id}/hand-off", data={
        "department": "건축과", "liaison_id": cohort.people["liaison"].id,
        "shared_on": clock.today().isoformat(), "note": "공유"}, follow_redirects=True))
    db.session.refresh(again)
    assert again.stage == Stage.SELECTED and "다른 점을 기록하거나 철회해야" in refused
    html = manager.get(f"/proposals/{again.id}").get_data(as_text=True)
    match_ids = re.findall(r'name="match" value="(\d+)"', html)
    assert str(past.id) in match_ids
    manager.post(f"/proposals/{again.id}/adopted-check", data={"match": match_ids,
                                                              "reason": "1기는 주택 개조, 이번은 청년 입주 지원"})
    page = text_of(manager.get(f"/proposals/{again.id}"))
    assert "다른 점을 기록했습니다" in page or "운영담당이 다른 점을 기록했습니다" in page
    assert "1기는 주택 개조, 이번은 청년 입주 지원" in page  # in the history
    _hand_off(app, cohort, again)
    db.session.refresh(again)
    assert again.stage == Stage.HANDED_OFF


def test_department_deadlines_are_flagged_and_the_yearly_report_lists_every_hand_off(app, cohort):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    kst = ZoneInfo("Asia/Seoul")
    assert clock.months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)  # no 31 February
    assert clock.months_after(date(2028, 2, 29), 12 * 3) == date(2031, 2, 28)  # a retention period from a leap day
    slow = cohort.proposal(Stage.SELECTED, title="농촌 일손 은행", **READY)
    adopted = cohort.proposal(Stage.SELECTED, title="황혼육아 돌봄 쉼터", **READY)
    with clock.travel(datetime(2026, 9, 1, 10, tzinfo=kst)):
        _hand_off(app, cohort, slow)
        _hand_off(app, cohort, adopted)
        liaison = signed_in(app, cohort.people["liaison"])
        liaison.post(f"/proposals/{adopted.id}/decision", data={"action": "adopt", "note": "채택합니다"})
    with clock.travel(datetime(2026, 10, 2, 10, tzinfo=kst)):  # a month and a day after 9/1
        manager, liaison = signed_in(app, cohort.people["manager"]), signed_in(app, cohort.people["liaison"])
        listing = text_of(manager.get("/follow-up"))
        assert "부서 기한을 넘긴 제안이 2건입니다" in listing
        assert "기한 지남: 부서 회신 (기한 2026. 10. 1.)" in listing  # handed off 9/1: due 10/1
        assert "기한 지남: 추진 계획 (기한 2026. 10. 1.)" in listing  # adopted 9/1: plan due 10/1
        notes = text_of(liaison.get("/notifications/"))
        assert "농촌 일손 은행" in notes and "황혼육아 돌봄 쉼터" in notes
        # a plan waits for the adoption
        early = text_of(liaison.post(f"/proposals/{slow.id}/follow-up/plan",
                                     data={"plan": "일손 은행 운영", "planned_on": "2027-03-31"}, follow_redirects=True))
        assert "추진 계획은 부서가 채택한 뒤에 입력합니다" in early
        db.session.expire_all()
        assert db.session.scalar(sa.select(Handoff.plan).where(Handoff.proposal_id == slow.id)) is None
        # the plan with its date clears the flag; a later date needs a reason, kept as a note
        liaison.post(f"/proposals/{adopted.id}/follow-up/plan",
                     data={"plan": "빈집 10채 리모델링", "planned_on": "2027-06-30"})
        refused = text_of(liaison.post(f"/proposals/{adopted.id}/follow-up/plan",
                                       data={"plan": "빈집 10채 리모델링", "planned_on": "2027-09-30"},
                                       follow_redirects=True))
        assert "완료 예정일이 늦어집니다" in refused
        liaison.post(f"/proposals/{adopted.id}/follow-up/plan", data={
            "plan": "빈집 10채 리모델링", "planned_on": "2027-09-30", "delay_reason": "설계 공모 재공고"})
        listing = text_of(manager.get("/follow-up"))
        assert "부서 기한을 넘긴 제안이 1건입니다" in listing
        report = text_of(manager.get("/follow-up/report/2026"))
        assert "2026년 추진 보고" in report and "농촌 일손 은행" in report and "황혼육아 돌봄 쉼터" in report
        assert "완료 예정일 변경: 2027-06-30 → 2027-09-30 (설계 공모 재공고)" in report
        xlsx = manager.get("/follow-up/report/2026.xlsx")
        assert xlsx.status_code == 200
        cells = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True)
                 for c in row if c]
        assert "농촌 일손 은행" in cells and "황혼육아 돌봄 쉼터" in cells
        assert "농촌 일손 은행" not in text_of(manager.get("/follow-up/report/2025"))
