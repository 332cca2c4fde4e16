"""The read-only archive pages, as a signed-in manager's browser sees them."""
import re

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.importers import import_ideas
from tests.factories import add_member, add_mentor, csv_bytes
from tests.helpers import queries_for, text_of
from tracker.models import MentorKind, Proposal, Team


@pytest.fixture
def client(manager_client):
    return manager_client


def proposal_id(title: str) -> int:
    return db.session.scalar(sa.select(Proposal.id).where(Proposal.title == title))


def team_id(cohort: int) -> int:
    return db.session.scalar(sa.select(Team.id).where(Team.cohort == cohort))


def test_home_lists_both_cohorts_in_korean(programme, client):
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "소소기획단 1기" in page and "소소기획단 2기" in page
    assert "종료" in page and "운영 중" in page and "제안 4건" in page
    assert '<html lang="ko">' in response.get_data(as_text=True)


def test_team_page_shows_subcommittees_dates_and_counts(programme, client):
    page = text_of(client.get(f"/teams/{team_id(2)}"))
    for text in ("청년‧인구", "문화관광", "농‧축산", "지역경제 활성화", "발대식 2025. 2. 28.", "아직 등록된 단원이 없습니다."):
        assert text in page
    cohort1 = text_of(client.get(f"/teams/{team_id(1)}"))
    assert "최종 선정 4" in cohort1 and "분과 없음 1" in cohort1


def test_proposal_page_shows_fields_stage_and_history(programme, client):
    page = text_of(client.get(f"/proposals/{proposal_id('빈집있는교?')}"))
    assert "빈집있는교?" in page and "최종 선정" in page and "청년‧인구" in page
    assert "빈집을 활용해 청년을 유입하고 주거 환경을 개선" in page
    assert re.search(r"전체 여정 .* 가져오기 단계 ?: – → 최종 선정 · cohort1_ideas.csv 파일에서 가져옴", page)


def test_proposal_page_shows_budget_in_won_and_edit_history(programme, client):
    rows = [["기수", "제목", "예산", "단계"], ["소소기획단 2기", "골목상권 지도", "2500000", "아이디어"]]
    import_ideas(csv_bytes(rows), "a.csv")
    rows[1][2:] = ["3000000", "구체화"]
    import_ideas(csv_bytes(rows), "b.csv")
    db.session.commit()
    page = text_of(client.get(f"/proposals/{proposal_id('골목상권 지도')}"))
    assert "3,000,000원" in page
    assert "예산 : 2,500,000원 → 3,000,000원" in page
    assert re.search(r"단계 ?: 아이디어 → 구체화 · b.csv 파일에서 가져옴", page)


def test_english_is_one_click_away_and_sticks(programme, client):
    switch = client.get("/lang/en?next=/teams/")
    assert switch.status_code == 302 and switch.headers["Location"] == "/teams/"
    page = text_of(client.get(f"/proposals/{proposal_id('빈집있는교?')}"))
    assert "Selected" in page and "The whole journey" in page and "Youth and population" in page
    assert "Feb 28, 2025" in text_of(client.get(f"/teams/{team_id(2)}"))
    client.get("/lang/ko")
    assert "최종 선정" in text_of(client.get(f"/proposals/{proposal_id('빈집있는교?')}"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "/\tevil"])
def test_language_switch_does_not_redirect_off_site(client, target):
    assert client.get("/lang/en", query_string={"next": target}).headers["Location"] == "/teams/"


@pytest.mark.parametrize("query, expected", [
    ("q=빈집", ["빈집있는교?"]),
    ("q=%25", []),
    ("stage=selected", ["조(組)손(孫)도손 프로젝트", "장수의자", "빈집있는교?", "그린레이싱"]),
    ("stage=idea", []),
    ("stage=nonsense", ["조(組)손(孫)도손 프로젝트", "장수의자", "빈집있는교?", "그린레이싱"]),
])
def test_proposal_filters(programme, client, query, expected):
    page = client.get(f"/proposals/?{query}").get_data(as_text=True)
    listed = re.findall(r'<h2><a href="/proposals/\d+">([^<]+)</a></h2>', page)
    assert sorted(listed) == sorted(expected)


def test_filter_by_team_and_subcommittee(programme, client):
    cohort1 = db.session.get(Team, team_id(1))
    youth = next(s for s in cohort1.subcommittees if s.key == "youth_population")
    page = client.get(f"/proposals/?team={cohort1.id}&subcommittee={youth.id}").get_data(as_text=True)
    assert "제안 3건" in page and "그린레이싱" not in page
    assert "제안 0건" in client.get(f"/proposals/?team={team_id(2)}").get_data(as_text=True)


