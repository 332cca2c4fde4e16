"""The activities calendar in Chromium: a manager adds an activity and finds it in the month and list
views; the month works on a phone; the pages pass axe-core, in Korean and English."""
import pytest

from tests.functional.cohort import make_cohort

pytestmark = pytest.mark.browser
PHONE_WIDTH = 390


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def _in(language, page, live_server, path):
    page.goto(f"{live_server}/lang/{language}?next={path}")


def test_a_manager_adds_an_activity_and_sees_it_in_month_and_list(cohort, live_server, page, screenshot):
    team = cohort.team.id
    _in("en", page, live_server, f"/teams/{team}")
    page.get_by_role("link", name="Activities calendar").click()
    page.goto(f"{live_server}/teams/{team}/calendar?month=2025-05")
    page.get_by_role("link", name="Add an activity").click()
    page.get_by_label("Kind").select_option(label="Expert lecture")
    page.get_by_label("Title").fill("빈집 재생 특강")
    page.get_by_label("Date", exact=True).fill("2025-05-14")
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("16:00")
    page.get_by_label("Place").fill("경주시청 대회의실")
    page.get_by_role("group", name="Subcommittees").get_by_label(cohort.youth.name_en).check()
    page.get_by_role("group", name="Attendees").get_by_label("김민지").check()
    page.get_by_role("group", name="Attendees").get_by_label("최교수").check()
    page.get_by_label("Notes").fill("황리단길 사례 공유")
    screenshot(page, "calendar-form-en")
    page.get_by_role("button", name="Save").click()
    main = page.locator("main").inner_text()
    assert "The activity is on the calendar." in main and "14:00 – 16:00" in main and "김민지, 최교수" in main
    screenshot(page, "calendar-detail-en")

    page.get_by_role("link", name="Activities calendar").click()
    assert page.get_by_role("heading", name="May 2025").is_visible()
    day = page.locator("td", has=page.locator('time[datetime="2025-05-14"]'))
    assert "14:00" in day.inner_text() and day.get_by_role("link", name="빈집 재생 특강").is_visible()
    screenshot(page, "calendar-month-en")
    page.get_by_role("link", name="List", exact=True).click()
    listed = page.locator("main").inner_text()
    assert listed.index("February 2025") < listed.index("May 2025") < listed.index("빈집 재생 특강") < listed.index(
        "October 2025")
    screenshot(page, "calendar-list-en")

    _in("ko", page, live_server, f"/teams/{team}/calendar?month=2025-05")
    assert page.get_by_role("heading", name="2025년 5월").is_visible()
    assert page.get_by_role("link", name="빈집 재생 특강").is_visible()
    screenshot(page, "calendar-month-ko")
    page.goto(f"{live_server}/teams/{team}/calendar/list?year=2025")
    assert "발대식" in page.locator("main").inner_text()
    screenshot(page, "calendar-list-ko")
    page.get_by_role("link", name="빈집 재생 특강").click()
    screenshot(page, "calendar-detail-ko")


def test_the_month_on_a_phone_is_a_list_of_days_without_sideways_scroll(cohort, live_server, phone, screenshot):
    team = cohort.team.id
    for language in ("ko", "en"):
        _in(language, phone, live_server, f"/teams/{team}/calendar?month=2025-10")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        day = phone.locator("td", has=phone.locator('time[datetime="2025-10-15"]'))
        assert day.is_visible() and "2025" in day.inner_text()  # the full date, not just "15"
        assert not phone.locator("td", has=phone.locator('time[datetime="2025-10-14"]')).is_visible()
        assert not phone.locator("thead").is_visible()
        screenshot(phone, f"calendar-month-phone-{language}")
        phone.goto(f"{live_server}/teams/{team}/calendar/list?year=2025")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        screenshot(phone, f"calendar-list-phone-{language}")
        phone.goto(f"{live_server}/teams/{team}/calendar/activities/new")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        screenshot(phone, f"calendar-form-phone-{language}")


def test_calendar_pages_have_no_serious_accessibility_violations(cohort, live_server, audit_page, axe_violations):
    team = cohort.team.id
    for language in ("ko", "en"):
        for path in (f"/teams/{team}/calendar?month=2025-10", f"/teams/{team}/calendar/list?year=2025",
                     f"/teams/{team}/calendar/activities/new"):
            _in(language, audit_page, live_server, path)
            assert axe_violations(audit_page) == [], (language, path)
    audit_page.get_by_role("button", name="Save").click()  # an empty form: the errors must be accessible too
    assert axe_violations(audit_page) == []
