"""Managers create and manage accounts; the first admin comes from the command line."""
import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.functional.cohort import signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.models import AuditEvent, Proposal, Role, User
from tracker.services import accounts
from tracker.services import teams as team_service
from tracker.services.errors import ValidationFailed


def temporary_password(response) -> str:
    return re.search(r"<code id=\"secret-value\"[^>]*>([^<]+)</code>", response.get_data(as_text=True))[1]


def test_a_manager_creates_an_account_that_must_set_its_own_password(app, manager_client):
    created = manager_client.post("/accounts/new", data={
        "name": "김민지", "email": "minji@gyeongju.go.kr", "department": "인구정책과",
        "roles": ["member", "mentor"]})
    assert created.status_code == 200 and "김민지 님에게 이 임시 비밀번호를 전달하세요" in created.get_data(as_text=True)
    password = temporary_password(created)
    user = db.session.scalar(sa.select(User).where(User.email == "minji@gyeongju.go.kr"))
    assert user.role_set == {Role.MEMBER, Role.MENTOR} and user.must_change_password
    assert password not in (user.password_hash or "")

    newcomer = app.test_client()
    newcomer.post("/auth/login", data={"identifier": "MINJI@gyeongju.go.kr", "password": password})
    assert newcomer.get("/teams/").headers["Location"] == "/auth/password"
    [event] = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.event == "account_created", AuditEvent.subject_id == user.id))
    assert event.actor.name == "운영담당" and event.detail == {"roles": ["member", "mentor"]}


def test_account_form_errors_are_clear(manager_client, make_account):
    existing = make_account(Role.MEMBER)
    existing.email = "taken@gyeongju.go.kr"
    db.session.commit()
    page = manager_client.post("/accounts/new", data={"name": "누군가", "email": "new@gyeongju.go.kr"}).get_data(as_text=True)
    assert "역할을 하나 이상 고르세요." in page
    page = manager_client.post("/accounts/new", data={"name": "누군가", "roles": ["member"]}).get_data(as_text=True)
    assert "로그인에 쓸 이메일이나 직원 번호를 입력하세요." in page
    page = manager_client.post("/accounts/new", data={"name": "누군가", "email": "taken@gyeongju.go.kr",
                                                       "roles": ["member"]}).get_data(as_text=True)
    assert "이 이메일로 로그인하는 계정이 이미 있습니다." in page
    # a staff ID that is another account's e-mail would make sign-in pick one of the two
    page = manager_client.post("/accounts/new", data={"name": "누군가", "staff_id": "TAKEN@gyeongju.go.kr",
                                                       "roles": ["member"]}).get_data(as_text=True)
    assert "이 직원 번호로 로그인하는 계정이 이미 있습니다." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_roles_reset_and_self_protection(app, manager_client, make_account):
    member = make_account(Role.MEMBER)
    reset = manager_client.post(f"/accounts/{member.id}/reset-password")
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"identifier": member.staff_id, "password": PASSWORD}).status_code == 200
    assert fresh.post("/auth/login", data={"identifier": member.staff_id,
                                           "password": temporary_password(reset)}).status_code == 302
    assert manager_client.post(f"/accounts/{member.id}", data={"roles": ["member", "manager"]}).status_code == 302
    db.session.refresh(member)
    assert member.role_set == {Role.MEMBER, Role.MANAGER}
    # a manager's password is an admin's to reset: no manager takes over another by resetting it
    assert manager_client.post(f"/accounts/{member.id}/reset-password").status_code == 403
    assert "관리자만 운영 담당자의 비밀번호를" in manager_client.get(f"/accounts/{member.id}").get_data(as_text=True)
    me = db.session.scalar(sa.select(User).where(User.name == "운영담당"))
    own = manager_client.post(f"/accounts/{me.id}", data={"roles": ["member"]}).get_data(as_text=True)
    assert "자신의 계정 관리 권한은 뺄 수 없습니다." in own
    manager_client.post(f"/accounts/{me.id}/active/0")
    assert "자신의 계정은 사용 중지할 수 없습니다." in manager_client.get(f"/accounts/{me.id}").get_data(as_text=True)


def test_create_user_command_for_the_first_admin(runner, ctx):
    result = runner.invoke(args=["tracker", "create-user", "--name", "첫 관리자", "--email",
                                 "admin@gyeongju.go.kr", "--role", "admin", "--role", "manager"])
    assert result.exit_code == 0, result.output
    assert "임시 비밀번호" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "admin@gyeongju.go.kr"))
    assert user.role_set == {Role.ADMIN, Role.MANAGER} and user.must_change_password
    again = runner.invoke(args=["tracker", "create-user", "--name", "x", "--email", "admin@gyeongju.go.kr",
                                "--role", "admin"])
    assert again.exit_code != 0 and "이미 있습니다" in again.output


def test_demo_accounts_sign_in_with_the_documented_password(app, programme, runner):
    result = runner.invoke(args=["tracker", "load-demo"])
    assert result.exit_code == 0 and "sosodemo-2025" in result.output
    assert runner.invoke(args=["tracker", "load-demo"]).exit_code == 0  # twice changes nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 5
    for login in ("demo-admin", "demo-manager", "demo-member", "demo-mentor", "demo-liaison"):
        client = app.test_client()
        assert client.post("/auth/login", data={"identifier": login, "password": "sosodemo-2025"}).status_code == 302
        assert client.get("/teams/").status_code == 200


