"""The archive in a real Chromium: Korean by default, English on request, search, phones,
keyboard, accessibility (axe-core) and no request leaving the app."""
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Proposal, Team

pytestmark = pytest.mark.browser


def ids():
    cohort2 = db.session.scalar(sa.select(Team.id).where(Team.cohort == 2))
    house = db.session.scalar(sa.select(Proposal.id).where(Proposal.title == "빈집있는교?"))
    return cohort2, house


def test_korean_by_default_from_teams_to_a_proposal(programme, live_server, page, screenshot):
    page.goto(live_server + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "기수"
    assert page.get_by_role("link", name="소소기획단 2기").is_visible()
    screenshot(page, "teams-ko")
    page.get_by_role("link", name="소소기획단 1기").click()
    assert page.get_by_role("heading", level=1).inner_text() == "소소기획단 1기"
    page.get_by_role("link", name="제안 4건").click()
    screenshot(page, "proposals-cohort1-ko")
    page.get_by_role("link", name="빈집있는교?").click()
    main = page.locator("main")
    assert "최종 선정" in main.inner_text() and "청년‧인구" in main.inner_text()
    history = page.locator("#history")
    assert "가져오기" in history.inner_text() and "cohort1_ideas.csv 파일에서 가져옴" in history.inner_text()
    screenshot(page, "proposal-ko")


def test_english_on_request_and_back(programme, live_server, page, screenshot):
    _, house = ids()
    page.goto(live_server + f"/proposals/{house}")
    page.get_by_role("link", name="English").click()
    assert "Selected" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="The whole journey", exact=True).is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "proposal-en")
    page.get_by_role("link", name="Teams", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Teams"
    page.get_by_role("link", name="한국어").click()
    assert page.get_by_role("heading", level=1).inner_text() == "기수"


def test_search_finds_the_empty_house_project(programme, live_server, page):
    page.goto(live_server + "/proposals/")
    page.get_by_label("제목·본문 검색").fill("빈집")
    page.get_by_label("제목·본문 검색").press("Enter")
    page.wait_for_url("**/proposals/?q=*")
    assert page.get_by_role("status").inner_text() == "제안 1건"
    assert page.locator("main h2 a").all_inner_texts() == ["빈집있는교?"]


def test_phone_pages_fit_the_screen(programme, live_server, phone, screenshot):
    cohort2, house = ids()
    for name, path in (("team-phone", f"/teams/{cohort2}"), ("proposal-phone", f"/proposals/{house}"),
                       ("proposals-phone", "/proposals/")):
        phone.goto(live_server + path)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        screenshot(phone, name)


def test_keyboard_first_tab_is_the_skip_link(programme, live_server, page):
    page.goto(live_server + "/teams/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "본문 바로가기"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_main_pages_have_no_serious_accessibility_violations(programme, live_server, audit_page,
                                                            axe_violations, screenshot):
    cohort2, house = ids()
    for path in ("/teams/", f"/teams/{cohort2}", "/proposals/", f"/proposals/{house}", "/no-such-page",
                 "/auth/password", "/accounts/", "/accounts/new", "/accounts/import", "/accounts/audit",
                 "/proposals/new", f"/proposals/{house}/edit", "/reviews/", "/notifications/",
                 f"/teams/{cohort2}/mentors", f"/teams/{cohort2}/rubric", f"/teams/{cohort2}/mentoring/new",
                 "/lang/en?next=/proposals/"):
        response = audit_page.goto(live_server + path)
        assert response.status == (404 if path == "/no-such-page" else 200), path
        assert axe_violations(audit_page) == [], path
        screenshot(audit_page, "axe" + path.replace("/", "_").replace("?", "_"))


def test_pages_load_nothing_from_outside_the_app(programme, live_server, page):
    _, house = ids()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    for path in ("/teams/", "/proposals/", f"/proposals/{house}"):
        page.goto(live_server + path)
    assert hosts == {"127.0.0.1"}


def test_sign_in_page_in_korean_and_a_wrong_password(live_server, browser, manager, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server + "/proposals/")
    assert tab.get_by_role("heading", level=1).inner_text() == "로그인"
    tab.get_by_label("이메일 또는 직원 번호").fill(manager.staff_id)
    tab.get_by_label("비밀번호").fill("not-the-password")
    tab.get_by_role("button", name="로그인").click()
    assert tab.get_by_role("alert").inner_text() == "이메일/직원 번호 또는 비밀번호가 맞지 않습니다."
    screenshot(tab, "login-failed-phone")
    tab.get_by_role("link", name="개인정보 처리방침").click()  # the notice, signed out
    assert tab.get_by_role("heading", level=2).first.inner_text() == "개인정보 처리방침"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(tab, "privacy-notice-phone")
    context.close()
