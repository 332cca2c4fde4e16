"""`flask tracker ...` as an official runs it, and the export -> import round trip."""
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import csv_bytes
from tracker.extensions import db
from tracker.exporters.writers import HEADERS
from tracker.models import Proposal, Stage, Subcommittee, Team

ROWS = [
    ["기수", "분과", "제목", "요약", "현황", "제안내용", "기대효과", "대상", "예산", "담당부서", "단계", "제안자", "비고", "등록일"],
    ["소소기획단 2기", "지역경제 활성화", "골목상권 지도", "상점 지도 제작", "상권 정보 부족", "지도 제작\n배포",
     "방문객 증가", "소상공인", "2,500,000", "일자리경제과", "발표 후보", "최유진, 정하늘", "=1+1 수식처럼 보이는 비고", "2025-05-02"],
    ["소소기획단 2기", "", '빈 분과 "따옴표" 아이디어', "", "", "", "", "", "", "", "아이디어", "", "a, b; c", ""],
]


def snapshot() -> list[tuple]:
    proposals = db.session.scalars(sa.select(Proposal).order_by(Proposal.title)).all()
    return [(p.team.name, p.subcommittee.name_ko if p.subcommittee else None, p.title, p.summary,
             p.problem, p.proposal_text, p.expected_effect, p.beneficiaries, p.budget_krw,
             p.department, p.stage, tuple(p.author_names), p.notes, p.created_on, p.source_key)
            for p in proposals]


def wipe():
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_records(programme, runner, tmp_path, suffix):
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes(ROWS))
    assert runner.invoke(args=["tracker", "import-ideas", str(source)]).exit_code == 0
    before = snapshot()
    assert len(before) == 6

    exported = tmp_path / f"out.{suffix}"
    result = runner.invoke(args=["tracker", "export-ideas", str(exported)])
    assert result.exit_code == 0 and "6건" in result.output
    wipe()
    result = runner.invoke(args=["tracker", "import-ideas", str(exported), "--create-teams"])
    assert result.exit_code == 0, result.output
    assert snapshot() == before


def test_csv_export_opens_in_excel_as_korean_with_formulas_neutralised(programme, runner, tmp_path):
    out = tmp_path / "out.csv"
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes(ROWS))
    runner.invoke(args=["tracker", "import-ideas", str(source)])
    runner.invoke(args=["tracker", "export-ideas", str(out)])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    assert "'=1+1 수식처럼 보이는 비고" in text and "빈집있는교?" in text


def test_xlsx_export_has_korean_headers_and_a_frozen_header_row(programme, runner, tmp_path):
    out = tmp_path / "out.xlsx"
    runner.invoke(args=["tracker", "export-ideas", str(out), "--team", "소소기획단 1기"])
    sheet = load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["관리번호", "기수", "분과", "제목"]
    assert sheet.freeze_panes == "A2"
    assert sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True)) == sorted(
        ["조(組)손(孫)도손 프로젝트", "장수의자", "빈집있는교?", "그린레이싱"])


def test_cli_report_is_korean_and_the_exit_status_tells_rejections(programme, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["기수", "제목", "단계"], ["소소기획단 2기", "좋은 행", "아이디어"],
                               ["소소기획단 2기", "틀린 행", "보류"]]))
    result = runner.invoke(args=["tracker", "import-ideas", str(bad)])
    assert result.exit_code == 1
    assert "3행, 단계: 알 수 없는 단계입니다: “보류”." in result.output
    assert "아무것도 저장하지 않았습니다" in result.output
    assert db.session.scalar(sa.select(Proposal).where(Proposal.title == "좋은 행")) is None

    dry = runner.invoke(args=["tracker", "import-ideas", str(bad), "--dry-run", "--skip-invalid"])
    assert dry.exit_code == 1 and "새로 등록 1건" in dry.output and "점검만 했습니다" in dry.output
    assert db.session.scalar(sa.select(Proposal).where(Proposal.title == "좋은 행")) is None

    partial = runner.invoke(args=["tracker", "import-ideas", str(bad), "--skip-invalid"])
    assert partial.exit_code == 1 and "거부 1건" in partial.output
    assert db.session.scalar(sa.select(Proposal).where(Proposal.title == "좋은 행")) is not None


