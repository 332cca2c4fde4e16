"""Whatever file an official picks (random bytes, a wrong encoding, broken quotes, huge cells,
formulas, an empty file), the importers answer with a report or a file message: never an exception
or a 500, and nothing written when they reject the file."""
import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import csv_bytes, json_bytes, xlsx_bytes
from tests.helpers import text_of
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.importers.people import import_people
from tracker.models import Proposal, User

FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

IDEA_HEADERS = ["기수", "분과", "제목", "요약", "예산", "단계", "제안자", "등록일", "비고"]
PEOPLE_HEADERS = ["이름", "이메일", "직원번호", "역할", "기수", "분과", "멘토구분"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16", "latin-1", "shift_jis"]

cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["소소기획단 2기", "청년·인구", "지역경제 활성화", "최종 선정", "아이디어", "2025. 3. 1.",
                     "1,500,000원", "3억 5천만", "김민지, 박서준", "단원", "멘토", "관리자"]),
    st.from_regex(r"[=+\-@][A-Z]{1,5}\([^)]{0,20}\)?", fullmatch=True),  # formulas and injections
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=1, max_value=300_000).map(lambda n: "가" * n),  # huge cells
)


def table(headers):
    header = st.lists(st.sampled_from(headers) | st.text(max_size=10), min_size=0, max_size=10)
    return header.flatmap(lambda h: st.lists(st.lists(cells, min_size=0, max_size=len(h) + 2),
                                             max_size=6).map(lambda rows: [h, *rows]))


def csv_file(rows, encoding, quote_breaks):
    text = csv_bytes([["" if c is None else str(c) for c in row] for row in rows]).decode()
    for position in quote_breaks:  # stray quotes anywhere
        position %= len(text) + 1
        text = text[:position] + '"' + text[position:]
    return text.encode(encoding, errors="replace")


