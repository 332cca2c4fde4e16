"""The presentation day in Chromium: three judges score on phones at the same time (one loses
its connection for a while), the manager watches, closes scoring and sees the ranking a hand
computation gives."""
import re
import statistics

import pytest
import sqlalchemy as sa

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.functional.cohort import make_cohort
from tracker import clock
from tracker.extensions import db
from tracker.models import JudgeScore, Role, Stage
from tracker.services import accounts, presentation

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CRITERIA = ("실현 가능성", "기대 효과", "창의성", "발표 전달력")
WEIGHTS = (30, 30, 20, 20)
TITLES = ("빈집 청년주택", "황혼육아 지원", "농촌 일손 은행")
# judge -> presentation -> scores in CRITERIA order
SCORES = {
    "심사위원 가": {"빈집 청년주택": (9, 8, 7, 8), "황혼육아 지원": (7, 9, 8, 6), "농촌 일손 은행": (6, 6, 9, 7)},
    "심사위원 나": {"빈집 청년주택": (8, 8, 8, 8), "황혼육아 지원": (8, 7, 9, 9), "농촌 일손 은행": (7, 5, 6, 8)},
    "심사위원 다": {"빈집 청년주택": (10, 7, 6, 9), "황혼육아 지원": (6, 8, 7, 7), "농촌 일손 은행": (8, 7, 7, 6)},
}


def _by_hand():
    """The ranking computed here, independently of the app: each judge's weighted means, standardised
    by that judge's own average and standard deviation; ranked by the mean of those."""
    per_judge = {j: {t: sum(s * w for s, w in zip(SCORES[j][t], WEIGHTS)) / sum(WEIGHTS) for t in TITLES}
                 for j in SCORES}
    centre = {j: (statistics.fmean(m.values()), statistics.pstdev(m.values())) for j, m in per_judge.items()}
    marks = {}
    for title in TITLES:
        own = [per_judge[j][title] for j in SCORES]
        standardised = statistics.fmean((per_judge[j][title] - centre[j][0]) / centre[j][1] for j in SCORES)
        marks[title] = (round(standardised, 2), round(sum(own) / len(own), 2), round(max(own) - min(own), 2))
    return sorted(marks.items(), key=lambda item: -item[1][0])


