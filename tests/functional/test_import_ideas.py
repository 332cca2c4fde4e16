"""The importer as a user meets it: files the tests build, reports, and rows in the database."""
import pytest
import sqlalchemy as sa

from tests.factories import csv_bytes, json_bytes, xlsx_bytes
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import Proposal, ProposalRevision, Stage, StageChange, Team

KOREAN_ROWS = [
    ["기수", "분과", "제목", "요약", "단계", "예산", "제안자", "등록일"],
    ["소소기획단 2기", "청년·인구", "청년 빈집 리모델링", "빈집을 고쳐 청년에게 임대", "아이디어", "150만원", "김민지, 박서준", "2025. 3. 4."],
    ["소소기획단 2기", "농ㆍ축산", "스마트 축사 견학", "우수 농가 벤치마킹", "구체화", "", "이도윤", "2025-04-01"],
    ["소소기획단 2기", "문화관광", "야간 유적 투어", "", "멘토 검토", "3,000,000", "", ""],
]


def titles() -> list[str]:
    return sorted(db.session.scalars(sa.select(Proposal.title)))


def run(data: bytes, filename: str, **options):
    report = import_ideas(data, filename, **options)
    db.session.commit()
    return report


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_in_every_korean_encoding(programme, encoding):
    report = run(csv_bytes(KOREAN_ROWS, encoding), "ideas.csv")
    assert (report.created, report.rejected, report.errors) == (3, 0, [])
    assert titles().count("청년 빈집 리모델링") == 1
    youth = db.session.scalar(sa.select(Proposal).where(Proposal.title == "청년 빈집 리모델링"))
    assert youth.subcommittee.key == "youth_population"
    assert youth.budget_krw == 1_500_000
    assert youth.author_names == ["김민지", "박서준"]
    assert youth.created_on.isoformat() == "2025-03-04"
    assert youth.stage is Stage.IDEA


def test_semicolon_separated_csv(programme):
    report = run(csv_bytes(KOREAN_ROWS, delimiter=";"), "ideas.csv")
    assert report.created == 3


@pytest.mark.parametrize("build, filename", [
    (lambda rows: json_bytes(rows), "ideas.json"),
    (lambda rows: json_bytes(rows, wrap=True), "ideas.json"),
    (xlsx_bytes, "ideas.xlsx"),
])
def test_json_and_xlsx(programme, build, filename):
    report = run(build(KOREAN_ROWS), filename)
    assert (report.created, report.rejected) == (3, 0)
    stages = dict(db.session.execute(sa.select(Proposal.title, Proposal.stage)).all())
    assert stages["야간 유적 투어"] is Stage.IN_REVIEW
    assert stages["스마트 축사 견학"] is Stage.DEVELOPING


def test_english_headers_in_another_order_with_english_names(programme):
    rows = [
        ["stage", "Title", "subcommittee", "team", "budget", "expected_effect", "department"],
        ["in review", "Night heritage tour", "Culture and tourism", "소소기획단 2기", "1000000", "More visitors", "관광컨벤션과"],
        ["Idea", "Smart barn visit", "agriculture & livestock", "소소기획단 2기", "", "", ""],
    ]
    report = run(csv_bytes(rows), "ideas.csv")
    assert (report.created, report.rejected) == (2, 0)
    tour = db.session.scalar(sa.select(Proposal).where(Proposal.title == "Night heritage tour"))
    assert (tour.stage, tour.subcommittee.key, tour.expected_effect, tour.department) == (
        Stage.IN_REVIEW, "culture_tourism", "More visitors", "관광컨벤션과")


@pytest.mark.parametrize("written", ["청년‧인구", "청년·인구", "청년ㆍ인구", "청년・인구", "청년/인구", "청년 인구", "  청년 · 인구 "])
def test_subcommittee_separator_variants(programme, written):
    rows = [["기수", "분과", "제목"], ["소소기획단 2기", written, "청년 정착 지원"]]
    report = run(csv_bytes(rows), "ideas.csv")
    assert report.created == 1
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "청년 정착 지원"))
    assert proposal.subcommittee.name_ko == "청년\u2027인구"


