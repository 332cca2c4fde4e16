"""The status board, its moves, report and exports; the programme overview; constant query counts."""
import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import csv_bytes
from tests.functional.cohort import READY, signed_in
from tests.helpers import queries_for, text_of
from tracker import clock
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import Proposal, Stage
from tracker.services import workflow

KST = ZoneInfo("Asia/Seoul")



def test_the_board_answers_where_each_subcommittee_stands(app, cohort):
    cohort.proposal(Stage.IDEA, title="새 아이디어 하나")
    old = cohort.proposal(Stage.DEVELOPING, title="멈춘 제안", **READY)
    old.updated_at = clock.now() - timedelta(days=20)
    reviewed = cohort.proposal(Stage.IN_REVIEW, title="검토 중 제안", **READY)
    cohort.review(reviewed)
    culture = cohort.proposal(Stage.SHORTLISTED, title="문화 발표 후보", **READY)
    culture.subcommittee = cohort.culture
    db.session.commit()
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.get(f"/teams/{cohort.team.id}/board"))
    assert "현황판" in page and "발표회는 2025. 10. 15.에 열렸습니다." in page
    # the matrix: 청년‧인구 has one idea, one developing, one in review; 문화관광 one shortlisted
    assert re.search(r"청년‧인구 1 1 1 (?:\s*)3", page) and re.search(r"문화관광 1 (?:\s*)1", page)
    assert "정체된 제안 1건 (14일 이상 변화 없음)" in page and "멈춘 제안" in page
    assert "검토 1 / 1건" in page and "이 단계 0일째" in page
    assert "정체된 제안 0건 (30일 이상 변화 없음)" in text_of(manager.get(f"/teams/{cohort.team.id}/board?stalled=30"))
    only_culture = text_of(manager.get(f"/teams/{cohort.team.id}/board?subcommittee={cohort.culture.id}"))
    assert "문화 발표 후보" in only_culture and "멈춘 제안" not in only_culture
    assert "최교수 0" in page  # mentor backlog: the one in review is reviewed


def test_a_manager_moves_a_card_from_the_board(app, cohort):
    proposal = cohort.proposal(Stage.IDEA, title="보드에서 옮길 제안")
    manager = signed_in(app, cohort.people["manager"])
    html = manager.get(f"/teams/{cohort.team.id}/board").get_data(as_text=True)
    assert f'id="move-{proposal.id}"' in html and 'value="develop"' in html
    moved = manager.post(f"/teams/{cohort.team.id}/board/move", data={
        "proposal_id": proposal.id, "action": "develop", "back": f"/teams/{cohort.team.id}/board?stalled=7"})
    assert moved.headers["Location"] == f"/teams/{cohort.team.id}/board?stalled=7#card-{proposal.id}"
    db.session.refresh(proposal)
    assert proposal.stage == Stage.DEVELOPING
    guarded = manager.post(f"/teams/{cohort.team.id}/board/move", data={
        "proposal_id": proposal.id, "action": "submit"}, follow_redirects=True)
    assert "보드에서 옮길 제안: 현황·문제점을 입력해야 제출할 수 있습니다." in text_of(guarded)
    evil = manager.post(f"/teams/{cohort.team.id}/board/move", data={
        "proposal_id": proposal.id, "action": "withdraw", "note": "중복", "back": "//evil.example/x"})
    assert evil.headers["Location"].startswith(f"/teams/{cohort.team.id}/board#card-")
    outsider = signed_in(app, cohort.people["team_member"])  # another subcommittee: may see, may not move
    assert outsider.post(f"/teams/{cohort.team.id}/board/move", data={
        "proposal_id": proposal.id, "action": "reopen", "note": "x"}).status_code == 403


def test_exports_open_in_a_spreadsheet_with_korean_intact(app, cohort):
    cohort.proposal(Stage.DEVELOPING, title="빈집 청년 주택", **READY)
    cohort.proposal(Stage.IDEA, title="=cmd|' /C calc'!A0")
    manager = signed_in(app, cohort.people["manager"])
    xlsx = manager.get(f"/teams/{cohort.team.id}/board.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.freeze_panes == "A2" and sheet["D1"].value == "제목" and sheet.column_dimensions["D"].width >= 20
    titles = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"빈집 청년 주택", "'=cmd|' /C calc'!A0"}  # a formula is written as text
    listed = manager.get("/proposals/export.csv?q=빈집")
    assert listed.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(listed.data.decode("utf-8-sig"))))
    assert rows[0][3] == "제목" and {r[3] for r in rows[1:]} == {"빈집 청년 주택", "빈집있는교?"}
    member = signed_in(app, cohort.people["outsider"])
    assert {r[3] for r in csv.reader(io.StringIO(member.get("/proposals/export.csv").data.decode("utf-8-sig")))} \
        >= {"빈집있는교?"}
    assert "빈집 청년 주택" not in member.get("/proposals/export.csv").data.decode("utf-8-sig")


