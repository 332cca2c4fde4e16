"""A manager in Chromium imports past ideas (upload for a cohort, preview, save, open the result) and
puts a new member in a cohort; a person in none is told whom to ask."""
import pytest

from tests.browser.conftest import sign_in
from tests.factories import csv_bytes
from tracker.models import Role

pytestmark = pytest.mark.browser


def test_a_manager_imports_cohort_1_ideas_from_a_file(page, live_server, programme, tmp_path, screenshot):
    ideas = tmp_path / "1기 아이디어.csv"
    ideas.write_bytes(csv_bytes([["제목", "분과", "요약", "단계"],
                                 ["경주 한옥 스테이", "문화관광", "빈 한옥을 숙소로", "최종 선정"],
                                 ["빈집있는교?", "청년‧인구", "빈집을 활용해 청년을 유입하고 주거 환경을 개선", "최종 선정"],
                                 ["", "문화관광", "제목 없는 행", ""]]))
    page.goto(live_server + "/proposals/")
    page.get_by_role("link", name="지난 아이디어 가져오기").click()
    page.get_by_label("파일(CSV, XLSX, JSON)").set_input_files(str(ideas))
    page.get_by_label("기수 (기수 열이 비어 있는 행에 적용)").select_option(label="소소기획단 1기")
    page.get_by_role("button", name="미리 보기").click()
    main = page.locator("main")
    assert "추가 1건, 변경 0건, 변경 없음 1건, 문제 있는 행 1건" in main.inner_text()
    assert "제목이 비어 있습니다" in main.inner_text()
    screenshot(page, "import-preview-ko")
    page.get_by_role("button", name="문제없는 1건만 저장하고 문제 있는 행은 빼기").click()
    assert "저장했습니다: 추가 1건" in main.inner_text()
    screenshot(page, "import-result-ko")
    page.get_by_role("link", name="경주 한옥 스테이").click()
    assert page.get_by_role("heading", level=1).inner_text() == "경주 한옥 스테이"
    assert "소소기획단 1기" in page.locator("main").inner_text()


def test_a_manager_creates_a_member_in_a_cohort_and_a_person_without_one_is_told_whom_to_ask(
        page, browser, live_server, programme, make_account, screenshot):
    page.goto(live_server + "/accounts/new")
    page.get_by_label("이름").fill("새단원")
    page.get_by_label("직원 번호").fill("N-77")
    page.get_by_label("단원").check()
    page.get_by_label("기수·분과").select_option(label="소소기획단 2기 · 문화관광")
    screenshot(page, "new-account-with-cohort-ko")
    page.get_by_role("button", name="계정 만들기").click()
    assert "임시 비밀번호" in page.locator("main").inner_text()

    lost = make_account(Role.MEMBER, name="소속없음")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        sign_in(phone, live_server, lost)
        phone.get_by_role("link", name="새 아이디어").click()
        text = phone.locator("main").inner_text()
        assert "아직 기수에 속해 있지 않습니다" in text and "운영담당" in text
        screenshot(phone, "no-cohort-phone-ko")
    finally:
        context.close()