BAD_ROWS = [
    ["기수", "분과", "제목", "단계", "예산", "등록일", "색깔"],
    ["소소기획단 2기", "청년·인구", "좋은 행", "아이디어", "", "", "파랑"],
    ["소소기획단 2기", "관광경제", "분과가 틀린 행", "아이디어", "", "", ""],
    ["소소기획단 2기", "문화관광", "", "아이디어", "", "", ""],
    ["소소기획단 2기", "문화관광", "단계가 틀린 행", "보류", "많이", "2025-13-40", ""],
    ["소소기획단 9기", "문화관광", "없는 기수", "아이디어", "", "", ""],
]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(programme):
    before = titles()
    report = run(csv_bytes(BAD_ROWS), "bad.csv")
    assert not report.written and titles() == before
    assert report.rejected == 4
    by_row = {}
    for error in report.errors:
        by_row.setdefault(error.row, []).append((error.column, error.message))
    assert sorted(by_row) == [3, 4, 5, 6]
    assert "관광경제" in by_row[3][0][1] and by_row[3][0][0] == "분과/subcommittee"
    assert by_row[4] == [("제목", "제목이 비어 있습니다.")]
    assert {column for column, _ in by_row[5]} == {"단계", "예산", "등록일"}
    assert "기수가 없습니다" in by_row[6][0][1] and "--" not in by_row[6][0][1]  # no command-line words on a page
    assert report.unknown_columns == ["색깔"]


def test_skip_invalid_writes_the_good_rows(programme):
    report = run(csv_bytes(BAD_ROWS), "bad.csv", skip_invalid=True)
    assert report.written and (report.created, report.rejected) == (1, 4)
    assert "좋은 행" in titles() and "분과가 틀린 행" not in titles()


def test_a_new_team_only_with_the_flag(programme):
    rows = [["기수", "분과", "제목"], ["소소기획단 3기", "지역경제", "골목상권 지도"]]
    refused = run(csv_bytes(rows), "ideas.csv")
    assert refused.rejected == 1 and db.session.scalar(sa.select(Team).where(Team.cohort == 3)) is None
    created = run(csv_bytes(rows), "ideas.csv", create_teams=True)
    assert created.teams_created == ["소소기획단 3기"] and created.created == 1
    team = db.session.scalar(sa.select(Team).where(Team.cohort == 3))
    assert [s.key for s in team.subcommittees] == [
        "youth_population", "culture_tourism", "agriculture_livestock", "local_economy"]


def test_team_option_for_files_without_a_team_column(programme):
    rows = [["제목", "요약"], ["골목상권 지도", "상점 지도"]]
    assert run(csv_bytes(rows), "ideas.csv").rejected == 1
    report = run(csv_bytes(rows), "ideas.csv", team="2기")
    assert report.created == 1
    assert db.session.scalar(sa.select(Proposal).where(Proposal.title == "골목상권 지도")).team.cohort == 2


def test_the_same_idea_twice_in_one_file_is_an_error(programme):
    rows = [["기수", "제목"], ["소소기획단 2기", "골목상권 지도"], ["소소기획단 2기", "골목상권 지도"]]
    report = run(csv_bytes(rows), "ideas.csv")
    assert report.rejected == 1 and report.errors[0].row == 3 and "2행" in report.errors[0].message


def test_reimport_is_idempotent_and_a_changed_row_updates_with_history(programme):
    run(csv_bytes(KOREAN_ROWS), "ideas.csv")
    counts = _row_counts()
    again = run(csv_bytes(KOREAN_ROWS), "ideas.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _row_counts() == counts

    changed = [row[:] for row in KOREAN_ROWS]
    changed[1][3] = "빈집을 고쳐 청년 창업 공간으로"
    changed[1][4] = "최종 선정"
    report = run(csv_bytes(changed), "ideas-v2.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "청년 빈집 리모델링"))
    assert proposal.summary == "빈집을 고쳐 청년 창업 공간으로" and proposal.stage is Stage.SELECTED
    revision = db.session.scalar(sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id))
    assert revision.changes == {"summary": ["빈집을 고쳐 청년에게 임대", "빈집을 고쳐 청년 창업 공간으로"]}
    moves = db.session.execute(sa.select(StageChange.from_stage, StageChange.to_stage)
                               .where(StageChange.proposal_id == proposal.id).order_by(StageChange.id)).all()
    assert moves == [(None, Stage.IDEA), (Stage.IDEA, Stage.SELECTED)]


def test_dry_run_reports_the_same_and_writes_nothing(programme):
    counts = _row_counts()
    dry = run(csv_bytes(KOREAN_ROWS), "ideas.csv", dry_run=True)
    assert (dry.created, dry.rejected, dry.written) == (3, 0, False)
    assert _row_counts() == counts
    new_team = [["기수", "제목"], ["소소기획단 5기", "새 아이디어"]]
    dry_team = run(csv_bytes(new_team), "ideas.csv", dry_run=True, create_teams=True)
    assert dry_team.teams_created == ["소소기획단 5기"] and _row_counts() == counts


@pytest.mark.parametrize("data, filename, message", [
    (b"", "ideas.csv", "빈 파일"),
    (b"\x00\x01\x02garbage", "ideas.xlsx", "XLSX"),
    (b'{"ideas": 5}', "ideas.json", "JSON"),
    (b"[1, 2", "ideas.json", "JSON"),
    ("요약,비고\n내용,없음\n".encode(), "ideas.csv", "제목 열"),
    (b"a,b", "ideas.txt", "CSV, JSON, XLSX"),
])
def test_unreadable_files_get_one_clear_message(programme, data, filename, message):
    report = run(data, filename)
    assert report.file_error and message in report.file_error and not report.written


def _row_counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Team, Proposal, StageChange, ProposalRevision)}