def test_pagination_keeps_the_filters(programme, client, app):
    rows = [["기수", "제목"]] + [["소소기획단 2기", f"아이디어 {n:02d}"] for n in range(30)]
    import_ideas(csv_bytes(rows), "many.csv")
    db.session.commit()
    first = client.get(f"/proposals/?team={team_id(2)}").get_data(as_text=True)
    assert "2쪽 중 1쪽" in first and "제안 30건" in first
    assert f'href="/proposals/?team={team_id(2)}&amp;page=2"' in first
    second = client.get(f"/proposals/?team={team_id(2)}&page=2").get_data(as_text=True)
    assert len(re.findall(r'<h2><a href="/proposals/', second)) == 30 - app.config["PROPOSALS_PER_PAGE"]


def test_missing_pages_are_clear_korean_404s(client):
    for url in ("/proposals/999999", "/teams/999999", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404 and "페이지를 찾을 수 없습니다" in text_of(response)


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_pages_load_nothing_from_outside(programme, client):
    html = client.get(f"/proposals/{proposal_id('빈집있는교?')}").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_page_query_counts_do_not_grow_with_the_rows(app, programme, client):
    def add(n, start):
        rows = [["기수", "분과", "제목", "제안자"]] + [
            ["소소기획단 2기", "문화관광", f"관광 아이디어 {start + i}", f"단원{i}, 단원{i + 1}"] for i in range(n)]
        import_ideas(csv_bytes(rows), f"more{start}.csv")
        db.session.commit()

    add(3, 0)
    few = {url: queries_for(app, client, url) for url in ("/teams/", f"/teams/{team_id(2)}", "/proposals/")}
    add(40, 100)
    many = {url: queries_for(app, client, url) for url in few}
    assert many == few


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "team=abc", "page=999999", "page=99999999999999999999",
                                   "team=99999999999999999999", "subcommittee=-5", "q=%00%01", "stage=%00"])
def test_odd_query_parameters_still_show_the_list(programme, client, query):
    response = client.get(f"/proposals/?{query}")
    assert response.status_code == 200
    page = text_of(response)
    assert "제안" in page and ("조건에 맞는 제안이 없습니다" not in page or "제안 0건" in page)


def test_a_page_past_the_end_shows_the_last_page(programme, client):
    page = text_of(client.get("/proposals/?page=999999"))
    assert "제안 4건" in page and "빈집있는교?" in page


@pytest.mark.parametrize("url", ["/teams/99999999999999999999", "/proposals/99999999999999999999",
                                 "/proposals/0", "/teams/-1"])
def test_huge_or_odd_ids_are_404(client, url):
    assert client.get(url).status_code == 404


def test_team_page_lists_members_and_mentors(programme, client):
    team = db.session.get(Team, team_id(2))
    youth, culture = team.subcommittees[0], team.subcommittees[1]
    add_member(team, "김민지", youth, "인구정책과")
    add_member(team, "박서준", culture, "관광컨벤션과")
    add_mentor(youth, "이선배", MentorKind.SENIOR_STAFF, "경주시청 기획예산과", "인구 정책")
    add_mentor(culture, "최교수", MentorKind.EXTERNAL_EXPERT, "동국대학교", "관광학")
    db.session.commit()
    page = text_of(client.get(f"/teams/{team.id}"))
    assert "김민지 청년‧인구 인구정책과" in page and "박서준 문화관광 관광컨벤션과" in page
    assert "이선배 선배 멘토 청년‧인구 경주시청 기획예산과 인구 정책" in page
    assert "최교수 외부 전문가 문화관광 동국대학교 관광학" in page


def test_team_and_proposal_pages_query_counts_do_not_grow(app, programme, client):
    team = db.session.get(Team, team_id(2))

    def grow(n, start):
        for i in range(n):
            add_member(team, f"단원{start + i}", team.subcommittees[i % 4], "부서")
            add_mentor(team.subcommittees[i % 4], f"멘토{start + i}", MentorKind.EXTERNAL_EXPERT)
        rows = [["관리번호", "기수", "제목", "요약", "제안자"], ["P-1", "소소기획단 2기", "골목상권 지도", f"판 {start}",
                                                      ", ".join(f"작성자{start + i}" for i in range(n))]]
        import_ideas(csv_bytes(rows), f"v{start}.csv")
        db.session.commit()

    grow(2, 0)
    pages = (f"/teams/{team.id}", f"/proposals/{proposal_id('골목상권 지도')}")
    few = {url: queries_for(app, client, url) for url in pages}
    grow(20, 100)
    assert {url: queries_for(app, client, url) for url in pages} == few
