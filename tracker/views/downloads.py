"""Spreadsheet downloads: XLSX (Korean headers, widths, frozen header) or CSV (UTF-8 with BOM)."""
from datetime import date
from urllib.parse import quote

from flask import Response

from tracker.importers.writers import rows_of, write_csv, write_xlsx

TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8"}


def spreadsheet(proposals, fmt: str, name: str) -> Response:
    rows = rows_of(proposals)
    body = write_xlsx(rows) if fmt == "xlsx" else write_csv(rows)
    filename = f"{name}-{date.today().isoformat()}.{fmt}"
    return Response(body, mimetype=TYPES[fmt], headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"})