def test_programme_data_is_loaded_once(app, runner):
    first = runner.invoke(args=["tracker", "load-programme"])
    second = runner.invoke(args=["tracker", "load-programme"])
    assert first.exit_code == second.exit_code == 0
    assert "새로 등록 4건" in first.output and "변경 없음 4건" in second.output
    with app.app_context():
        teams = {t.name: t for t in db.session.scalars(sa.select(Team))}
        assert set(teams) == {"소소기획단 1기", "소소기획단 2기"}
        assert teams["소소기획단 1기"].status.value == "archived"
        cohort2 = teams["소소기획단 2기"]
        assert (cohort2.status.value, cohort2.kickoff_on.isoformat(), cohort2.presentation_on.month) == (
            "active", "2025-02-28", 10)
        assert [s.name_ko for s in cohort2.subcommittees] == ["청년\u2027인구", "문화관광", "농\u2027축산", "지역경제 활성화"]
        cohort1 = db.session.execute(
            sa.select(Proposal.title, Proposal.stage, Subcommittee.key)
            .outerjoin(Proposal.subcommittee).where(Proposal.team_id == teams["소소기획단 1기"].id)).all()
        assert sorted(cohort1) == sorted([
            ("조(組)손(孫)도손 프로젝트", Stage.SELECTED, "youth_population"),
            ("장수의자", Stage.SELECTED, "youth_population"),
            ("빈집있는교?", Stage.SELECTED, "youth_population"),
            ("그린레이싱", Stage.SELECTED, None),
        ])


def test_load_programme_keeps_later_edits(app, runner):
    assert runner.invoke(args=["tracker", "load-programme"]).exit_code == 0
    with app.app_context():
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "장수의자"))
        proposal.summary = "어르신 쉼터 의자 설치"
        db.session.commit()
    assert runner.invoke(args=["tracker", "load-programme"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(Proposal.summary).where(Proposal.title == "장수의자")) == "어르신 쉼터 의자 설치"


def test_edit_team_dates(programme, runner):
    result = runner.invoke(args=["tracker", "edit-team", "2기", "--presentation-date", "2025-10-21"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Team.presentation_on).where(Team.cohort == 2)).isoformat() == "2025-10-21"
    refused = runner.invoke(args=["tracker", "edit-team", "2기", "--presentation-date", "2025-01-01"])
    assert refused.exit_code != 0 and "발대식보다 앞설 수 없습니다" in refused.output
    missing = runner.invoke(args=["tracker", "edit-team", "9기", "--status", "archived"])
    assert missing.exit_code != 0 and "없습니다" in missing.output



def test_unknown_columns_are_reported_by_the_cli(programme, runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes([["기수", "제목", "담당자 연락처"], ["소소기획단 2기", "야시장", "010"]]))
    result = runner.invoke(args=["tracker", "import-ideas", str(source)])
    assert result.exit_code == 0 and "알 수 없는 열은 무시했습니다: 담당자 연락처" in result.output


def test_export_to_a_missing_folder_is_a_clear_error(programme, runner, tmp_path):
    result = runner.invoke(args=["tracker", "export-ideas", str(tmp_path / "no" / "such" / "out.csv")])
    assert result.exit_code != 0 and "쓸 수 없습니다" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_text_longer_than_a_spreadsheet_cell_says_so_in_the_xlsx_and_is_whole_in_the_csv(programme, runner, tmp_path):
    long_text = "빈집 활용 방안을 자세히 적습니다. " * 2_500  # 50,000 characters; a cell holds 32,767
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집있는교?"))
    proposal.proposal_text = long_text
    db.session.commit()
    runner.invoke(args=["tracker", "export-ideas", str(tmp_path / "out.xlsx"), "--team", "소소기획단 1기"])
    runner.invoke(args=["tracker", "export-ideas", str(tmp_path / "out.csv"), "--team", "소소기획단 1기"])
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    cell = next(row[HEADERS.index("제안내용")] for row in sheet.iter_rows(min_row=2, values_only=True)
                if row[3] == "빈집있는교?")
    assert len(cell) == 32_767 and cell.endswith("전체 내용은 CSV 파일에 있습니다.]")
    assert long_text.strip() in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
