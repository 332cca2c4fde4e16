"""Spreadsheet downloads: XLSX (Korean headers, widths, frozen header) or CSV (UTF-8 with BOM),
written by services/exports.py; the file name carries the day of the download."""
from urllib.parse import quote

from flask import Response

from tracker import clock

TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8"}


def spreadsheet(body: bytes, fmt: str, name: str) -> Response:
    filename = f"{name}-{clock.today().isoformat()}.{fmt}"
    return Response(body, content_type=TYPES[fmt], headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"})
