"""Mapping: raw rows -> IdeaRecords, with every problem collected as a RowError.

Headers are matched in Korean or English, in any order, with any spacing or separator.
"""
import hashlib
import math
import re
from datetime import date, datetime

from flask_babel import gettext as _

from tracker.importers.cells import cell_text as _text
from tracker.importers.cells import header_index, match_headers
from tracker.importers.records import FileProblem, IdeaRecord, RowError
from tracker.vocabulary import IDEA_HEADERS, normalise_label, parse_stage

# Canonical field -> the header names people use (the first is what exports write).
_HEADER_INDEX = header_index(IDEA_HEADERS)

# Longest text a cell may hold, per field.
MAX_LENGTHS = {
    "title": 200, "summary": 500, "beneficiaries": 300, "department": 100,
    "problem": 20_000, "proposal_text": 20_000, "expected_effect": 20_000, "notes": 20_000,
    "source_key": 64, "team": 100, "subcommittee": 80, "authors": 1_000,
}
MAX_AUTHOR_NAME = 100
TEXT_FIELDS = ("title", "summary", "problem", "proposal_text", "expected_effect",
               "beneficiaries", "department", "notes")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_AUTHOR_SPLIT = re.compile(r"[,;/\n]+")
_BUDGET_NOISE = re.compile(r"[\s,₩]|원$|krw$")
_DIGITS = re.compile(r"\d+")
_SMALL_AMOUNT = re.compile(r"(?:(\d+(?:\.\d+)?)?(천))?(?:(\d+(?:\.\d+)?)?(백))?(\d+(?:\.\d+)?)?")
_DATE_PATTERNS = (
    # 2025-03-01, 2025.3.1., 2025/03/01, 2025년 3월 1일, with an optional time after it
    re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def resolve_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """header -> field for the known columns, and the unknown column names."""
    mapping, unknown = match_headers(headers, _HEADER_INDEX)
    if "title" not in mapping.values():
        raise FileProblem(_("There is no title column (제목 or title)."))
    return mapping, unknown


def derive_source_key(title: str) -> str:
    """The identity of a record whose file gives no key: its title, folded."""
    return "title:" + hashlib.sha1(normalise_label(title).encode()).hexdigest()[:20]


MAX_BUDGET_KRW = 10**15  # a thousand trillion won: far above any city budget, inside BIGINT


def parse_budget(value) -> int | None:
    """KRW amount: 1500000, "1,500,000원", "150만원", "3억 5천만" -> int; None when empty."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        total = value
    else:
        text = _BUDGET_NOISE.sub("", _text(value).casefold())
        if not text:
            return None
        total = int(text) if _DIGITS.fullmatch(text) else _korean_amount(text)
    if not math.isfinite(total) or total < 0 or total != int(total) or total > MAX_BUDGET_KRW:
        raise ValueError  # negative, a fraction of a won, or beyond any budget
    return int(total)


def _korean_amount(text: str) -> float:
    total = 0.0
    rest = text
    for unit, factor in (("억", 10**8), ("만", 10**4)):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += _small_amount(head or "1") * factor
    return total + (_small_amount(rest) if rest else 0)


def _small_amount(text: str) -> float:
    match = _SMALL_AMOUNT.fullmatch(text)
    if not match or not text:
        raise ValueError
    thousands, has_thousands, hundreds, has_hundreds, ones = match.groups()
    return (_count(thousands, has_thousands) * 1000 + _count(hundreds, has_hundreds) * 100
            + (float(ones) if ones else 0.0))


def _count(digits: str | None, unit: str | None) -> float:
    """'5' before 천 is 5; 천 alone is 1; no 천 at all is 0."""
    if not unit:
        return 0.0
    return float(digits) if digits else 1.0


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return date(*(int(g) for g in match.groups()))
    raise ValueError


_PARSED_FIELDS = (
    ("budget_krw", parse_budget,
     lambda value: _("“%(value)s” is not an amount in won (e.g. 1500000 or 150만원).", value=value)),
    ("created_on", parse_date,
     lambda value: _("“%(value)s” is not a date (e.g. 2025-03-01 or 2025. 3. 1.).", value=value)),
)


def map_row(row_no: int, raw: dict, headers: dict[str, str]) -> tuple[IdeaRecord | None, list[RowError]]:
    if None in raw:
        return None, [RowError(row_no, None, _("This item is not an object with named fields."))]
    errors: list[RowError] = []
    cells: dict[str, object] = {}
    for header, field in headers.items():
        value = raw.get(header)
        if isinstance(value, dict):
            errors.append(RowError(row_no, header, _("This value has a nested structure; give plain text.")))
            continue
        cells[field] = value

    def fail(field: str, message: str) -> None:
        errors.append(RowError(row_no, _header_of(headers, field), message))

    text = {f: _text(v) for f, v in cells.items() if f not in ("budget_krw", "created_on")}
    controls = _CONTROL.search("".join(text.values())) is not None  # looked for field by field only if found
    for field, value in text.items():
        limit = MAX_LENGTHS.get(field)
        if limit and len(value) > limit:
            fail(field, _("Too long: at most %(limit)d characters (this has %(count)d).",
                          limit=limit, count=len(value)))
        elif controls and _CONTROL.search(value):
            fail(field, _("Contains control characters that cannot be stored."))
    if not text.get("title"):
        fail("title", _("The title is empty."))

    fields = {f: (text[f] or None) for f in TEXT_FIELDS if f in text}
    for name, parse, message in _PARSED_FIELDS:
        if name in cells:
            try:
                fields[name] = parse(cells[name])
            except ValueError:
                fail(name, message(_text(cells[name])))
    authors = None
    if "authors" in text:
        authors = [n.strip() for n in _AUTHOR_SPLIT.split(text["authors"]) if n.strip()]
        for name in authors:
            if len(name) > MAX_AUTHOR_NAME:
                fail("authors", _("An author's name is too long: at most %(limit)d characters (“%(name)s…”).",
                                  limit=MAX_AUTHOR_NAME, name=name[:20]))
    stage = None
    if text.get("stage"):
        stage = parse_stage(text["stage"])
        if stage is None:
            fail("stage", _("Unknown stage “%(value)s”.", value=text["stage"]))

    if errors:
        # kept only for the checks of its team and subcommittee, so that one pass reports every fault
        return IdeaRecord(row=row_no, team_label=text.get("team") or None, source_key="", fields={},
                          subcommittee_label=text.get("subcommittee") or None, faulty=True), errors
    record = IdeaRecord(
        row=row_no,
        team_label=text.get("team") or None,
        source_key=text.get("source_key") or derive_source_key(fields["title"]),
        fields=fields,
        stage=stage,
        subcommittee_label=text.get("subcommittee") or None,
        has_subcommittee="subcommittee" in text,
        author_names=authors,
    )
    return record, []


def _header_of(headers: dict[str, str], field: str) -> str:
    return next((h for h, f in headers.items() if f == field), field)
