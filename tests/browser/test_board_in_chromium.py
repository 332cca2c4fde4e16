"""The status board in Chromium: a card moved with the keyboard only; Korean and English, desktop and phone."""
import pytest

from tests.browser.conftest import sign_in
from tests.functional.cohort import make_cohort
from tracker.extensions import db
from tracker.models import Stage

pytestmark = pytest.mark.browser


def test_a_manager_moves_a_card_with_the_keyboard(browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    proposal = cohort.proposal(Stage.IDEA, title="키보드로 옮길 제안")
    cohort.proposal(Stage.DEVELOPING, title="구체화 중인 제안")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, cohort.people["manager"])
        page.goto(live_server + f"/teams/{cohort.team.id}/board")
        assert page.get_by_role("heading", level=1).inner_text() == "현황판"
        screenshot(page, "board-ko")
        select = page.get_by_label("“키보드로 옮길 제안” 옮길 단계")
        select.focus()
        page.keyboard.press("Tab")  # the note
        page.keyboard.press("Tab")  # the button
        assert page.evaluate("document.activeElement.textContent.trim()") == "옮기기"
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/teams/{cohort.team.id}/board#card-{proposal.id}")
        assert "“키보드로 옮길 제안”을(를) “구체화” 단계로 옮겼습니다." in page.locator("main").inner_text()
        column = page.get_by_role("region", name="구체화 2")
        assert "키보드로 옮길 제안" in column.inner_text()
        db.session.refresh(proposal)
        assert proposal.stage == Stage.DEVELOPING
        page.get_by_role("link", name="English").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Status board"
        screenshot(page, "board-en")
        page.goto(live_server + f"/teams/{cohort.team.id}/report")
        page.emulate_media(media="print")
        screenshot(page, "report-print-en")
    finally:
        context.close()


def test_the_board_on_a_phone(browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    cohort.proposal(Stage.IDEA, title="휴대폰에서 보는 제안")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, cohort.people["manager"])
        page.goto(live_server + f"/teams/{cohort.team.id}/board")
        assert "휴대폰에서 보는 제안" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "board-phone-ko")
        page.goto(live_server + "/overview")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "overview-phone-ko")
    finally:
        context.close()