def test_a_manager_cannot_make_or_take_over_an_admin(app, manager_client, make_account):
    admin = make_account(Role.ADMIN, name="시스템관리자")
    member = make_account(Role.MEMBER)
    me = db.session.scalar(sa.select(User).where(User.name == "운영담당"))

    assert manager_client.post(f"/accounts/{me.id}", data={"roles": ["manager", "admin"]}).status_code == 403
    assert manager_client.post(f"/accounts/{member.id}", data={"roles": ["admin"]}).status_code == 403
    assert manager_client.post(f"/accounts/{admin.id}/reset-password").status_code == 403
    assert manager_client.post(f"/accounts/{admin.id}/active/0").status_code == 403
    page = manager_client.post("/accounts/new", data={"name": "새관리자", "staff_id": "x-1",
                                                      "roles": ["admin"]}).get_data(as_text=True)
    assert "관리자 역할은 관리자만 줄 수 있습니다." in page
    assert "관리자 계정은 관리자만 바꿀 수 있습니다." in manager_client.get(f"/accounts/{admin.id}").get_data(as_text=True)
    for user in (me, member, admin):
        db.session.refresh(user)
    assert Role.ADMIN not in me.role_set and Role.ADMIN not in member.role_set
    assert admin.is_active and not admin.must_change_password
    assert db.session.scalar(sa.select(User).where(User.staff_id == "x-1")) is None

    admin_client = app.test_client()
    admin_client.post("/auth/login", data={"identifier": admin.staff_id, "password": PASSWORD})
    assert admin_client.post(f"/accounts/{member.id}", data={"roles": ["member", "admin"]}).status_code == 302
    db.session.refresh(member)
    assert Role.ADMIN in member.role_set


def test_managers_read_the_audit_log(app, manager_client, make_account):
    member = make_account(Role.MEMBER, name="감사대상")
    stranger = app.test_client()
    stranger.post("/auth/login", data={"identifier": member.staff_id, "password": "wrong-password"},
                  environ_base={"REMOTE_ADDR": "10.1.2.3"})
    stranger.post("/auth/login", data={"identifier": "nobody@gyeongju.go.kr", "password": "x" * 12})
    manager_client.post(f"/accounts/{member.id}", data={"roles": ["member", "mentor"]})
    page = manager_client.get("/accounts/audit").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "로그인 실패" in text and "10.1.2.3" in text and "사유: 비밀번호 틀림" in text
    assert "사유: 없는 계정" in text and "역할 변경" in text and "운영담당 감사대상" in text
    assert "nobody@gyeongju.go.kr" not in text  # what was typed is kept only when it names an account
    assert "wrong-password" not in page
    failed_only = manager_client.get("/accounts/audit?event=login_failed").get_data(as_text=True)
    assert "역할 변경" not in re.sub(r"<option[^>]*>[^<]*</option>", "", failed_only)


def test_a_new_account_joins_a_cohort_and_one_without_is_told_whom_to_ask(app, programme, make_account):
    manager = make_account(Role.MANAGER, name="운영담당")
    client = signed_in(app, manager)
    cohort2 = team_service.find_team("소소기획단 2기")
    culture = next(s for s in cohort2.subcommittees if s.name_ko == "문화관광")
    form = client.get("/accounts/new").get_data(as_text=True)
    assert f'<option value="{culture.id}">소소기획단 2기 · 문화관광</option>' in form
    assert "소소기획단 1기 ·" not in form  # an archived cohort takes no new members
    client.post("/accounts/new", data={"name": "새단원", "staff_id": "N-1", "roles": ["member"],
                                       "subcommittee": culture.id})
    newcomer = db.session.scalar(sa.select(User).where(User.staff_id == "N-1"))
    newcomer.password_hash, newcomer.must_change_password = manager.password_hash, False
    lost = make_account(Role.MEMBER, name="소속없음")
    db.session.commit()
    member = signed_in(app, newcomer)
    assert member.get("/proposals/new").status_code == 200
    created = member.post("/proposals/new", data={"team": cohort2.id, "title": "새단원의 아이디어"})
    assert created.status_code == 302
    idea = db.session.scalar(sa.select(Proposal).where(Proposal.title == "새단원의 아이디어"))
    assert (idea.team_id, idea.subcommittee_id) == (cohort2.id, culture.id)

    refused = signed_in(app, lost).get("/proposals/new")
    page = text_of(refused)
    assert refused.status_code == 403 and "아직 기수에 속해 있지 않습니다" in page and "운영담당" in page

    # an archived cohort takes nobody, whoever asks
    past = next(s for s in team_service.find_team("소소기획단 1기").subcommittees)
    with pytest.raises(ValidationFailed):
        accounts.place_member(lost, past, actor=manager)
    # placed later from the account's page, the person can log ideas
    client.post(f"/accounts/{lost.id}/placement", data={"subcommittee": culture.id})
    assert "소소기획단 2기 · 문화관광" in text_of(client.get(f"/accounts/{lost.id}"))
    assert signed_in(app, lost).get("/proposals/new").status_code == 200
