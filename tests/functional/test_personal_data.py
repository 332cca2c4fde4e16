"""Personal data as a Korean public body must keep it (issue 23): the notice, a person's own data,
and pseudonymisation after the retention period, leaving the archive whole."""
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.functional.cohort import READY, signed_in
from tests.helpers import table_rows, text_of
from tracker import clock
from tracker.extensions import db
from tracker.models import AuditEvent, Comment, Proposal, Role, Stage, StageChange, TeamStatus, User
from tracker.services import privacy
from tracker.services.proposals import comments

KST = ZoneInfo("Asia/Seoul")


def test_the_notice_is_public_linked_from_every_page_and_admins_edit_it(app, cohort, make_account):
    anonymous = app.test_client()
    notice = anonymous.get("/privacy")
    assert notice.status_code == 200 and "개인정보 처리방침" in text_of(notice) and "3년" in text_of(notice)
    assert 'href="/privacy"' in anonymous.get("/auth/login").get_data(as_text=True)
    assert 'href="/privacy"' in signed_in(app, cohort.people["author"]).get("/teams/").get_data(as_text=True)
    anonymous.get("/lang/en")
    assert "Privacy notice" in text_of(anonymous.get("/privacy"))
    assert signed_in(app, cohort.people["manager"]).get("/privacy/edit").status_code == 403
    admin = signed_in(app, make_account(Role.ADMIN, name="관리자"))
    admin.post("/privacy/edit", data={"korean": "## 처리방침\n\n새 문구 <script>alert(1)</script> **굵게**",
                                      "english": "## Notice"})
    html = app.test_client().get("/privacy").get_data(as_text=True)
    assert "<h2>처리방침</h2>" in html and "<strong>굵게</strong>" in html and "<script>alert" not in html


def test_a_person_downloads_everything_about_them_and_nothing_of_anyone_else(app, cohort):
    author, other = cohort.people["author"], cohort.people["sub_member"]
    other.email = "seojun.park@gyeongju.go.kr"
    mine = cohort.proposal(Stage.IN_REVIEW, title="내가 쓴 제안", **READY)
    comments.add_comment(mine, "제 의견입니다", actor=author)
    comments.add_comment(mine, "다른 사람의 의견", actor=other)
    db.session.commit()
    client = signed_in(app, author)
    data = client.get("/auth/account/data.json")
    assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
    found = json.loads(data.get_data(as_text=True))
    assert found["account"]["name"] == author.name and found["account"]["staff_id"] == author.staff_id
    assert [p["title"] for p in found["proposals_authored"]] == ["내가 쓴 제안"]
    assert [c["body"] for c in found["comments"]] == ["제 의견입니다"]
    assert found["cohorts"][0]["team"] == "소소기획단 2기"
    assert any(e["event"] == "login" for e in found["sign_in_history"])
    assert [n["kind"] for n in found["notifications"]] == ["comment"]  # the other's comment on my proposal
    dump = json.dumps(found, ensure_ascii=False)
    assert other.name not in dump and "다른 사람의 의견" not in dump and other.email not in dump
    page = text_of(client.get("/auth/account/data"))
    assert "내가 쓴 제안" in page and "로그인 기록" in page


def _database_text() -> str:
    """Every row of every table, as text: what a search of a dump would see."""
    return json.dumps(table_rows(db.engine), ensure_ascii=False, default=str)


def _events(kind: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.event == kind))


def _counts() -> dict:
    return {"proposals": db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)),
            "changes": db.session.scalar(sa.select(sa.func.count()).select_from(StageChange)),
            "comments": db.session.scalar(sa.select(sa.func.count()).select_from(Comment)),
            "stages": sorted(db.session.scalars(sa.select(Proposal.stage)))}


def test_people_past_retention_are_pseudonymised_and_the_archive_stays_whole(app, cohort, runner):
    author = cohort.people["author"]
    author.email = "minji.kim@gyeongju.go.kr"
    db.session.commit()
    old_name, old_email, old_staff_id = author.name, author.email, author.staff_id
    proposal = cohort.proposal(Stage.DEVELOPING, title=f"{old_name}의 제안", **READY)
    comments.add_comment(proposal, f"@{old_name}님 확인 부탁드립니다", actor=cohort.people["manager"])
    cohort.team.status = TeamStatus.ARCHIVED
    cohort.team.ends_on = date(2025, 12, 31)
    db.session.commit()  # before the sign-in below, whose record is written by the app's own session
    with clock.travel(datetime(2027, 6, 1, 9, tzinfo=KST)):  # more than a year before the run below
        app.test_client().post("/auth/login", data={"identifier": old_staff_id, "password": "wrong-password-x"})
    assert _events("login_failed") == 1
    with clock.travel(datetime(2028, 12, 31, 9, tzinfo=KST)):
        assert privacy.due() == []  # the cohort ended 2025-12-31: kept three years, to the end of 2028
    before = _counts()
    with clock.travel(datetime(2029, 1, 10, 9, tzinfo=KST)):
        listed = runner.invoke(args=["tracker", "personal-data", "--due"])
        assert listed.exit_code == 0 and old_name in listed.output and "소소기획단 2기 단원" in listed.output
        dry = runner.invoke(args=["tracker", "personal-data", "--pseudonymise", "--dry-run"])
        assert "Dry run" in dry.output or "아무것도 바꾸지 않았습니다" in dry.output
        db.session.expire_all()
        assert db.session.get(User, author.id).name == old_name
        done = runner.invoke(args=["tracker", "personal-data", "--pseudonymise"])
        assert done.exit_code == 0 and "5명을 가명 처리했습니다" in done.output, done.output  # the cohort's members and mentors
        db.session.expire_all()
        pseudonym = db.session.get(User, author.id).name
        again = runner.invoke(args=["tracker", "personal-data", "--pseudonymise"])
        assert "0명을 가명 처리했습니다" in again.output  # idempotent: nobody left to do
        db.session.expire_all()
        assert db.session.get(User, author.id).name == pseudonym
    db.session.expire_all()
    person = db.session.get(User, author.id)
    assert person.name.startswith("소소기획단 2기 단원 ") and person.email is None and person.staff_id is None
    assert person.is_active is False and person.pseudonymised_at is not None
    assert _counts() == before  # nothing of the archive lost
    dump = _database_text()
    assert old_name and old_staff_id
    for trace in filter(None, (old_name, old_email, old_staff_id)):
        assert trace not in dump, trace
    assert f"{person.name}의 제안" in dump  # the title reads under the pseudonym
    assert _events("personal_data_pseudonymised") == 2  # the run that did it and the one that found nobody
    assert _events("login_failed") == 0  # sign-in records older than a year go


def test_only_admins_see_the_retention_list(app, cohort, make_account):
    assert signed_in(app, cohort.people["manager"]).get("/accounts/retention").status_code == 403
    cohort.team.status, cohort.team.ends_on = TeamStatus.ARCHIVED, date(2020, 12, 31)
    db.session.commit()
    admin = signed_in(app, make_account(Role.ADMIN, name="관리자"))
    page = text_of(admin.get("/accounts/retention"))
    assert "보유 기간" in page and cohort.people["author"].name in page and "소소기획단 2기 단원" in page
