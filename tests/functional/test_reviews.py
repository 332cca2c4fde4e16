"""Mentors: matching and load, the review queue, reviews on the rubric, rounds, disagreements, sessions."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import queries_for, text_of
from tests.functional.cohort import READY, signed_in
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Activity, MentorAssignment, Notification, Proposal, Recommendation, Review, Role, Rubric, Stage,
)
from tracker.services import mentoring, reviews, workflow
from tracker.services.errors import NotAllowed
from tracker.services import teams as team_service




def submitted(cohort, title="청년 빈집 활용", days_ago=0):
    with clock.travel(clock.now() - timedelta(days=days_ago)):
        return cohort.proposal(Stage.IN_REVIEW, title=title, **READY)


def review_data(rubric, scores, recommendation="approve", comment=""):
    data = {f"score_{c.id}": score for c, score in zip(rubric.criteria, scores)}
    return {**data, "recommendation": recommendation, "comment": comment}


def test_a_manager_matches_mentors_and_sees_their_load(app, cohort, make_account):
    expert = make_account(Role.MENTOR, name="한교수")
    manager = signed_in(app, cohort.people["manager"])
    page = manager.post(f"/teams/{cohort.team.id}/mentors", data={
        "user": expert.id, "subcommittee": cohort.youth.id, "kind": "external_expert",
        "organisation": "동국대학교", "field": "도시재생"}, follow_redirects=True)
    assert "한교수 님이 청년‧인구 분과에 배정되었습니다." in text_of(page)
    assignment = db.session.scalar(sa.select(MentorAssignment).where(MentorAssignment.user_id == expert.id))
    assert (assignment.organisation, assignment.field, assignment.kind.value) == ("동국대학교", "도시재생", "external_expert")
    submitted(cohort, "오래된 제안", days_ago=9)
    submitted(cohort, "새 제안", days_ago=1)
    loads = text_of(manager.get(f"/teams/{cohort.team.id}/mentors"))
    assert re.search(r"한교수 외부 전문가 · 동국대학교 · 도시재생 청년‧인구 배정 종료", loads)
    assert re.search(r"최교수 .*? 2 9일", loads) and re.search(r"정선배 .*? 0 –", loads)
    manager.post(f"/teams/{cohort.team.id}/mentors/{assignment.id}/remove")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentorAssignment)
                             .where(MentorAssignment.user_id == expert.id)) == 0


def test_the_queue_lists_what_waits_oldest_first_and_apart_what_is_done(app, cohort):
    submitted(cohort, "새 제안", days_ago=1)
    older = submitted(cohort, "오래된 제안", days_ago=9)
    cohort.proposal(Stage.IN_REVIEW, title="다른 분과 제안", **READY).subcommittee = cohort.culture
    db.session.commit()
    mentor = signed_in(app, cohort.people["mentor"])
    queue = text_of(mentor.get("/reviews/"))
    assert "검토를 기다리는 제안 2건" in queue and "다른 분과 제안" not in queue
    assert queue.index("오래된 제안") < queue.index("새 제안") and "9일째 대기" in queue
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()
    mentor.post(f"/reviews/proposals/{older.id}", data=review_data(rubric, [4, 4, 4, 4, 4]))
    queue = text_of(mentor.get("/reviews/"))
    assert "검토를 기다리는 제안 1건" in queue and "이번 회차에 검토한 제안" in queue
    assert queue.index("새 제안") < queue.index("이번 회차에 검토한 제안") < queue.index("오래된 제안")


def test_a_proposal_sent_back_and_resubmitted_waits_from_its_new_submission(app, cohort):
    manager = cohort.people["manager"]
    waiting = submitted(cohort, "기다리는 제안", days_ago=5)
    resent = submitted(cohort, "다시 낸 제안", days_ago=9)
    with clock.travel(clock.now() - timedelta(days=2)):
        workflow.move(resent, "request_changes", actor=manager, note="예산 근거 보완")
    workflow.move(resent, "submit", actor=cohort.people["author"])
    db.session.commit()
    queue = text_of(signed_in(app, cohort.people["mentor"]).get("/reviews/"))
    assert queue.index("기다리는 제안") < queue.index("다시 낸 제안"), queue
    assert "5일째 대기" in queue and "9일째 대기" not in queue and "0일째 대기" in queue
    board = text_of(signed_in(app, manager).get(f"/teams/{cohort.team.id}/board"))
    assert re.search(r"다시 낸 제안 청년‧인구 김민지 이 단계 0일째", board), board
    assert re.search(r"기다리는 제안 청년‧인구 김민지 이 단계 5일째", board), board


def test_a_review_on_the_rubric_and_what_the_authors_see(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, **READY)
    author, mentor = signed_in(app, cohort.people["author"]), signed_in(app, cohort.people["mentor"])
    author.post(f"/proposals/{proposal.id}/move/submit")
    assert "김민지 님이 검토를 요청했습니다:" in text_of(mentor.get("/notifications/"))
    form = text_of(mentor.get(f"/reviews/proposals/{proposal.id}"))
    assert "창의성" in form and "새롭고 참신한 발상인가" in form and "실현가능성" in form
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.team_id == cohort.team.id))
    missing = mentor.post(f"/reviews/proposals/{proposal.id}", data={"recommendation": "approve"})
    assert missing.status_code == 200 and "이 항목은 필수입니다." in text_of(missing)
    no_reason = mentor.post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [3] * 5, "revise"))
    assert "바꿀 점을 적어 주세요: 제안자에게 이 의견이 보입니다." in text_of(no_reason)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0

    done = mentor.post(f"/reviews/proposals/{proposal.id}", data=review_data(
        rubric, [5, 3, 4, 2, 1], "revise", "예산 근거를 보완해 주세요"))
    assert done.status_code == 302
    db.session.refresh(proposal)
    assert proposal.stage == Stage.DEVELOPING
    review = db.session.scalar(sa.select(Review))
    assert review.round == 1 and review.recommendation == Recommendation.REVISE and len(review.scores) == 5
    assert "최교수 님이 내 제안의 보완을 요청했습니다:" in text_of(author.get("/notifications/"))
    page = text_of(author.get(f"/proposals/{proposal.id}"))
    assert "멘토 검토 의견" in page and "1회차 · 가중 평균 3.00" in page and "예산 근거를 보완해 주세요" in page
    assert "보완 요청" in page

    author.post(f"/proposals/{proposal.id}/move/submit")
    db.session.refresh(proposal)
    assert proposal.review_round == 2 and proposal.stage == Stage.IN_REVIEW
    assert "검토하기" in text_of(mentor.get(f"/proposals/{proposal.id}"))
    mentor.post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [5] * 5, "approve", "좋습니다"))
    page = text_of(author.get(f"/proposals/{proposal.id}"))
    assert page.index("2회차 · 가중 평균 5.00") < page.index("1회차 · 가중 평균 3.00")
    assert "최교수 님이 내 제안을 검토했습니다:" in text_of(author.get("/notifications/"))
    again = mentor.post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [1] * 5), follow_redirects=True)
    assert "이 제안의 이번 회차는 이미 검토했습니다." in text_of(again)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 2


def test_mentors_review_only_their_subcommittees_proposals_in_review(app, cohort):
    other = cohort.proposal(Stage.IN_REVIEW, title="문화 제안", **READY)
    other.subcommittee = cohort.culture
    idea = cohort.proposal(Stage.DEVELOPING)
    db.session.commit()
    mentor = signed_in(app, cohort.people["mentor"])
    assert mentor.get(f"/reviews/proposals/{other.id}").status_code == 404  # another subcommittee's
    assert mentor.get(f"/reviews/proposals/{idea.id}").status_code == 403
    assert mentor.get(f"/proposals/{idea.id}/edit").status_code == 403
    member = signed_in(app, cohort.people["author"])
    assert member.get("/reviews/").status_code == 403


def test_shortlisting_needs_the_teams_number_of_reviews_this_round(app, cohort):
    cohort.team.required_reviews = 2
    proposal = submitted(cohort)
    cohort.review(proposal)
    manager = signed_in(app, cohort.people["manager"])
    page = manager.post(f"/proposals/{proposal.id}/move/shortlist", follow_redirects=True)
    assert "이번 회차 멘토 검토가 2건 있어야 발표 후보로 올릴 수 있습니다 (지금 1건)." in text_of(page)
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()
    team_service.assign_mentor(cohort.people["other_mentor"], cohort.youth, kind=cohort.people["mentor"].mentor_assignments[0].kind)
    db.session.commit()
    reviewed = signed_in(app, cohort.people["other_mentor"]).post(f"/reviews/proposals/{proposal.id}",
                                                                  data=review_data(rubric, [4] * 5))
    assert reviewed.status_code == 302, text_of(reviewed)[-600:]
    moved = manager.post(f"/proposals/{proposal.id}/move/shortlist", follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).stage == Stage.SHORTLISTED, text_of(moved)[:800]


def test_disagreements_are_flagged_for_managers(app, cohort):
    team_service.assign_mentor(cohort.people["other_mentor"], cohort.youth, kind=cohort.people["mentor"].mentor_assignments[0].kind)
    db.session.commit()
    proposal = submitted(cohort)
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()
    signed_in(app, cohort.people["mentor"]).post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [5, 3, 3, 3, 3]))
    signed_in(app, cohort.people["other_mentor"]).post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [3, 3, 4, 3, 3]))
    manager = signed_in(app, cohort.people["manager"])
    overview = text_of(manager.get("/reviews/"))
    assert re.search(r"청년 빈집 활용 \(소소기획단 2기\) 1 창의성 2", overview)
    assert "멘토 간 점수 차이가 2점 이상인 기준: 창의성" in text_of(manager.get(f"/proposals/{proposal.id}"))
    assert "멘토 간 점수 차이" not in text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}"))


def test_editing_the_rubric_after_reviews_keeps_the_old_one(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    page = manager.get(f"/teams/{cohort.team.id}/rubric").get_data(as_text=True)
    assert "버전 1 ·" in page and 'value="경주 특화성"' in page
    rows = {"criteria-0-name_ko": "창의성", "criteria-0-weight": "2", "criteria-1-name_ko": "실현가능성",
            "criteria-1-weight": "1"}
    manager.post(f"/teams/{cohort.team.id}/rubric", data=rows)
    rubric = reviews.current_rubric(cohort.team)
    assert rubric.version == 1 and [(c.name_ko, c.weight) for c in rubric.criteria] == [("창의성", 2), ("실현가능성", 1)]
    proposal = submitted(cohort)
    signed_in(app, cohort.people["mentor"]).post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [5, 2]))
    page = text_of(manager.get(f"/teams/{cohort.team.id}/rubric"))
    assert "새 버전" in page
    manager.post(f"/teams/{cohort.team.id}/rubric", data={**rows, "criteria-2-name_ko": "시민 체감도",
                                                         "criteria-2-weight": "1"})
    db.session.expire_all()
    assert reviews.current_rubric(cohort.team).version == 2
    old = db.session.scalar(sa.select(Review))
    assert old.rubric.version == 1 and len(old.rubric.criteria) == 2
    assert "1회차 · 가중 평균 4.00" in text_of(manager.get(f"/proposals/{proposal.id}"))  # (5×2 + 2×1) / 3


def test_mentoring_sessions_are_recorded_as_activities(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    mentor = signed_in(app, cohort.people["mentor"])
    page = mentor.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-12", "subcommittee": cohort.youth.id, "mentor": cohort.people["mentor"].id,
        "place": "시청 소회의실", "notes": "예산 규모를 줄이는 방안 논의", "proposals": [proposal.id]})
    assert page.status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert (activity.kind.value, activity.led_by_id, [p.id for p in activity.proposals]) == (
        "mentoring", cohort.people["mentor"].id, [proposal.id])
    assert "2025. 6. 12." in text_of(mentor.get(f"/teams/{cohort.team.id}"))
    assert "예산 규모를 줄이는 방안 논의" in text_of(mentor.get(f"/proposals/{proposal.id}"))
    # a mentor records only their own sessions, in their own subcommittees
    form = text_of(mentor.get(f"/teams/{cohort.team.id}/mentoring/new"))
    assert "정선배" not in form and "문화관광" not in form
    wrong = mentor.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-12", "subcommittee": cohort.culture.id, "mentor": cohort.people["other_mentor"].id})
    assert wrong.status_code == 200 and db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 1
    with pytest.raises(NotAllowed):  # the same through the service, past the form's choices
        mentoring.record_session(cohort.team, actor=cohort.people["mentor"], on=date(2025, 6, 12),
                                 subcommittee_id=cohort.culture.id, mentor_id=cohort.people["other_mentor"].id,
                                 place=None, notes=None, proposal_ids=[])
    manager = signed_in(app, cohort.people["manager"])
    assert manager.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-13", "subcommittee": cohort.culture.id, "mentor": cohort.people["other_mentor"].id}
    ).status_code == 302
    assert signed_in(app, cohort.people["author"]).get(f"/teams/{cohort.team.id}/mentoring/new").status_code == 403



def test_queue_and_load_pages_take_the_same_queries_for_10_or_100_proposals(app, cohort):
    mentor, manager = signed_in(app, cohort.people["mentor"]), signed_in(app, cohort.people["manager"])
    counts = []
    for total in (10, 100):
        while db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)
                                .where(Proposal.stage == Stage.IN_REVIEW)) < total:
            submitted(cohort)
        counts.append((queries_for(app, mentor, "/reviews/"), queries_for(app, manager, "/reviews/"),
                       queries_for(app, manager, f"/teams/{cohort.team.id}/mentors")))
    assert counts[0] == counts[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_review_opinions_stay_with_those_who_may_read_reviews(app, cohort):
    proposal = submitted(cohort)
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()
    signed_in(app, cohort.people["mentor"]).post(f"/reviews/proposals/{proposal.id}", data=review_data(
        rubric, [2] * 5, "revise", "비공개 검토 의견"))
    assert "비공개 검토 의견" in text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}"))
    other = text_of(signed_in(app, cohort.people["team_member"]).get(f"/proposals/{proposal.id}"))
    assert "구체화" in other and "비공개 검토 의견" not in other


def test_mentoring_sessions_offer_and_show_only_visible_proposals(app, cohort):
    youth = cohort.proposal(Stage.DEVELOPING, title="청년 제안")
    culture = cohort.proposal(Stage.DEVELOPING, title="문화 제안")
    culture.subcommittee = cohort.culture
    db.session.commit()
    mentor = signed_in(app, cohort.people["mentor"])
    form = text_of(mentor.get(f"/teams/{cohort.team.id}/mentoring/new"))
    assert "청년 제안" in form and "문화 제안" not in form
    sneaky = mentor.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-12", "subcommittee": cohort.youth.id, "mentor": cohort.people["mentor"].id,
        "proposals": [culture.id]})
    assert sneaky.status_code == 200 and db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0
    huge = mentor.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-12", "subcommittee": cohort.youth.id, "mentor": "99999999999999999999999"})
    assert huge.status_code == 200
    manager = signed_in(app, cohort.people["manager"])
    manager.post(f"/teams/{cohort.team.id}/mentoring/new", data={
        "on": "2025-06-12", "subcommittee": cohort.youth.id, "mentor": cohort.people["mentor"].id,
        "proposals": [youth.id, culture.id]})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 1
    team_page = text_of(mentor.get(f"/teams/{cohort.team.id}"))
    assert "청년 제안" in team_page and "문화 제안" not in team_page


def test_a_comment_per_criterion_and_each_criterions_score_moving_between_rounds(app, cohort):
    proposal = submitted(cohort, "두 번 검토받는 제안")
    mentor = signed_in(app, cohort.people["mentor"])
    rubric = reviews.current_rubric(cohort.team)
    db.session.commit()  # a rubric made on first use
    first, second = rubric.criteria[0], rubric.criteria[1]
    data = {**review_data(rubric, [2, 4, 3, 3, 3], "revise", "예산 근거 보완"),
            f"note_{first.id}": "실행 주체가 분명하지 않습니다"}
    assert mentor.post(f"/reviews/proposals/{proposal.id}", data=data).status_code == 302
    db.session.refresh(proposal)
    workflow.move(proposal, "submit", actor=cohort.people["author"])
    db.session.commit()
    mentor.post(f"/reviews/proposals/{proposal.id}", data=review_data(rubric, [4, 3, 3, 3, 3], "approve"))
    page = text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}"))
    assert f"{first.name_ko} : 실행 주체가 분명하지 않습니다" in page
    # round 1 → 2: the first criterion 2 → 4 (▲ 2.00), the second 4 → 3 (▼ 1.00), the others the same
    assert f"{first.name_ko} 2.00 4.00 ▲ 2.00" in page and f"{second.name_ko} 4.00 3.00 ▼ 1.00" in page
