"""Readers: bytes of a CSV, JSON or XLSX file -> header names and numbered rows of raw values.

Row numbers are what a person sees: the header is row 1 in CSV and XLSX, so the first record is
row 2; JSON items are numbered from 1.
"""
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter
from charset_normalizer import from_bytes
from flask_babel import gettext as _

from tracker.importers.records import FileProblem

FORMATS = ("csv", "json", "xlsx")


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, dict]]


def file_format(filename: str) -> str:
    fmt = Path(filename).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise FileProblem(_("Unsupported file type “%(ext)s”: use CSV, JSON or XLSX.", ext=fmt or "?"))
    return fmt


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP949/EUC-KR as Korean office software writes it, else
    whatever charset-normalizer finds most plausible."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise FileProblem(_("The file's text encoding could not be recognised. Save it as UTF-8 CSV."))
    return str(best)


def read_table(data: bytes, filename: str) -> Table:
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    reader = {"csv": _read_csv, "json": _read_json, "xlsx": _read_xlsx}[file_format(filename)]
    return reader(data)


def _read_csv(data: bytes) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise FileProblem(_("The file is not a text CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text))
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    except csv.Error as exc:
        raise _csv_problem(exc, 1) from None

    def rows():
        row_no = 1
        try:
            for cells in reader:
                row_no += 1
                yield row_no, dict(zip(headers, cells, strict=False))
        except csv.Error as exc:
            raise _csv_problem(exc, row_no + 1) from None

    return Table(headers, rows())


def _csv_problem(error: csv.Error, row: int) -> FileProblem:
    if "field larger than field limit" in str(error):  # the csv module's only hint of which error
        return FileProblem(_("Row %(row)d holds a cell longer than %(limit)s characters; no field "
                             "is that long. Check the row's quotes.", row=row,
                             limit=f"{csv.field_size_limit():,}"))
    return FileProblem(_("The CSV file is broken near row %(row)d: %(error)s", row=row, error=str(error)))


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab, as the header line shows (quoted cells further down may hold any
    of them). Only the delimiter is taken from the guess: quoting stays Excel's."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_json(data: bytes) -> Table:
    try:
        document = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise FileProblem(_("The JSON file is broken at line %(line)d, column %(column)d.",
                            line=exc.lineno, column=exc.colno)) from None
    except (RecursionError, ValueError):  # lists nested thousands deep, a number of 4,300+ digits
        raise FileProblem(_("The JSON file cannot be read: it holds lists nested too deeply or a "
                            "number thousands of digits long.")) from None
    items = document.get("ideas") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise FileProblem(_('A JSON file must hold a list of ideas, or {"ideas": [...]}.'))
    headers: list[str] = []
    for item in items:
        if isinstance(item, dict):
            headers.extend(k for k in item if k not in headers)

    def rows():
        for number, item in enumerate(items, start=1):
            yield number, item if isinstance(item, dict) else {None: item}

    return Table(headers, rows())


# What a spreadsheet may declare and hold, checked before anything is parsed: a small file can
# declare a sheet 16,384 columns wide or pack a gigabyte of text.
XLSX_MAX_PART_BYTES = 50 * 2**20  # any one part unpacked (a sheet, the shared strings)
XLSX_MAX_COLUMNS = 200
XLSX_MAX_ROWS = 100_001  # the header and 100,000 ideas
XLSX_MAX_CELL = 32_767  # characters: Excel's own limit for a cell
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
# a formula (<f>…</f> or <f …/>) with no value, or an empty one, before its cell ends
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


def _read_xlsx(data: bytes) -> Table:
    unsaved_formulas = _check_xlsx_size(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        values = book.worksheets[0].iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
        header_row = next(values, None)
    except Exception:  # openpyxl, zipfile, zlib and XML each fail their own way on a damaged file
        raise _unreadable_xlsx() from None
    if header_row is None:
        raise FileProblem(_("The file is empty."))
    headers = ["" if h is None else str(h).strip() for h in header_row]
    # a formula saved without its value is rare: only then is the sheet read a second time, for its formulas
    formulas = _sheet_rows(data, data_only=False) if unsaved_formulas else None
    if formulas is not None:
        next(formulas, None)

    def rows():
        try:
            for row_no, cells in enumerate(values, start=2):
                if row_no > XLSX_MAX_ROWS:
                    raise FileProblem(_("The sheet has more than %(limit)s rows; split it into several files.",
                                        limit=f"{XLSX_MAX_ROWS - 1:,}"))
                _refuse_long_cells(row_no, cells)
                if formulas is not None:
                    _refuse_unsaved_formulas(row_no, cells, next(formulas, ()))
                yield row_no, dict(zip(headers, cells, strict=False))
        except FileProblem:
            raise
        except Exception:  # the sheet is read as the rows are: damage may show only here
            raise _unreadable_xlsx() from None
        finally:
            book.close()

    return Table(headers, rows())


def _check_xlsx_size(data: bytes) -> bool:
    """Refuse a workbook that unpacks too large or declares a sheet too wide or too long, before
    it is parsed; returns whether a sheet holds a formula saved without its value."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except Exception:  # not a zip, or one zipfile cannot open (a newer version, encrypted)
        raise _unreadable_xlsx() from None
    too_big = next((p for p in parts if p.file_size > XLSX_MAX_PART_BYTES), None)
    if too_big is None and sum(p.file_size for p in parts) > 4 * XLSX_MAX_PART_BYTES:
        too_big = parts[0]
    if too_big is not None:
        raise FileProblem(_("The spreadsheet unpacks to more than %(limit)d MB (%(part)s); the tracker "
                            "reads sheets of up to %(limit)d MB.", limit=XLSX_MAX_PART_BYTES // 2**20,
                            part=too_big.filename))
    unsaved = False
    for part in parts:
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        try:
            with archive.open(part) as sheet:
                start = sheet.read(4096)
                declared = _DIMENSION.search(start)
                if declared:
                    _refuse_declared_size(declared)
                unsaved = unsaved or bool(_FORMULA_WITHOUT_VALUE.search(start + sheet.read()))
        except FileProblem:
            raise
        except Exception:  # a damaged part: zipfile and zlib each fail their own way
            raise _unreadable_xlsx() from None
    return unsaved


def _refuse_declared_size(declared: re.Match) -> None:
    last_column = (declared.group(3) or declared.group(1) or b"").decode()
    last_row = (declared.group(4) or declared.group(2) or b"").decode()
    if last_column and column_index_from_string(last_column) > XLSX_MAX_COLUMNS:
        raise FileProblem(_("The sheet is declared %(count)s columns wide (up to column %(column)s); the tracker "
                            "reads up to %(limit)d columns. Delete the empty columns and save it again.",
                            count=f"{column_index_from_string(last_column):,}", column=last_column,
                            limit=XLSX_MAX_COLUMNS))
    if last_row and int(last_row) > XLSX_MAX_ROWS:
        raise FileProblem(_("The sheet has more than %(limit)s rows; split it into several files.",
                            limit=f"{XLSX_MAX_ROWS - 1:,}"))


def _refuse_long_cells(row_no: int, cells: tuple) -> None:
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str) and len(value) > XLSX_MAX_CELL:
            raise FileProblem(_("Cell %(cell)s holds %(count)s characters; a cell may hold up to %(limit)s.",
                                cell=f"{get_column_letter(column)}{row_no}", count=f"{len(value):,}",
                                limit=f"{XLSX_MAX_CELL:,}"))


def _sheet_rows(data: bytes, *, data_only: bool) -> Iterator[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        yield from book.worksheets[0].iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
    finally:
        book.close()


def _refuse_unsaved_formulas(row_no: int, cells: tuple, formula_cells: tuple) -> None:
    """A formula whose result was never saved (a file written by a program, not a spreadsheet)
    reads as an empty cell: refuse the file rather than import rows with values missing."""
    for column, (value, formula) in enumerate(zip(cells, formula_cells), start=1):
        if value is None and formula is not None:
            raise FileProblem(_(
                "Cell %(cell)s holds a formula whose result was never saved, so its value cannot "
                "be read. Open the file in a spreadsheet program and save it again.",
                cell=f"{get_column_letter(column)}{row_no}"))


def _unreadable_xlsx() -> FileProblem:
    return FileProblem(_("The XLSX file could not be opened. Save it again from the spreadsheet "
                         "program as an Excel workbook (.xlsx)."))
