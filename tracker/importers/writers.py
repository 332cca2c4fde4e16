"""Writers: proposals -> CSV (UTF-8 with BOM, for Excel), JSON or XLSX, by the file's extension.

The columns are the importer's own Korean headers, so an export imports back to the same records.
Cells that a spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe;
the importer removes it again.
"""
import csv
import io
import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tracker.importers.mapping import HEADER_ALIASES
from tracker.importers.readers import file_format
from tracker.models import Proposal, Team
from tracker.services import archive
from tracker.vocabulary import STAGE_LABELS

COLUMNS = ("source_key", "team", "subcommittee", "title", "summary", "problem", "proposal_text",
           "expected_effect", "beneficiaries", "budget_krw", "department", "stage", "authors",
           "notes", "created_on")
HEADERS = [HEADER_ALIASES[c][0] for c in COLUMNS]
_WIDTHS = {"title": 30, "summary": 40, "problem": 40, "proposal_text": 40, "expected_effect": 40,
           "notes": 30, "team": 16, "subcommittee": 16, "department": 16}


def proposal_rows(team: Team | None = None) -> list[dict]:
    return rows_of(archive.proposals_for_export(team))


def rows_of(proposals: list[Proposal]) -> list[dict]:
    return [_row(p) for p in proposals]


def _row(p: Proposal) -> dict:
    return {
        "source_key": p.source_key or "",
        "team": p.team.name,
        "subcommittee": p.subcommittee.name_ko if p.subcommittee else "",
        "title": p.title,
        "summary": p.summary,
        "problem": p.problem,
        "proposal_text": p.proposal_text,
        "expected_effect": p.expected_effect,
        "beneficiaries": p.beneficiaries,
        "budget_krw": p.budget_krw,
        "department": p.department,
        "stage": STAGE_LABELS[p.stage][0],
        "authors": ", ".join(p.author_names),
        "notes": p.notes,
        "created_on": p.created_on,
    }


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
    book = Workbook(write_only=True)
    sheet = book.create_sheet("제안")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column, 12)
    sheet.freeze_panes = "A2"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([_cell(row[c]) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}


def export_ideas(path: str | Path, team: Team | None = None) -> int:
    """Write the archive (or one team's proposals) to ``path``; returns the number of records."""
    path = Path(path)
    writer = WRITERS[file_format(path.name)]
    rows = proposal_rows(team)
    path.write_bytes(writer(rows))
    return len(rows)