def test_one_new_team_written_two_ways_is_created_once(programme):
    rows = [["기수", "제목"], ["3기", "골목상권 지도"], ["소소기획단 3기", "야시장"], ["소소기획단 제3기", "골목상권 지도"]]
    dry = run(csv_bytes(rows), "ideas.csv", create_teams=True, dry_run=True, skip_invalid=True)
    assert dry.teams_created == ["소소기획단 3기"] and dry.created == 2
    assert dry.rejected == 1 and dry.errors[0].row == 4  # the same idea twice, however the team is written
    report = run(csv_bytes(rows[:3]), "ideas.csv", create_teams=True)
    assert report.ok and report.created == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Team).where(Team.cohort == 3)) == 1


def test_an_existing_team_written_two_ways_still_catches_duplicates(programme):
    rows = [["기수", "제목", "요약"], ["2기", "야시장", "첫 번째"], ["소소기획단 2기", "야시장", "두 번째"]]
    report = run(csv_bytes(rows), "ideas.csv")
    assert report.rejected == 1 and "2행" in report.errors[0].message


def test_a_cohort_number_that_fits_two_programmes_is_ambiguous(programme):
    from tracker.services.teams import create_team

    create_team("청년정책단", 2)
    db.session.commit()
    rows = [["기수", "제목"], ["2기", "야시장"], ["청년정책단 2기", "청년 카페"]]
    report = run(csv_bytes(rows), "ideas.csv", create_teams=True)
    assert report.rejected == 1 and "여러 개입니다" in report.errors[0].message
    assert "소소기획단 2기" in report.errors[0].message and "청년정책단 2기" in report.errors[0].message


@pytest.mark.parametrize("cell, column", [
    ("100000000000000억", "예산"),
    ("1.5", "예산"),
    ("김" * 101, "제안자"),
    ("제목" * 101, "제목"),
    ("줄\x07바꿈", "제목"),
])
def test_values_the_database_cannot_hold_are_row_errors(programme, cell, column):
    header = ["기수", "제목", "예산", "제안자"]
    row = ["소소기획단 2기", "정상 제목", "", ""]
    row[header.index(column)] = cell
    report = run(csv_bytes([header, row]), "ideas.csv")
    assert report.rejected == 1 and report.errors[0].column == column and not report.written


def test_json_infinity_budget_is_a_row_error(programme):
    report = run(b'[{"team": "2\\uae30", "title": "x", "budget": Infinity}]', "ideas.json")
    assert report.rejected == 1 and report.errors[0].column == "budget"


def test_xlsx_numbers_and_dates_are_read_as_a_person_typed_them(programme):
    from datetime import datetime

    rows = [["관리번호", "기수", "제목", "예산", "등록일"],
            [7, "소소기획단 2기", "숫자 관리번호", 2500000, datetime(2025, 4, 2)]]
    assert run(xlsx_bytes(rows), "ideas.xlsx").created == 1
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "숫자 관리번호"))
    assert (proposal.source_key, proposal.budget_krw, proposal.created_on.isoformat()) == ("7", 2_500_000, "2025-04-02")
    again = run(csv_bytes([["관리번호", "기수", "제목"], ["7", "소소기획단 2기", "숫자 관리번호"]]), "ideas.csv")
    assert (again.created, again.unchanged) == (0, 1)


def test_tabs_blank_lines_and_multiline_cells(programme):
    text = ("기수\t제목\t제안내용\n"
            "소소기획단 2기\t야시장\t\"첫 줄; 세미콜론\n둘째 줄, 쉼표\"\n"
            "\t\t\n"
            "소소기획단 2기\t청년 카페\t\n")
    report = run(text.encode("utf-8"), "ideas.csv")
    assert (report.created, report.rejected) == (2, 0)
    assert db.session.scalar(sa.select(Proposal.proposal_text).where(Proposal.title == "야시장")) == \
        "첫 줄; 세미콜론\n둘째 줄, 쉼표"


def test_quotes_and_commas_inside_cells_survive(programme):
    title = '"따옴표" 들어간, 제목'
    rows = [["기수", "제목", "비고"], ["소소기획단 2기", title, 'alert("x"); a, b']]
    assert run(csv_bytes(rows), "ideas.csv").created == 1
    assert db.session.scalar(sa.select(Proposal.notes).where(Proposal.title == title)) == 'alert("x"); a, b'