def test_three_judges_score_at_once_and_the_ranking_matches_the_hand_computation(
        browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    manager_user = cohort.people["manager"]
    event = presentation.save_event(cohort.team, held_on=clock.today(), starts_at=None,
                                    place="시청 대회의실", minutes_per_slot=15, actor=manager_user)
    for title in TITLES:
        presentation.add_slot(event, cohort.proposal(Stage.SHORTLISTED, title=title, summary="한 줄").id,
                              actor=manager_user)
    judges = {name: make_account(Role.MEMBER, name=name) for name in SCORES}
    for judge in judges.values():
        presentation.add_judge(event, judge, actor=manager_user)
    db.session.commit()

    contexts, tabs = [], {}
    try:
        for name, judge in judges.items():
            context = browser.new_context(**PHONE)
            contexts.append(context)
            tab = context.new_page()
            sign_in(tab, live_server, judge)
            tabs[name] = tab
        manager_context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(manager_context)
        manager = manager_context.new_page()
        sign_in(manager, live_server, manager_user)

        for name, tab in tabs.items():
            tab.get_by_role("link", name="심사", exact=True).click()
            tab.get_by_role("link", name=cohort.team.name).click()
            tab.get_by_role("link", name="1. 빈집 청년주택").click()
        contexts[1].set_offline(True)  # 심사위원 나 loses the connection for the first presentation
        for number, title in enumerate(TITLES, start=1):
            for index, criterion in enumerate(CRITERIA):  # the judges' clicks interleave
                for name, tab in tabs.items():
                    group = tab.get_by_role("group", name=re.compile("^" + criterion))
                    group.get_by_label(str(SCORES[name][title][index]), exact=True).check()
            if number == 1:
                tabs["심사위원 나"].locator("#save-status").filter(has_text="연결이 끊겼습니다").wait_for(timeout=10_000)
                screenshot(tabs["심사위원 나"], "judge-offline-phone-ko")
                contexts[1].set_offline(False)
            for name, tab in tabs.items():
                tab.locator("#save-status").filter(has_text="모든 점수가 저장되었습니다.").wait_for(timeout=15_000)
            if number == 1:
                manager.goto(f"{live_server}/events/{event.id}/scoring")
                assert manager.locator("tbody tr").first.inner_text().count("완료") == 3
                screenshot(manager, "scoring-status-ko")
                screenshot(tabs["심사위원 가"], "judge-sheet-phone-ko")
            if number < len(TITLES):
                for tab in tabs.values():
                    tab.goto(f"{live_server}/events/{event.id}/judge/{number + 1}")

        manager.goto(f"{live_server}/events/{event.id}/scoring")
        manager.get_by_role("button", name="심사 마감").click()
        assert "심사를 마감했습니다" in manager.locator("main").inner_text()
        tabs["심사위원 가"].reload()
        assert "권한이 없습니다" in tabs["심사위원 가"].locator("main").inner_text()  # the 403 page

        manager.get_by_role("link", name="순위와 선정").click()
        rows = manager.locator("table.ranking tbody tr")
        for place, (title, (standardised, mark, spread)) in enumerate(_by_hand(), start=1):
            cells = rows.nth(place - 1).locator("td")
            assert cells.nth(0).inner_text().startswith(str(place)), title
            assert title in cells.nth(1).inner_text()
            assert cells.nth(2).inner_text() == f"{standardised:.2f}"
            assert cells.nth(3).inner_text() == f"{mark:.2f}" and cells.nth(4).inner_text() == f"{spread:.2f}"
            assert cells.nth(5).inner_text() == "3"
        screenshot(manager, "ranking-ko")
    finally:
        for context in contexts:
            context.close()


def test_a_judges_phone_keeps_scores_offline_and_across_an_ended_sign_in(
        browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    manager = cohort.people["manager"]
    event = presentation.save_event(cohort.team, held_on=clock.today(), starts_at=None,
                                    place="시청 대회의실", minutes_per_slot=15, actor=manager)
    proposal = cohort.proposal(Stage.SHORTLISTED, title="빈집 청년주택", summary="한 줄")
    presentation.add_slot(event, proposal.id, actor=manager)
    judge = make_account(Role.MEMBER, name="심사위원 라")
    presentation.add_judge(event, judge, actor=manager)
    db.session.commit()
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    status = tab.locator("#save-status")
    try:
        sign_in(tab, live_server, judge)
        tab.goto(f"{live_server}/events/{event.id}/judge/1")
        sheet_url = tab.url
        tab.get_by_role("group", name=re.compile("^실현 가능성")).get_by_label("9", exact=True).check()
        status.filter(has_text="모든 점수가 저장되었습니다.").wait_for(timeout=10_000)

        # the sign-in ends (signed out everywhere from another browser): the sheet says so and keeps the score
        accounts.end_every_session(judge, actor=judge, address="test")
        db.session.commit()
        tab.get_by_role("group", name=re.compile("^기대 효과")).get_by_label("8", exact=True).check()
        status.filter(has_text="로그인이 끝났습니다").wait_for(timeout=10_000)
        assert "연결이 끊겼습니다" not in status.inner_text()
        screenshot(tab, "judge-signed-out-phone-ko")
        tab.get_by_role("link", name="다시 로그인하고 보내기").click()
        tab.get_by_label("이메일 또는 직원 번호").fill(judge.staff_id)
        tab.get_by_label("비밀번호").fill(PASSWORD)
        tab.get_by_role("button", name="로그인").click()
        tab.wait_for_url(sheet_url)
        status.filter(has_text="모든 점수가 저장되었습니다.").wait_for(timeout=10_000)
        kept = {s.criterion: s.score for s in db.session.scalars(
            sa.select(JudgeScore).where(JudgeScore.judge_id == judge.id))}
        assert sorted(kept.values()) == [8, 9], kept  # the score kept while signed out, sent after

        # finishing offline stays on the sheet, says the scores are kept, and moves on once back online
        context.set_offline(True)
        tab.get_by_role("button", name="저장하고 마치기").click()
        status.filter(has_text="연결되면 다음으로 넘어갑니다").wait_for(timeout=10_000)
        assert tab.url == sheet_url
        screenshot(tab, "judge-finish-offline-phone-ko")
        context.set_offline(False)
        tab.wait_for_url(f"{live_server}/events/{event.id}/judge", timeout=15_000)
    finally:
        context.close()
