"""The presentation event: programme, judges, field-by-field scoring, ranking and selection."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from tests.conftest import PASSWORD
from tests.functional.cohort import READY, signed_in
from tests.helpers import text_of
from tracker import clock
from tracker.extensions import db
from tracker.models import EventJudge, JudgeScore, Notification, PresentationEvent, Role, Stage, StageChange, User
from tracker.services import presentation, recusal, selection
from tracker.services.errors import ValidationFailed



def _event(app, cohort, *titles, day=None):
    """The manager creates the event through the page and adds these shortlisted proposals."""
    manager = signed_in(app, cohort.people["manager"])
    day = day or clock.today()
    response = manager.post(f"/teams/{cohort.team.id}/event", data={
        "held_on": day.isoformat(), "starts_at": "14:00", "place": "시청 대회의실", "minutes_per_slot": "15"})
    assert response.status_code == 302
    event = db.session.scalar(sa.select(PresentationEvent).where(PresentationEvent.team_id == cohort.team.id))
    proposals = [cohort.proposal(Stage.SHORTLISTED, title=t, **READY) for t in titles]
    for p in proposals:
        assert manager.post(f"/events/{event.id}/slots", data={"proposal_id": p.id}).status_code == 302
    db.session.refresh(event)
    return manager, event, proposals


def test_the_manager_sets_up_the_event_and_prints_the_programme(app, cohort):
    manager, event, (first, second, third) = _event(app, cohort, "빈집 청년주택", "황혼육아 지원", "농촌 일손 은행")
    db.session.refresh(cohort.team)
    assert cohort.team.presentation_on == clock.today()
    idea = cohort.proposal(Stage.IDEA, title="아직 아이디어")
    page = manager.post(f"/events/{event.id}/slots", data={"proposal_id": idea.id}, follow_redirects=True)
    assert "발표 후보로 선정된 제안만 추가할 수 있습니다." in text_of(page)

    page = text_of(manager.get(f"/teams/{cohort.team.id}/event"))
    assert "1 14:00–14:15 빈집 청년주택" in page and "3 14:30–14:45 농촌 일손 은행" in page
    third_slot = next(s for s in event.slots if s.proposal_id == third.id)
    manager.post(f"/events/{event.id}/slots/{third_slot.id}/move", data={"steps": "-1"})
    manager.post(f"/events/{event.id}/slots/{third_slot.id}/minutes", data={"minutes": "20"})
    programme = text_of(manager.get(f"/events/{event.id}/programme"))
    assert "1 14:00–14:15 빈집 청년주택" in programme
    assert "2 14:15–14:35 농촌 일손 은행" in programme and "3 14:35–14:50 황혼육아 지원" in programme
    assert "시청 대회의실" in programme

    db.session.expire_all()
    slot_ids = [s.id for s in sorted(event.slots, key=lambda s: s.position)]  # 빈집, 농촌, 황혼
    answer = manager.post(f"/events/{event.id}/order", data={"order": ",".join(map(str, reversed(slot_ids)))})
    assert answer.status_code == 200 and answer.json == {"saved": True}
    assert "1 14:00–14:15 황혼육아 지원 한 줄 청년‧인구 김민지 2 14:15–14:35 농촌 일손 은행" in text_of(
        manager.get(f"/events/{event.id}/programme"))
    stale = manager.post(f"/events/{event.id}/order", data={"order": str(slot_ids[0])})
    assert stale.status_code == 409 and "다시 불러오세요" in stale.json["message"]

    member = signed_in(app, cohort.people["author"])
    assert member.get(f"/teams/{cohort.team.id}/event").status_code == 403
    assert member.post(f"/events/{event.id}/slots", data={"proposal_id": idea.id}).status_code == 403


def test_an_external_judge_gets_an_account_that_ends_after_the_event(app, cohort):
    manager, event, _ = _event(app, cohort, "빈집 청년주택")
    answer = manager.post(f"/events/{event.id}/judges/external",
                          data={"name": "외부 심사위원", "email": "judge@example.org"})
    html, page = answer.get_data(as_text=True), text_of(answer)
    judge = db.session.scalar(sa.select(User).where(User.email == "judge@example.org"))
    assert judge.role_set == set() and judge.access_until == event.held_on + timedelta(days=1)
    # the password in a box of its own, with a copy button; the last day written the Korean way
    password = re.search(r'<code id="secret-value"[^>]*>([^<]+)</code>', html).group(1)
    assert check_password_hash(judge.password_hash, password) and 'data-copy="secret-value"' in html
    last_day = judge.access_until
    assert f"{last_day.year}. {last_day.month}. {last_day.day}.까지" in page and "임시 비밀번호" in page
    assert db.session.scalar(sa.select(EventJudge.external).where(EventJudge.user_id == judge.id)) is True

    judge.password_hash = db.session.scalar(sa.select(User.password_hash).where(
        User.id == cohort.people["manager"].id))
    judge.must_change_password = False
    db.session.commit()
    client = app.test_client()
    assert client.post("/auth/login", data={"identifier": "judge@example.org", "password": PASSWORD}).status_code == 302
    assert "심사" in text_of(client.get("/judge"))
    judge.access_until = clock.today() - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/events/{event.id}/judge").status_code == 302  # the session no longer counts
    refused = app.test_client().post("/auth/login", data={"identifier": "judge@example.org", "password": PASSWORD})
    assert refused.status_code == 200


def test_a_judge_scores_field_by_field_and_sees_only_the_event_until_it_closes(app, cohort, make_account):
    manager, event, (first, second) = _event(app, cohort, "빈집 청년주택", "황혼육아 지원")
    judge_account = make_account(Role.MEMBER, name="심사위원A")
    manager.post(f"/events/{event.id}/judges", data={"user_id": judge_account.id})
    judge = signed_in(app, judge_account)
    listing = text_of(judge.get(f"/events/{event.id}/judge"))
    assert "1. 빈집 청년주택" in listing and "4개 중 0개 채점" in listing
    sheet = text_of(judge.get(f"/events/{event.id}/judge/1"))
    assert "빈집 청년주택" in sheet and "실현 가능성" in sheet

    saved = judge.post(f"/events/{event.id}/judge/score",
                       data={"proposal_id": first.id, "criterion": "feasibility", "score": "8"})
    assert saved.status_code == 200 and saved.json == {"saved": True}
    again = judge.post(f"/events/{event.id}/judge/score",
                       data={"proposal_id": first.id, "criterion": "feasibility", "score": "9"})
    assert again.json == {"saved": True}
    too_high = judge.post(f"/events/{event.id}/judge/score",
                          data={"proposal_id": first.id, "criterion": "impact", "score": "11"})
    assert too_high.status_code == 400 and "1부터 10까지" in too_high.json["message"]
    elsewhere = cohort.proposal(Stage.SHORTLISTED, title="다른 제안")
    outside = judge.post(f"/events/{event.id}/judge/score",
                         data={"proposal_id": elsewhere.id, "criterion": "impact", "score": "5"})
    assert outside.status_code == 403
    rows = db.session.execute(sa.select(JudgeScore.criterion, JudgeScore.score)
                              .where(JudgeScore.judge_id == judge_account.id)).all()
    assert rows == [("feasibility", 9)]

    # without the script: the whole sheet at once, then the next presentation
    whole = judge.post(f"/events/{event.id}/judge/2", data={"score-feasibility": "5", "score-impact": "6",
                                                           "score-creativity": "7", "score-delivery": ""})
    assert whole.status_code == 302 and whole.headers["Location"].endswith(f"/events/{event.id}/judge")
    assert presentation.scores_by(event, judge_account) == {
        (first.id, "feasibility"): 9, (second.id, "feasibility"): 5, (second.id, "impact"): 6,
        (second.id, "creativity"): 7}

    status = text_of(manager.get(f"/events/{event.id}/scoring"))
    assert "심사위원A" in status and "1/4" in status and "3/4" in status
    assert manager.get(f"/events/{event.id}/scoring.json").json["cells"] == {
        f"{judge_account.id}-{first.id}": 1, f"{judge_account.id}-{second.id}": 3}
    assert judge.get(f"/events/{event.id}/scoring").status_code == 404  # a judge outside cohort 2: not theirs

    manager.post(f"/events/{event.id}/scoring/close")
    assert judge.get(f"/events/{event.id}/judge/1").status_code == 403  # closed for its judges
    closed = judge.post(f"/events/{event.id}/judge/score",
                        data={"proposal_id": first.id, "criterion": "impact", "score": "5"})
    assert closed.status_code == 403 and "마감" in closed.json["message"]
    assert "심사할 발표회가 없습니다" in text_of(judge.get("/judge"))
    assert signed_in(app, cohort.people["author"]).get(f"/events/{event.id}/judge/1").status_code == 404


def test_the_menu_offers_judging_while_an_event_of_theirs_is_open(app, cohort, make_account):
    manager, event, _proposals = _event(app, cohort, "빈집 청년주택")
    judge_account = make_account(Role.MEMBER, name="심사위원A")
    judge = signed_in(app, judge_account)
    menu_link = '<a href="/judge"'
    assert menu_link not in judge.get("/teams/").get_data(as_text=True)
    manager.post(f"/events/{event.id}/judges", data={"user_id": judge_account.id})
    assert menu_link in judge.get("/teams/").get_data(as_text=True)
    manager.post(f"/events/{event.id}/scoring/close")
    assert menu_link not in judge.get("/teams/").get_data(as_text=True)


def _score(event, judge, proposal, feasibility, impact, creativity, delivery):
    for key, value in zip(("feasibility", "impact", "creativity", "delivery"),
                          (feasibility, impact, creativity, delivery)):
        presentation.save_score(event, judge, proposal.id, key, value)
    db.session.commit()


def test_the_ranking_is_decided_by_standardised_marks_with_the_plain_mean_beside(app, cohort, make_account):
    manager, event, (a, b, c, d) = _event(app, cohort, "가 제안", "나 제안", "다 제안", "라 제안")
    judges = [make_account(Role.MEMBER, name=f"심사{n}") for n in (1, 2, 3)]
    for j in judges:
        presentation.add_judge(event, j, actor=cohort.people["manager"])
    db.session.commit()
    # weights 30 / 30 / 20 / 20
    _score(event, judges[0], a, 8, 8, 8, 8)     # 8.0
    _score(event, judges[1], a, 10, 6, 5, 9)    # (300 + 180 + 100 + 180) / 100 = 7.6
    _score(event, judges[0], b, 9, 7, 8, 6)     # (270 + 210 + 160 + 120) / 100 = 7.6
    _score(event, judges[1], b, 7, 9, 8, 6)     # 7.6
    _score(event, judges[0], c, 6, 6, 6, 6)     # 6.0
    _score(event, judges[1], c, 8, 8, 8, 8)     # 8.0 → mean 7.0, spread 2.0
    presentation.save_score(event, judges[2], c.id, "impact", 10)  # incomplete: not counted
    db.session.commit()
    # by hand: judge 1 marks 8.0 / 7.6 / 6.0, average 7.2, standard deviation √(2.24 / 3) = 0.8641,
    # so a = +0.926, b = +0.463, c = −1.389; judge 2 marks 7.6 / 7.6 / 8.0, average 7.733, deviation
    # 0.1886, so a = b = −0.707, c = +1.414. Standardised: a = 0.11, b = −0.12, c = 0.01.
    rows = {r.proposal.title: r for r in selection.ranking(event)}
    got = {t: (r.average, r.spread, r.standardised, r.rank) for t, r in rows.items()}
    assert got == {"가 제안": (7.8, 0.4, 0.11, 1), "다 제안": (7.0, 2.0, 0.01, 2), "나 제안": (7.6, 0.0, -0.12, 3),
                   "라 제안": (None, None, None, None)}
    assert rows["다 제안"].incomplete_judges == 1
    _score(event, judges[2], b, 8, 8, 8, 8)     # judge 3: b 8.0, a 7.7 → b = +1, a = −1
    _score(event, judges[2], a, 7, 8, 8, 8)
    # a = (0.926 − 0.707 − 1) / 3 = −0.26, b = (0.463 − 0.707 + 1) / 3 = 0.25; plain a 7.77, b 7.73
    answer = manager.get(f"/events/{event.id}/ranking")
    page = text_of(answer)
    title = re.search(r"<title>(.*?)</title>", answer.get_data(as_text=True), re.S)[1]
    assert title == "순위와 선정 · 소소기획단 2기 · 정책 아이디어 관리", title
    assert "1 나 제안" in page and "0.25" in page and "7.73" in page
    assert "2 다 제안" in page and "3 가 제안" in page and "-0.26" in page and "7.77" in page
    assert "표준화 점수로 순위를 정합니다" in page and "실현 가능성" in page


def test_equal_marks_are_told_apart_by_the_first_criterion_then_share_a_rank(app, cohort, make_account):
    manager, event, (a, b, c, d) = _event(app, cohort, "가 제안", "나 제안", "다 제안", "라 제안")
    judge = make_account(Role.MEMBER, name="심사1")
    presentation.add_judge(event, judge, actor=cohort.people["manager"])
    _score(event, judge, a, 7, 7, 7, 7)
    _score(event, judge, b, 9, 5, 7, 7)  # also 7.0, but 9 for feasibility (the first criterion)
    _score(event, judge, c, 5, 5, 5, 5)
    _score(event, judge, d, 7, 7, 7, 7)  # the same as 가 in every way
    ranks = {r.proposal.title: (r.rank, r.tied) for r in selection.ranking(event)}
    assert ranks == {"나 제안": (1, False), "가 제안": (2, True), "라 제안": (2, True), "다 제안": (4, False)}
    page = text_of(manager.get(f"/events/{event.id}/ranking"))
    assert page.count("동점") >= 2


def test_a_judge_is_not_asked_to_score_their_own_or_their_mentees_proposal(app, cohort, make_account):
    manager, event, (own, mentored, other) = _event(app, cohort, "심사위원 본인 제안", "멘티 제안", "다른 분과 제안")
    author, mentor = cohort.people["author"], cohort.people["mentor"]  # author of all; mentor of 청년‧인구
    other.subcommittee = cohort.culture
    strict, generous = make_account(Role.MEMBER, name="엄격한 심사"), make_account(Role.MEMBER, name="후한 심사")
    for j in (author, mentor, strict, generous):
        presentation.add_judge(event, j, actor=cohort.people["manager"])
    db.session.commit()
    with pytest.raises(ValidationFailed):
        presentation.save_score(event, author, own.id, "feasibility", 10)
    db.session.rollback()
    sheet = text_of(signed_in(app, mentor).get(f"/events/{event.id}/judge/1"))
    assert "심사하지 않습니다" in sheet and "제안한 분과의 멘토" in sheet
    status = manager.get(f"/events/{event.id}/scoring").get_data(as_text=True)
    assert status.count('<td class="recused"') == 5  # the author from all three, the mentor from two
    assert "제외 (제안자)" in text_of(manager.get(f"/events/{event.id}/scoring"))
    # the manager declares a conflict the tracker cannot know: the strict judge's own department
    declared = manager.post(f"/events/{event.id}/conflicts", data={"judge": strict.id, "proposal": other.id,
                                                                  "reason": "심사위원 소속 부서의 사업"},
                            follow_redirects=True)
    assert "심사 제외를 등록했습니다" in text_of(declared), text_of(declared)[:800]
    assert (strict.id, other.id) in recusal.recusals(event)
    # strict marks 4 and 6, generous 8 and 10 on what they may score: the same distances from their
    # own averages (−1 and +1), so they weigh the same; the mentor (10 for the culture proposal only)
    # counts as 0 there, the author scores nothing
    _score(event, strict, own, 4, 4, 4, 4)
    _score(event, strict, mentored, 6, 6, 6, 6)
    _score(event, generous, own, 8, 8, 8, 8)
    _score(event, generous, mentored, 10, 10, 10, 10)
    _score(event, generous, other, 9, 9, 9, 9)
    _score(event, mentor, other, 10, 10, 10, 10)
    rows, stats = selection.ranking_and_judges(event)
    got = {r.proposal.title: (r.average, r.standardised, r.rank, r.recused_judges) for r in rows}
    # generous: 8, 10, 9 → average 9, deviation √(2/3) = 0.8165: −1.22, +1.22, 0
    # own: (−1 − 1.22) / 2 = −1.11; mentee: (+1 + 1.22) / 2 = 1.11; other: (0 + 0) / 2 = 0
    assert got == {"멘티 제안": (8.0, 1.11, 1, 2), "다른 분과 제안": (9.5, 0.0, 2, 2),
                   "심사위원 본인 제안": (6.0, -1.11, 3, 2)}
    by_name = {s.user.name: (s.scored, s.average, s.spread) for s in stats}
    assert by_name["엄격한 심사"] == (2, 5.0, 1.0) and by_name["후한 심사"] == (3, 9.0, 0.82)
    page = text_of(manager.get(f"/events/{event.id}/ranking"))
    assert "엄격한 심사 2 5.00 1.00" in page and "후한 심사 3 9.00 0.82" in page


def test_the_selection_moves_the_proposals_and_tells_the_authors(app, cohort, make_account):
    manager, event, (a, b) = _event(app, cohort, "가 제안", "나 제안")
    judge = make_account(Role.MEMBER, name="심사1")
    presentation.add_judge(event, judge, actor=cohort.people["manager"])
    _score(event, judge, a, 9, 9, 9, 9)
    _score(event, judge, b, 5, 5, 5, 5)
    form = {"entries-0-proposal_id": a.id, "entries-0-decision": "select", "entries-0-note": "심사 1위",
            "entries-1-proposal_id": b.id, "entries-1-decision": "not_select", "entries-1-note": "예산 과다"}
    page = text_of(manager.post(f"/events/{event.id}/ranking", data=form, follow_redirects=True))
    assert "심사를 마감한 뒤에 선정 결과를 기록할 수 있습니다." in page
    db.session.refresh(a)
    assert a.stage == Stage.SHORTLISTED

    manager.post(f"/events/{event.id}/scoring/close")
    no_note = dict(form, **{"entries-1-note": ""})
    page = text_of(manager.post(f"/events/{event.id}/ranking", data=no_note, follow_redirects=True))
    assert "나 제안: 이 단계 변경에는 사유를 적은 메모가 필요합니다." in page
    db.session.refresh(a)
    assert a.stage == Stage.SHORTLISTED  # nothing half-done: the whole selection is one change

    page = text_of(manager.post(f"/events/{event.id}/ranking", data=form, follow_redirects=True))
    assert "2건의 선정 결과를 기록했습니다" in page
    db.session.refresh(a)
    db.session.refresh(b)
    assert (a.stage, b.stage) == (Stage.SELECTED, Stage.NOT_SELECTED)
    history = db.session.execute(sa.select(StageChange.action, StageChange.note).where(
        StageChange.proposal_id == a.id, StageChange.action != "test").order_by(StageChange.id)).all()
    assert history == [("present", None), ("select", "심사 1위")]
    kinds = db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == cohort.people["author"].id).order_by(Notification.id)).all()
    assert kinds == ["selected", "not_selected"]
    assert "발표회에서 제안이 선정되었습니다: 가 제안" in text_of(signed_in(app, cohort.people["author"]).get("/notifications/"))


def test_a_proposal_without_judges_scores_cannot_be_selected(app, cohort):
    presented = cohort.proposal(Stage.PRESENTED, **READY)
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.post(f"/proposals/{presented.id}/move/select", data={"note": "좋음"},
                                follow_redirects=True))
    assert "심사위원 점수가 기록되어야(심사 마감) 선정 여부를 정할 수 있습니다." in page
    db.session.refresh(presented)
    assert presented.stage == Stage.PRESENTED


def test_a_decided_proposal_is_not_decided_again_from_the_ranking(app, cohort, make_account):
    manager, event, (a,) = _event(app, cohort, "가 제안")
    judge = make_account(Role.MEMBER, name="심사1")
    presentation.add_judge(event, judge, actor=cohort.people["manager"])
    _score(event, judge, a, 9, 9, 9, 9)
    manager.post(f"/events/{event.id}/scoring/close")
    select = {"entries-0-proposal_id": a.id, "entries-0-decision": "select", "entries-0-note": "1위"}
    manager.post(f"/events/{event.id}/ranking", data=select)
    flip = dict(select, **{"entries-0-decision": "not_select"})
    page = text_of(manager.post(f"/events/{event.id}/ranking", data=flip, follow_redirects=True))
    assert "가 제안: 이미 선정 여부가 기록되었습니다." in page
    db.session.refresh(a)
    assert a.stage == Stage.SELECTED


def test_a_score_sent_after_the_sign_in_ended_is_told_so_in_json(app, cohort):
    _manager, event, _ = _event(app, cohort, "빈집 청년주택")
    stranger = app.test_client()
    answer = stranger.post(f"/events/{event.id}/judge/score", data={"criterion": "x", "score": "5"},
                           headers={"Accept": "application/json"})
    assert answer.status_code == 401 and answer.json["signed_out"] is True
    assert answer.json["message"] == "로그인이 끝났습니다."
    page = stranger.post(f"/events/{event.id}/judge/score", data={"criterion": "x", "score": "5"})
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]  # a browser still gets the page
