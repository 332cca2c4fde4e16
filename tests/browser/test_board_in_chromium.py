"""The status board in Chromium: a card moved with the keyboard only; Korean and English, desktop and phone."""
import pytest

from tests.browser.conftest import sign_in
from tests.functional.cohort import make_cohort
from tracker.extensions import db
from tracker.models import Stage
from tracker.services import teams as team_service

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


def test_the_whole_funnel_fits_a_desktop_and_the_overview_keeps_words_whole_on_a_phone(
        browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    for stage in (Stage.IDEA, Stage.SELECTED, Stage.COMPLETED):
        cohort.proposal(stage, title=f"{stage.value} 제안")
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = desktop.new_page()
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        sign_in(page, live_server, cohort.people["manager"])
        page.goto(live_server + f"/teams/{cohort.team.id}/board")
        columns = page.locator(".board-column").evaluate_all(
            "cols => cols.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; })")
        assert len(columns) == 9 and all(0 <= left and right <= 1280 for left, right in columns)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert missing == []  # the page's icon included: no /favicon.ico 404
        screenshot(page, "board-1280-after")

        small = phone.new_page()
        sign_in(small, live_server, cohort.people["manager"])
        small.goto(live_server + "/overview")
        narrow = small.evaluate("""() => {
            const probe = document.createElement('span'); probe.textContent = '가나';
            probe.style.position = 'absolute'; document.querySelector('main').appendChild(probe);
            const two = probe.getBoundingClientRect().width; probe.remove();
            return [...document.querySelectorAll('main th, main td')]
              .filter(cell => /[가-힣]{2}/.test(cell.textContent))
              .filter(cell => cell.getBoundingClientRect().width < two)
              .map(cell => cell.textContent.trim());
        }""")
        assert narrow == []
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(small, "overview-phone-after")
    finally:
        desktop.close()
        phone.close()


def test_the_results_book_prints_without_the_menu_and_keeps_headings_with_their_tables(
        browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    archived = team_service.find_team("소소기획단 1기")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, cohort.people["manager"])
        page.goto(live_server + f"/teams/{archived.id}/results")
        assert page.locator(".account-menu").is_visible()
        page.emulate_media(media="print")
        for hidden in (".account-menu", ".site-header nav", ".lang-switch"):
            assert not page.locator(hidden).is_visible(), hidden
        assert cohort.people["manager"].name not in page.locator("body").inner_text()
        breaks = page.evaluate("[...document.querySelectorAll('main h2, main h3')]"
                               ".map(h => getComputedStyle(h).breakAfter)")
        assert breaks and set(breaks) == {"avoid"}, breaks
        screenshot(page, "results-book-print")
        assert page.pdf(format="A4")[:4] == b"%PDF"
    finally:
        context.close()
