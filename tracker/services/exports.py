"""Spreadsheet files of the archive: a filtered proposal list (the list's and the board's
downloads; the dated file name is made by the view) and the command line's export."""
from pathlib import Path

from tracker.exporters.writers import WRITERS, rows_of, write_table_xlsx
from tracker.models import Team
from tracker.services.deadlines import ReportRow
from tracker.services.proposals import queries
from tracker.vocabulary import STAGE_LABELS

REPORT_HEADERS = ["번호", "기수", "제목", "담당부서", "부서 담당자", "이관일", "회신 기한", "결정", "결정일", "추진 계획",
                  "완료 예정일", "예정일 변경", "추진율(%)", "최근 갱신", "기한 지남"]


def proposals_file(filters: queries.ProposalFilter, viewer, fmt: str) -> bytes:
    return WRITERS[fmt](rows_of(queries.matching_query(filters, viewer)))


def export_ideas(path: str | Path, fmt: str, team: Team | None = None) -> int:
    """Write the archive (or one team's proposals) to ``path`` as ``fmt`` (csv, json, xlsx);
    returns the number of records."""
    rows = rows_of(queries.export_query(team))
    Path(path).write_bytes(WRITERS[fmt](rows))
    return len(rows)


def implementation_report_file(rows: list[ReportRow], year: int) -> bytes:
    """The yearly implementation report as XLSX (Korean headers, as the printed one)."""
    table = [[r.proposal.id, r.proposal.team.name, r.proposal.title, r.handoff.department,
              r.handoff.liaison.name if r.handoff.liaison else "", r.handoff.shared_on, r.due.answer_by,
              STAGE_LABELS[r.proposal.stage][0], r.handoff.decided_on or "", r.handoff.plan or "",
              r.handoff.planned_completion_on or "", " / ".join(r.delays), r.handoff.progress,
              r.handoff.updated_at.date(), " / ".join(r.due.late)] for r in rows]
    return write_table_xlsx(f"{year}년 추진 보고", REPORT_HEADERS, table)
