"""A member in Chromium: log an idea (with similar-idea hints), develop it, submit it, see the history."""
import pytest
import sqlalchemy as sa

from tests.browser.conftest import sign_in
from tracker.extensions import db
from tracker.models import Proposal, Role, Stage
from tracker.services import teams as team_service

pytestmark = pytest.mark.browser


@pytest.fixture
def member(programme, make_account):
    user = make_account(Role.MEMBER, name="김민지")
    team = team_service.find_team("소소기획단 2기")
    team_service.add_member(team, user, subcommittee=team.subcommittees[0])
    db.session.commit()
    return user


def _member_tab(browser, live_server, member, **options):
    context = browser.new_context(**options)
    tab = context.new_page()
    sign_in(tab, live_server, member)
    return context, tab


def test_from_a_new_idea_to_mentor_review(browser, live_server, member, screenshot):
    context, page = _member_tab(browser, live_server, member, viewport={"width": 1280, "height": 900})
    try:
        page.get_by_role("link", name="새 아이디어").click()
        page.get_by_label("제목").fill("빈집을 청년 창업공간으로")
        hints = page.locator("#similar-ideas")
        hints.get_by_role("link", name="빈집있는교?").wait_for()
        screenshot(page, "new-idea-with-similar-ko")
        page.get_by_label("한 줄 설명").fill("구도심 빈집을 고쳐 청년 창업가에게 빌려준다")
        page.get_by_role("button", name="아이디어 저장").click()
        assert page.get_by_role("heading", level=1).inner_text() == "빈집을 청년 창업공간으로"
        assert "아이디어를 저장했습니다" in page.locator("main").inner_text()
        page.locator("#similar-ideas").get_by_role("link", name="빈집있는교?").wait_for()  # loaded after the page

        page.get_by_role("button", name="구체화 시작 → 구체화").click()
        # not ready to submit: the button is shown disabled, with what is missing
        submit = page.get_by_role("button", name="멘토 검토 요청 (제출) → 멘토 검토")
        assert submit.is_disabled()
        assert "현황·문제점을 입력해야 제출할 수 있습니다." in page.locator("#unmet-submit").inner_text()

        page.get_by_role("link", name="제안 수정하기").click()
        page.get_by_label("현황 및 문제점").fill("구도심 빈집 1,200채, 청년 창업 공간 부족")
        page.get_by_label("제안 내용", exact=True).fill("빈집 리모델링 후 5년 무상 임대")
        page.get_by_label("기대효과").fill("청년 창업 30곳, 구도심 유동인구 증가")
        page.get_by_label("예산 추정 (원)").fill("300000000")
        page.get_by_label("지자체").fill("전북 완주군")
        page.get_by_label("링크").fill("https://www.wanju.go.kr")
        screenshot(page, "edit-proposal-ko")
        page.get_by_role("button", name="저장", exact=True).click()
        page.get_by_role("button", name="멘토 검토 요청 (제출) → 멘토 검토").click()
        assert "“멘토 검토” 단계로 옮겼습니다." in page.locator("main").inner_text()

        history = page.locator("#history").inner_text()
        for line in ("– → 아이디어", "아이디어 → 구체화", "구체화 → 멘토 검토", "300,000,000원", "전북 완주군"):
            assert line in history
        screenshot(page, "proposal-in-review-ko")
        page.get_by_role("link", name="English").click()
        assert "In review" in page.locator("main").inner_text()
        screenshot(page, "proposal-in-review-en")
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집을 청년 창업공간으로"))
        assert proposal.stage == Stage.IN_REVIEW and proposal.budget_krw == 300_000_000
    finally:
        context.close()


def test_logging_an_idea_on_a_phone(browser, live_server, member, screenshot):
    context, page = _member_tab(browser, live_server, member, viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    try:
        page.goto(live_server + "/proposals/new")
        page.get_by_label("제목").fill("경로당 빈집 활용")
        page.locator("#similar-ideas").get_by_role("link", name="빈집있는교?").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "new-idea-phone-ko")
        page.get_by_role("button", name="아이디어 저장").click()
        assert page.get_by_role("heading", level=1).inner_text() == "경로당 빈집 활용"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "idea-phone-ko")
    finally:
        context.close()


def test_a_longer_title_keeps_the_closest_past_idea_and_says_why(browser, live_server, member, screenshot):
    context, page = _member_tab(browser, live_server, member, viewport={"width": 1280, "height": 900})
    try:
        page.get_by_role("link", name="새 아이디어").click()
        title = page.get_by_label("제목")
        hints = page.locator("#similar-ideas")
        title.fill("빈집 리모델링")
        hints.get_by_role("link", name="빈집있는교?").wait_for()
        title.fill("빈집 리모델링 청년 셰어하우스")
        hints.locator("mark", has_text="청년을").wait_for()  # the answer to the whole title
        assert hints.get_by_role("link", name="빈집있는교?").is_visible()
        assert {"빈집있는교", "청년을"} <= set(hints.locator("mark").all_inner_texts())
        screenshot(page, "similar-long-title-ko")
    finally:
        context.close()
