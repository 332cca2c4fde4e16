"""A file the importers cannot read gets a clear message in Korean, and nothing is written."""
import io
import zipfile

import pytest
import sqlalchemy as sa

from tests.factories import csv_bytes
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import Proposal


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def zip_of_text() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return archive.getvalue()


@pytest.mark.parametrize("data, name, message", [
    (csv_bytes([["제목", "요약"], ["가" * 200_000, "x"]]), "ideas.csv",
     "2행에 131,072자보다 긴 칸이 있습니다"),
    ('[\n  {"제목": "빈집"},\n  {broken\n]'.encode(), "ideas.json", "JSON 파일의 3번째 줄 4번째 글자 부근이 손상되었습니다"),
    (b"PK\x03\x04 not really a zip", "ideas.xlsx", "XLSX 파일을 열 수 없습니다"),
    (zip_of_text(), "ideas.xlsx", "XLSX 파일을 열 수 없습니다"),
    (b"", "ideas.csv", "빈 파일입니다"),
    (bytes(range(256)) * 4, "ideas.csv", "문자 인코딩을 알 수 없습니다"),
])
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_nothing_is_written(programme, data, name, message):
    report = import_ideas(data, name, team="소소기획단 2기")
    assert message in report.file_error
    assert not report.written and count(Proposal) == 4  # the programme's own
