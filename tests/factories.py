"""Files and records the tests build themselves."""
import csv
import io
import json

from openpyxl import Workbook


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def json_bytes(rows: list[list], wrap: bool = False) -> bytes:
    header, *data = rows
    items = [dict(zip(header, row)) for row in data]
    return json.dumps({"ideas": items} if wrap else items, ensure_ascii=False).encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
