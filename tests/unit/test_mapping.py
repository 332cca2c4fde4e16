from datetime import date, datetime

import pytest

from tracker.importers.mapping import parse_budget, parse_date, resolve_headers
from tracker.importers.records import FileProblem


@pytest.mark.parametrize("written, amount", [
    ("1500000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1,500,000원", 1_500_000),
    ("₩ 1,500,000", 1_500_000),
    ("150만원", 1_500_000),
    ("3억 5천만원", 350_000_000),
    ("2.5억", 250_000_000),
    (2_000_000, 2_000_000),
    (2_000_000.0, 2_000_000),
    ("", None),
    (None, None),
])
def test_budget_in_won(written, amount):
    assert parse_budget(written) == amount


@pytest.mark.parametrize("written", ["-100", "abc", "1.5", "백만원쯤", -5])
def test_bad_budget(written):
    with pytest.raises(ValueError):
        parse_budget(written)


@pytest.mark.parametrize("written", ["2025-03-01", "2025.03.01", "2025. 3. 1.", "2025/3/1", "20250301",
                                     "2025년 3월 1일", datetime(2025, 3, 1, 9, 30), date(2025, 3, 1)])
def test_dates(written):
    assert parse_date(written) == date(2025, 3, 1)


@pytest.mark.parametrize("written", ["2025-13-01", "3월 1일", "yesterday"])
def test_bad_dates(written):
    with pytest.raises(ValueError):
        parse_date(written)


def test_headers_in_korean_english_and_any_order(ctx):
    mapping, unknown = resolve_headers(["Expected_Effect", "제목", "분과", " 기수 ", "Stage", "담당 부서", "색깔"])
    assert mapping == {"Expected_Effect": "expected_effect", "제목": "title", "분과": "subcommittee",
                       " 기수 ": "team", "Stage": "stage", "담당 부서": "department"}
    assert unknown == ["색깔"]


def test_a_file_without_title_column_is_refused(ctx):
    with pytest.raises(FileProblem, match="제목"):
        resolve_headers(["기수", "요약"])


def test_two_columns_for_one_field_are_refused(ctx):
    with pytest.raises(FileProblem, match="title"):
        resolve_headers(["제목", "title"])