def test_the_overview_shows_where_cohort_1s_projects_are(app, cohort):
    cohort.proposal(Stage.SELECTED, title="2기 선정작")
    page = text_of(signed_in(app, cohort.people["manager"]).get("/overview"))
    assert "사업 전체 현황" in page
    for title in ("조(組)손(孫)도손 프로젝트", "장수의자", "빈집있는교?", "그린레이싱", "2기 선정작"):
        assert title in page
    assert re.search(r"소소기획단 1기 4 (4 ){6}0 0 0 ", page), page[page.index("기수별"):][:400]  # reached idea … selected


def test_the_overview_counts_a_proposal_sent_back_or_withdrawn_as_having_reached_its_furthest_stage(app, cohort):
    manager = cohort.people["manager"]
    proposal = cohort.proposal(Stage.DEVELOPING, title="되돌아온 제안", **READY)
    for action in ("submit", "request_changes", "withdraw"):
        workflow.move(proposal, action, actor=manager, note="사유")
    db.session.commit()
    assert (proposal.stage, proposal.furthest_stage) == (Stage.WITHDRAWN, Stage.IN_REVIEW)
    page = text_of(signed_in(app, manager).get("/overview"))
    # 2기: one proposal, which reached idea, developing and review, and no further
    assert re.search(r"소소기획단 2기 1 1 1 1 0 0 0 0 0 0 ", page), page[page.index("기수별"):][:400]


def test_the_printable_report_has_the_matrix_charts_and_their_tables(app, cohort):
    cohort.proposal(Stage.DEVELOPING, title="보고서 제안", **READY)
    with clock.travel(datetime(2026, 1, 20, 10, tzinfo=KST)):
        html = signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}/report").get_data(as_text=True)
    assert "현황 보고서: 소소기획단 2기" in html and "<svg" in html and "2025. 12. 31." in html
    assert "2026. 1. 20. 기준" in html
    assert "분과·단계별 제안 수" in html and "수치 표" in html



def _archive(total: int) -> None:
    stages = ["아이디어", "구체화", "멘토 검토", "발표 후보", "최종 선정"]
    rows = [["관리번호", "기수", "분과", "제목", "단계", "제안자"]]
    have = db.session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(Proposal.source_key.like("Q-%")))
    rows += [[f"Q-{n}", "소소기획단 2기", ["청년‧인구", "문화관광", "농‧축산"][n % 3], f"제안 {n}", stages[n % 5],
              "김철수, 이영희"] for n in range(have, total)]
    assert import_ideas(csv_bytes(rows), "many.csv").ok
    db.session.commit()


def test_board_and_overview_take_the_same_queries_for_10_or_1000_proposals(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    pages = [f"/teams/{cohort.team.id}/board", f"/teams/{cohort.team.id}/report", "/overview",
             "/reviews/", f"/teams/{cohort.team.id}/mentors"]
    counts = []
    for total in (10, 1000):
        _archive(total)
        counts.append({url: queries_for(app, manager, url) for url in pages})
    assert counts[0] == counts[1]


def test_odd_query_strings_and_what_mentors_see(app, cohort):
    manager, mentor = signed_in(app, cohort.people["manager"]), signed_in(app, cohort.people["mentor"])
    for url in ("board?team_id=1&fmt=x&_anchor=y", "report?team_id=1", "board.csv?subcommittee=99999999999999999999",
                "board?subcommittee=-1&stalled=abc"):
        assert manager.get(f"/teams/{cohort.team.id}/{url}").status_code == 200, url
    assert "멘토 검토 대기" in text_of(manager.get(f"/teams/{cohort.team.id}/board"))
    assert "멘토 검토 대기" not in text_of(mentor.get(f"/teams/{cohort.team.id}/board"))  # others' loads


def test_the_stalled_list_links_to_all_of_them_in_the_proposal_list(app, cohort):
    for n in range(23):
        cohort.proposal(Stage.DEVELOPING, title=f"멈춘 제안 {n}").updated_at = clock.now() - timedelta(days=20 + n)
    cohort.proposal(Stage.DEVELOPING, title="움직이는 제안")
    cohort.proposal(Stage.SELECTED, title="선정된 제안").updated_at = clock.now() - timedelta(days=90)
    db.session.commit()
    manager = signed_in(app, cohort.people["manager"])
    board = manager.get(f"/teams/{cohort.team.id}/board")
    html = board.get_data(as_text=True)
    assert "정체된 제안 23건" in text_of(board)
    link = re.search(r'<a href="(/proposals/\?[^"]*stalled=14[^"]*)">([^<]+)</a>', html)
    assert link and "23" in link[2], html[html.index("stalled-heading"):][:1500]
    listed = text_of(manager.get(link[1].replace("&amp;", "&")))
    assert "제안 23건" in listed and "움직이는 제안" not in listed and "선정된 제안" not in listed
