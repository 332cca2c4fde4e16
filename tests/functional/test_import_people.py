"""Members and mentors from a file: the idea importer's conventions, for accounts."""
import io

import sqlalchemy as sa

from tests.factories import csv_bytes, xlsx_bytes
from tracker.extensions import db
from tracker.importers.people import import_people
from tracker.models import MentorKind, Role, User

ROWS = [
    ["이름", "이메일", "직원번호", "소속부서", "역할", "기수", "분과", "멘토구분", "소속기관", "전문분야"],
    ["김민지", "minji@gyeongju.go.kr", "", "인구정책과", "단원", "소소기획단 2기", "청년·인구", "", "", ""],
    ["박서준", "", "G-1002", "관광컨벤션과", "단원", "2기", "문화관광", "", "", ""],
    ["최교수", "choi@dongguk.example", "", "", "멘토", "소소기획단 2기", "문화관광", "외부 전문가", "동국대학교", "관광학"],
    ["이선배", "lee@gyeongju.go.kr", "", "기획예산과", "멘토, 운영 담당", "소소기획단 2기", "농ㆍ축산", "선배 멘토", "경주시청", "예산"],
]


def run(data, filename="people.csv", **options):
    report = import_people(data, filename, actor=None, address="test", **options)
    db.session.commit()
    return report


def test_members_and_mentors_are_created_placed_and_given_temporary_passwords(programme, app):
    report = run(csv_bytes(ROWS, "cp949"))
    assert (report.created, report.rejected) == (4, 0)
    assert len(report.new_accounts) == 4 and all(len(n.password) >= 10 for n in report.new_accounts)
    minji = db.session.scalar(sa.select(User).where(User.email == "minji@gyeongju.go.kr"))
    assert minji.must_change_password and minji.role_set == {Role.MEMBER}
    assert [(m.team.name, m.subcommittee.key, m.department) for m in minji.memberships] == [
        ("소소기획단 2기", "youth_population", "인구정책과")]
    choi = db.session.scalar(sa.select(User).where(User.name == "최교수"))
    [assignment] = choi.mentor_assignments
    assert (assignment.kind, assignment.subcommittee.key, assignment.organisation, assignment.field) == (
        MentorKind.EXTERNAL_EXPERT, "culture_tourism", "동국대학교", "관광학")
    lee = db.session.scalar(sa.select(User).where(User.name == "이선배"))
    assert lee.role_set == {Role.MENTOR, Role.MANAGER}
    note = next(n for n in report.new_accounts if n.login == "G-1002")
    client = app.test_client()
    assert client.post("/auth/login", data={"identifier": "G-1002", "password": note.password}).status_code == 302


def test_reimport_changes_only_what_changed(programme):
    run(xlsx_bytes(ROWS), "people.xlsx")
    again = run(xlsx_bytes(ROWS), "people.xlsx")
    assert (again.created, again.updated, again.unchanged, again.new_accounts) == (0, 0, 4, [])
    moved = [r[:] for r in ROWS]
    moved[1][6] = "지역경제"
    report = run(xlsx_bytes(moved), "people.xlsx")
    assert (report.updated, report.unchanged) == (1, 3)
    minji = db.session.scalar(sa.select(User).where(User.email == "minji@gyeongju.go.kr"))
    assert minji.memberships[0].subcommittee.key == "local_economy"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 4


def test_bad_rows_are_reported_and_nothing_is_written(programme):
    rows = ROWS[:2] + [
        ["", "x@gyeongju.go.kr", "", "", "단원", "", "", "", "", ""],
        ["무계정", "", "", "", "단원", "", "", "", "", ""],
        ["잘못된메일", "not-an-email", "", "", "단원", "", "", "", "", ""],
        ["역할오류", "r@gyeongju.go.kr", "", "", "시장님", "", "", "", "", ""],
        ["기수오류", "t@gyeongju.go.kr", "", "", "단원", "9기", "", "", "", ""],
        ["분과없는멘토", "m@gyeongju.go.kr", "", "", "멘토", "소소기획단 2기", "", "", "", ""],
        ["중복", "MINJI@gyeongju.go.kr", "", "", "단원", "", "", "", "", ""],
    ]
    report = run(csv_bytes(rows))
    assert not report.written and db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "이름"), (4, "이메일"), (5, "이메일"), (6, "역할"), (7, "기수"), (8, "분과"), (9, "이메일")}
    partial = run(csv_bytes(rows), skip_invalid=True)
    assert partial.written and partial.created == 1 and partial.rejected == 7


def test_a_manager_imports_from_the_web(programme, manager_client):
    data = {"file": (io.BytesIO(csv_bytes(ROWS)), "people.csv"), "dry_run": "y"}
    dry = manager_client.post("/accounts/import", data=data, content_type="multipart/form-data")
    assert "새로 등록 4건" in dry.get_data(as_text=True) and "아무것도 저장하지 않았습니다" in dry.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1  # the manager
    data = {"file": (io.BytesIO(csv_bytes(ROWS)), "people.csv")}
    done = manager_client.post("/accounts/import", data=data, content_type="multipart/form-data")
    page = done.get_data(as_text=True)
    assert "새로 등록 4건" in page and page.count("<code>") == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 5
    empty = manager_client.post("/accounts/import", data={}, content_type="multipart/form-data")
    assert "파일을 고르세요." in empty.get_data(as_text=True)


def test_a_managers_file_cannot_hand_out_the_admin_role(programme, manager_client):
    rows = ROWS[:2] + [["권한상승", "", "G-9999", "", "관리자", "", "", "", "", ""]]
    data = {"file": (io.BytesIO(csv_bytes(rows)), "people.csv")}
    page = manager_client.post("/accounts/import", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "관리자 역할은 관리자만 줄 수 있습니다." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1  # only the manager
