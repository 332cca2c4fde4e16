"""Requests over the size limits get a friendly 413 page in the person's language, and nothing is saved."""
import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import csv_bytes
from tests.helpers import text_of
from tracker.extensions import db
from tracker.models import User

MB = 1024 * 1024
HEADER = [["이름", "이메일", "직원번호", "소속 부서", "역할", "기수", "분과", "멘토 구분", "소속 기관", "전문 분야"]]


def people_file(size: int) -> bytes:
    """A valid people CSV of at least ``size`` bytes: one person, then rows of a long blank cell."""
    data = csv_bytes(HEADER + [["김민지", "minji@gyeongju.go.kr", "", "", "단원", "", "", "", "", ""]])
    blank_row = b" " * 100_000 + b"\n"
    return data + blank_row * (max(0, size - len(data)) // len(blank_row) + 1)


def upload(content: bytes) -> dict:
    """The post arguments of a multipart form, encoded in memory (the test client would spool a
    large body to a temporary file it never closes)."""
    boundary, body = encode_multipart({
        "file": FileStorage(io.BytesIO(content), "people.csv", content_type="text/csv")})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_an_upload_over_10_mb_gets_the_friendly_page_and_nothing_is_imported(programme, manager_client):
    response = manager_client.post("/accounts/import", **upload(people_file(10 * MB + 1)))
    assert response.status_code == 413
    text = text_of(response)
    assert "파일이 너무 큽니다" in text and "10MB까지 보낼 수 있습니다" in text
    assert user_count() == 1  # only the manager

    manager_client.get("/lang/en")
    response = manager_client.post("/accounts/import", **upload(people_file(10 * MB + 1)))
    assert response.status_code == 413
    assert "File too large" in text_of(response) and "up to 10 MB" in text_of(response)


def test_an_upload_larger_than_the_form_text_limit_is_still_imported(programme, manager_client):
    response = manager_client.post("/accounts/import", **upload(people_file(3 * MB)))
    assert response.status_code == 200
    assert "새로 등록 1건" in text_of(response)
    assert user_count() == 2


def test_a_form_with_more_text_than_memory_allows_is_refused(programme, manager_client):
    data = {"name": "가" * MB, "staff_id": "G-1", "roles": "member"}  # 3 MB of UTF-8 text
    response = manager_client.post("/accounts/new", data=data)
    assert response.status_code == 413
    assert "파일이 너무 큽니다" in text_of(response)
    assert user_count() == 1


def test_a_form_with_too_many_fields_is_refused(programme, manager_client):
    fields = {"name": "김민지", "staff_id": "G-1", "roles": "member", **{f"extra{n}": "x" for n in range(1000)}}
    response = manager_client.post("/accounts/new", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413
    assert user_count() == 1


def test_the_limit_holds_before_sign_in_and_the_form_check(another_app):
    app = another_app()  # CSRF on, as in production
    response = app.test_client().post("/auth/login", data={"identifier": "x" * (3 * MB), "password": "y"})
    assert response.status_code == 413
    assert "파일이 너무 큽니다" in text_of(response)
