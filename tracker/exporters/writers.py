"""Writers: proposals -> CSV (UTF-8 with BOM, for Excel), JSON or XLSX, by the file's extension.

The columns are the importer's own Korean headers, so an export imports back to the same records.
Cells that a spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe;
the importer removes it again.
"""
import csv
import io
import json
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
import xlsxwriter

from tracker.extensions import db
from tracker.models import Proposal, ProposalAuthor, Subcommittee, Team, User
from tracker.vocabulary import IDEA_HEADERS, STAGE_LABELS

COLUMNS = ("source_key", "team", "subcommittee", "title", "summary", "problem", "proposal_text",
           "expected_effect", "beneficiaries", "budget_krw", "department", "stage", "authors",
           "notes", "created_on")
_PLAIN = tuple(c for c in COLUMNS if c not in ("team", "subcommittee", "authors"))  # the proposal's own columns
HEADERS = [IDEA_HEADERS[c][0] for c in COLUMNS]
_WIDTHS = {"title": 30, "summary": 40, "problem": 40, "proposal_text": 40, "expected_effect": 40,
           "notes": 30, "team": 16, "subcommittee": 16, "department": 16}


def rows_of(query: sa.Select) -> list[dict]:
    """The rows of the proposals ``query`` (a ``select(Proposal)``) chooses, in its order: read as
    plain columns in two queries, since building 10,000 objects costs more than writing the file."""
    team = sa.select(Team.name).where(Team.id == Proposal.team_id).scalar_subquery()
    subcommittee = sa.select(Subcommittee.name_ko).where(Subcommittee.id == Proposal.subcommittee_id).scalar_subquery()
    fields = [getattr(Proposal, c) for c in _PLAIN]
    found = db.session.execute(query.with_only_columns(Proposal.id, team, subcommittee, *fields)).all()
    authors = defaultdict(list)
    for proposal_id, name in db.session.execute(
            sa.select(ProposalAuthor.proposal_id, sa.func.coalesce(User.name, ProposalAuthor.name, ""))
            .outerjoin(User, User.id == ProposalAuthor.user_id)
            .where(ProposalAuthor.proposal_id.in_(query.with_only_columns(Proposal.id).order_by(None)))
            .order_by(ProposalAuthor.proposal_id, ProposalAuthor.position, ProposalAuthor.id)):
        authors[proposal_id].append(name)
    rows = []
    for proposal_id, team_name, subcommittee_name, *values in found:
        row = dict(zip(_PLAIN, values))
        row.update(source_key=row["source_key"] or "", team=team_name, subcommittee=subcommittee_name or "",
                   stage=STAGE_LABELS[row["stage"]][0], authors=", ".join(authors[proposal_id]))
        rows.append(row)
    return rows


XLSX_CELL_LIMIT = 32_767  # characters a spreadsheet cell holds
CUT_MARK = " …[이 칸에 다 들어가지 않아 잘렸습니다. 전체 내용은 CSV 파일에 있습니다.]"


def _xlsx_cell(value):
    value = _cell(value)
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        return value[:XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK  # said in the cell, not cut in silence
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_csv(rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def write_json(rows: list[dict]) -> bytes:
    ideas = [{h: (row[c].isoformat() if isinstance(row[c], date) else row[c])
              for h, c in zip(HEADERS, COLUMNS)} for row in rows]
    return json.dumps({"ideas": ideas}, ensure_ascii=False, indent=2).encode("utf-8")


def write_xlsx(rows: list[dict]) -> bytes:
    return write_table_xlsx("제안", HEADERS, [[row[c] for c in COLUMNS] for row in rows],
                            widths=[_WIDTHS.get(c, 12) for c in COLUMNS])


def write_table_xlsx(sheet_name: str, headers: list[str], rows: list[list], widths: list[int] | None = None) -> bytes:
    """Any table as XLSX, the header row frozen (each column 18 characters wide unless ``widths`` says)."""
    out = io.BytesIO()
    # text stays text: no formulas, links or numbers made of what people typed
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name[:31])
    for index, width in enumerate(widths or [18] * len(headers)):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [_xlsx_cell(value) for value in row])
    book.close()
    return out.getvalue()


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}