def xlsx_cell(value):
    """What a spreadsheet can hold: no control characters, no NaN or infinity."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def damaged(data: bytes, cut: int | None, flips: list[float]) -> bytes:
    """The file cut short (unless ``cut`` is None), with bytes flipped at the given fractions of it."""
    data = bytearray(data if cut is None else data[:max(1, cut % (len(data) + 1))])
    for where in flips:
        data[int(where * len(data))] ^= 0xFF
    return bytes(data)


def files(headers):
    """(bytes, file name) pairs of every kind the importers take, well-formed or not."""
    text_files = st.builds(csv_file, table(headers), st.sampled_from(ENCODINGS),
                           st.lists(st.integers(min_value=0), max_size=3))
    xlsx_files = table(headers).map(lambda rows: xlsx_bytes([[xlsx_cell(c) for c in row] for row in rows]))
    json_files = table(headers).map(lambda rows: json_bytes(
        [rows[0]] + [row[:len(rows[0])] for row in rows[1:]]) if rows[0] else b"[]")
    return st.one_of(
        st.tuples(text_files, st.just("ideas.csv")),
        st.tuples(st.binary(max_size=3000), st.sampled_from(["ideas.csv", "ideas.json", "ideas.xlsx"])),
        st.tuples(st.sampled_from([b"", b"\n", b"\xef\xbb\xbf", b"   \r\n", b"{}", b"[]", b"null"]),
                  st.sampled_from(["ideas.csv", "ideas.json", "ideas.xlsx"])),
        st.tuples(xlsx_files, st.just("ideas.xlsx")),
        st.tuples(st.builds(damaged, xlsx_files, st.none() | st.integers(min_value=0),
                              st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4)),
                  st.just("ideas.xlsx")),
        st.tuples(json_files, st.just("ideas.json")),
    )


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


HANGUL = re.compile("[가-힣]")


def assert_is_a_report(report):
    """A file message or row-numbered errors, in Korean (the default language)."""
    if report.file_error:
        assert HANGUL.search(report.file_error), report.file_error
        assert not report.written
    for error in report.errors:
        assert error.row >= 1 and HANGUL.search(error.message), error


@FUZZ
@given(file=files(IDEA_HEADERS), skip_invalid=st.booleans())
def test_any_ideas_file_gets_a_report_and_a_rejected_one_writes_nothing(programme, file, skip_invalid):
    data, name = file
    before = count(Proposal)
    try:
        report = import_ideas(data, name, team="소소기획단 2기", skip_invalid=skip_invalid)
        assert_is_a_report(report)
        if not report.written:
            assert count(Proposal) == before
        else:
            assert count(Proposal) == before + report.created
    finally:
        db.session.rollback()


@FUZZ
@given(file=files(PEOPLE_HEADERS), skip_invalid=st.booleans())
def test_any_people_file_gets_a_report_and_a_rejected_one_writes_nothing(programme, file, skip_invalid):
    data, name = file
    before = count(User)
    try:
        report = import_people(data, name.replace("ideas", "people"), actor=None, address=None,
                               skip_invalid=skip_invalid)
        assert_is_a_report(report)
        if not report.written:
            assert count(User) == before
    finally:
        db.session.rollback()


@FUZZ
@given(file=files(PEOPLE_HEADERS))
def test_any_uploaded_people_file_gets_the_import_page_not_an_error(programme, manager_client, file):
    data, name = file
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name.replace("ideas", "people"))})
    before = count(User)
    response = manager_client.post("/accounts/import", data=body,
                                   content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200
    page = text_of(response)
    assert "결과" in page or "파일을 고르세요" in page
    if "저장하지 않았습니다" in page or "가져오지 못했습니다" in page:
        assert count(User) == before


def zip_of_text() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return archive.getvalue()


@pytest.mark.parametrize("data, name, message", [
    (csv_bytes([["제목", "요약"], ["가" * 200_000, "x"]]), "ideas.csv",
     "2행에 131,072자보다 긴 칸이 있습니다"),
    ('[\n  {"제목": "빈집"},\n  {broken\n]'.encode(), "ideas.json", "JSON 파일의 3번째 줄 4번째 글자 부근이 손상되었습니다"),
    (b"[" * 100_000 + b"]" * 100_000, "ideas.json", "목록이 너무 깊이 중첩되어"),
    (b'[{"title": ' + b"9" * 5000 + b"}]", "ideas.json", "수천 자리나 되는 숫자가 있습니다"),
    (b"PK\x03\x04 not really a zip", "ideas.xlsx", "XLSX 파일을 열 수 없습니다"),
    (zip_of_text(), "ideas.xlsx", "XLSX 파일을 열 수 없습니다"),
    (b"", "ideas.csv", "빈 파일입니다"),
    (bytes(range(256)) * 4, "ideas.csv", "문자 인코딩을 알 수 없습니다"),
])
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_nothing_is_written(programme, data, name, message):
    report = import_ideas(data, name, team="소소기획단 2기")
    assert message in report.file_error
    assert not report.written and count(Proposal) == 4  # the programme's own


def test_a_workbook_damaged_anywhere_gets_a_file_message(programme):
    sound = xlsx_bytes([["제목", "요약"]] + [[f"빈집 활용 {n}", "요약" * 20] for n in range(30)])
    for position in range(0, len(sound), 11):
        damaged_file = bytearray(sound)
        damaged_file[position] ^= 0xFF
        report = import_ideas(bytes(damaged_file), "ideas.xlsx", team="소소기획단 2기")
        assert_is_a_report(report)
        db.session.rollback()
    assert count(Proposal) == 4


def with_saved_results(workbook: bytes, results: dict[str, str]) -> bytes:
    """The workbook as a spreadsheet program saves it: each formula cell keeps its last result."""
    source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for cell, result in results.items():
                    text = re.sub(rf'<c r="{cell}"(>.*?)<v\s*/>', rf'<c r="{cell}" t="str"\1<v>{result}</v>', text)
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_formulas_import_as_their_saved_results_and_unsaved_ones_are_refused(programme):
    workbook = xlsx_bytes([["제목", "예산"], ['="빈집" & " 지도"', "=1000*2"]])
    report = import_ideas(workbook, "ideas.xlsx", team="소소기획단 2기")
    assert "A2 칸의 수식은 결과가 저장되지 않아" in report.file_error
    assert not report.written and count(Proposal) == 4

    saved = with_saved_results(workbook, {"A2": "빈집 지도", "B2": "2000"})
    report = import_ideas(saved, "ideas.xlsx", team="소소기획단 2기")
    assert report.file_error is None and report.created == 1
    proposal = db.session.scalars(sa.select(Proposal).filter_by(title="빈집 지도")).one()
    assert proposal.budget_krw == 2000
