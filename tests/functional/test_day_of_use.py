"""Rough edges a day of use found (issue 20): what a member, a mentor and a manager now see."""
import re

import pytest

from tests.functional.cohort import make_cohort, signed_in
from tests.helpers import text_of
from tracker.models import Stage

READY = dict(summary="한 줄", problem="문제", proposal_text="제안", expected_effect="효과")


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def test_a_filtered_list_offers_its_own_rows_as_xlsx_and_csv(app, cohort):
    cohort.proposal(Stage.IDEA, title="드론 배송")
    member = signed_in(app, cohort.people["author"])
    page = member.get("/proposals/?q=빈집&sort=newest&page=1").get_data(as_text=True)
    links = dict(re.findall(r'<a class="button secondary" href="(/proposals/export\.(xlsx|csv)\?[^"]+)"', page))
    assert set(links.values()) == {"xlsx", "csv"}
    csv_link = next(link for link, fmt in links.items() if fmt == "csv")
    assert "page=" not in csv_link and "sort=newest" in csv_link
    rows = member.get(csv_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "빈집있는교?" in rows and "드론 배송" not in rows
    assert '<button type="submit">검색</button>' in page  # the search form's button says what it does


def test_a_card_offers_the_way_forward_first_and_says_each_move_once(app, cohort):
    cohort.proposal(Stage.IN_REVIEW, title="검토 중 제안", **READY)
    board = signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}/board").get_data(as_text=True)
    select = board[board.index('name="action"'):]
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', select[:select.index("</select>")])
    assert [value for value, _text in options] == ["shortlist", "request_changes", "withdraw"]
    assert dict(options)["withdraw"] == "철회"  # not "철회 → 철회"


def test_similar_ideas_say_which_words_they_share(app, cohort):
    hints = signed_in(app, cohort.people["author"]).get(
        "/proposals/similar", query_string={"q": "빈집 리모델링 청년 셰어하우스"}).get_data(as_text=True)
    assert "빈집있는교?" in hints and "<mark>빈집있는교</mark>" in hints and "<mark>청년을</mark>" in hints


def test_every_page_names_its_icon(app, cohort):
    page = signed_in(app, cohort.people["author"]).get("/teams/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)[1]
    answer = app.test_client().get(icon)
    assert answer.status_code == 200 and b"<svg" in answer.get_data()
    answer.close()


def test_a_cohorts_year_chart_covers_its_own_programme_year(app, cohort):
    cohort.proposal(Stage.DEVELOPING, title="보고서 제안")
    report = text_of(signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}/report"))
    assert "2025. 2. 28." in report and "2025. 12. 31." in report  # 소소기획단 2기 is 2025's
    assert not re.search(r"2026\. \d+\. \d+\.(?! 기준)", report)  # no month of another year (the date printed aside)
