"""Sign-in, sessions, passwords, throttling, CSRF, headers: each test fails if its promise breaks."""
import io
import logging
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tracker import clock
from tracker.config import Config
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User
from tracker.services import accounts

ROOT = Path(__file__).resolve().parents[2]
WRONG = "definitely-wrong-password"


def sign_in(client, identifier, password, **kwargs):
    return client.post("/auth/login", data={"identifier": identifier, "password": password}, **kwargs)


def events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event == kind)))


def test_anonymous_visitors_go_to_the_sign_in_page_and_come_back(client, make_account):
    user = make_account(Role.MANAGER)
    response = client.get("/proposals/?q=빈집")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/proposals/")
    back = sign_in(client, user.staff_id, PASSWORD, query_string={"next": "/proposals/?q=빈집"})
    assert unquote(back.headers["Location"]) == "/proposals/?q=빈집"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_next_never_leaves_the_site(client, make_account, target):
    user = make_account(Role.MEMBER)
    response = sign_in(client, user.staff_id, PASSWORD, query_string={"next": target})
    assert response.headers["Location"] == "/teams/"


def test_unknown_account_and_wrong_password_get_the_same_answer_and_are_audited(client, make_account):
    user = make_account(Role.MEMBER)
    unknown = sign_in(client, "nobody@example.org", WRONG, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    wrong = sign_in(client, user.staff_id, WRONG, environ_base={"REMOTE_ADDR": "10.1.2.4"})
    message = "이메일/직원 번호 또는 비밀번호가 맞지 않습니다."
    for response in (unknown, wrong):
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    failures = {(e.identifier, e.address, e.detail["reason"]) for e in events("login_failed")}
    # what was typed is kept only when it names an account (it could be a password typed in the wrong box)
    assert failures == {(None, "10.1.2.3", "unknown_account"),
                        (user.staff_id, "10.1.2.4", "wrong_password")}
    sign_in(client, user.staff_id.upper() if user.email else user.staff_id, PASSWORD)
    [success] = events("login")
    assert success.subject_id == user.id and success.created_at is not None


def test_email_sign_in_ignores_case(client, make_account):
    user = make_account(Role.MEMBER)
    user.email = "Kim.Minji@Gyeongju.go.kr"
    db.session.commit()
    assert sign_in(client, "kim.minji@gyeongju.go.kr", PASSWORD).status_code == 302


def test_passwords_are_salted_scrypt_and_never_shown_or_logged(app, client, make_account, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", Config.PASSWORD_HASH_METHOD)
    caplog.set_level(logging.DEBUG)
    first, _ = accounts.create_account(accounts.NewAccount("가", (Role.MEMBER,), staff_id="a1"), actor=None, address=None)
    second, _ = accounts.create_account(accounts.NewAccount("나", (Role.MEMBER,), staff_id="a2"), actor=None, address=None)
    for user in (first, second):
        user.password_hash = accounts.hash_password("same-password-1")
    db.session.commit()
    assert first.password_hash.startswith("scrypt:") and first.password_hash != second.password_hash
    user = make_account(Role.MEMBER)
    sign_in(client, user.staff_id, PASSWORD)
    page = client.get("/auth/password").get_data(as_text=True)
    client.post("/auth/password", data={"current_password": PASSWORD, "new_password": "short",
                                        "confirm_password": "short"})
    audit_text = " ".join(str((e.identifier, e.detail)) for e in db.session.scalars(sa.select(AuditEvent)))
    for secret in (PASSWORD, "same-password-1", "short"):
        assert secret not in page and secret not in caplog.text and secret not in audit_text


def test_a_new_account_must_choose_its_own_password_first(client, make_account):
    user = make_account(Role.MEMBER, must_change=True)
    sign_in(client, user.staff_id, PASSWORD)
    assert client.get("/proposals/").headers["Location"] == "/auth/password"
    too_short = client.post("/auth/password", data={
        "current_password": PASSWORD, "new_password": "123456789", "confirm_password": "123456789"})
    assert "10자 이상으로 정해 주세요." in too_short.get_data(as_text=True)
    mismatch = client.post("/auth/password", data={
        "current_password": PASSWORD, "new_password": "a-new-password", "confirm_password": "another-one"})
    assert "새 비밀번호 두 개가 서로 다릅니다." in mismatch.get_data(as_text=True)
    wrong_current = client.post("/auth/password", data={
        "current_password": WRONG, "new_password": "a-new-password", "confirm_password": "a-new-password"})
    assert "현재 비밀번호가 맞지 않습니다." in wrong_current.get_data(as_text=True)
    done = client.post("/auth/password", data={
        "current_password": PASSWORD, "new_password": "a-new-password", "confirm_password": "a-new-password"})
    assert done.headers["Location"] == "/teams/"
    assert client.get("/proposals/").status_code == 200
    db.session.refresh(user)
    assert not user.must_change_password and len(events("password_changed")) == 1


def test_changing_the_password_ends_other_sessions(app, make_account):
    user = make_account(Role.MEMBER)
    phone, desk = app.test_client(), app.test_client()
    sign_in(phone, user.staff_id, PASSWORD)
    sign_in(desk, user.staff_id, PASSWORD)
    desk.post("/auth/password", data={"current_password": PASSWORD, "new_password": "brand-new-pass",
                                      "confirm_password": "brand-new-pass"})
    assert desk.get("/teams/").status_code == 200
    assert phone.get("/teams/").headers["Location"].startswith("/auth/login")


def test_deactivation_ends_sessions_keeps_records_and_blocks_sign_in(app, make_account, login):
    manager = make_account(Role.MANAGER)
    member = make_account(Role.MEMBER, name="곧 떠날 단원")
    their = app.test_client()
    sign_in(their, member.staff_id, PASSWORD)
    assert their.get("/teams/").status_code == 200
    client = login(manager)
    assert client.post(f"/accounts/{member.id}/active/0").status_code == 302
    assert their.get("/teams/").headers["Location"].startswith("/auth/login")
    assert sign_in(their, member.staff_id, PASSWORD).status_code == 200  # refused
    assert db.session.get(User, member.id) is not None
    [event] = events("account_deactivated")
    assert (event.actor_id, event.subject_id) == (manager.id, member.id)
    assert "곧 떠날 단원" in client.get("/accounts/").get_data(as_text=True)


def test_session_cookie_flags_rotation_and_idle_timeout(app, make_account):
    user = make_account(Role.MEMBER)
    client = app.test_client()
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
    response = sign_in(client, user.staff_id, PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie and app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert "planted" not in session
    secure = app.test_client()
    over_https = sign_in(secure, user.staff_id, PASSWORD, base_url="https://localhost")
    https_cookie = next(h for h in over_https.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in https_cookie


def test_sign_out_needs_a_post_and_ends_the_session(client, make_account, login):
    login(make_account(Role.MEMBER))
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").headers["Location"] == "/auth/login"
    assert client.get("/teams/").headers["Location"].startswith("/auth/login")


def test_guessing_an_account_locks_out_the_guesser_not_its_owner(client, make_account):
    user = make_account(Role.MEMBER)
    attacker, owner = {"REMOTE_ADDR": "10.0.0.66"}, {"REMOTE_ADDR": "10.0.0.7"}
    for _ in range(5):
        assert sign_in(client, user.staff_id, WRONG, environ_base=attacker).status_code == 200
    blocked = sign_in(client, user.staff_id, PASSWORD, environ_base=attacker)
    assert blocked.status_code == 429 and "너무 많이 시도했습니다" in blocked.get_data(as_text=True)
    assert sign_in(client, user.staff_id, PASSWORD, environ_base=owner).status_code == 302  # the judge on the day


def test_guessing_one_account_from_many_addresses_is_throttled(client, make_account):
    user = make_account(Role.MEMBER)
    for n in range(30):
        assert sign_in(client, user.staff_id, WRONG, environ_base={"REMOTE_ADDR": f"10.9.{n}.1"}).status_code == 200
    assert sign_in(client, user.staff_id, PASSWORD, environ_base={"REMOTE_ADDR": "10.9.99.1"}).status_code == 429


def test_a_json_body_counts_against_the_limit_and_signs_no_one_in(client, make_account):
    user = make_account(Role.MEMBER)
    address = {"REMOTE_ADDR": "10.0.0.77"}
    for _ in range(5):
        tried = client.post("/auth/login", json={"identifier": user.staff_id, "password": PASSWORD},
                            environ_base=address)
        assert tried.status_code == 200  # the form reads posted form fields only: not signed in
    assert sign_in(client, user.staff_id, PASSWORD, environ_base=address).status_code == 429


@pytest.mark.parametrize("path, fields", [
    ("/auth/login", {"identifier": "a", "password": "b"}),
    ("/auth/password", {"current_password": "a", "new_password": "b", "confirm_password": "b"}),
])
def test_a_text_field_sent_as_a_file_gets_a_form_answer_not_an_error(client, make_account, login, path, fields):
    if path != "/auth/login":
        login(make_account(Role.MEMBER))
    data = {name: (io.BytesIO(value.encode()), "x.txt") for name, value in fields.items()}
    answer = client.post(path, data=data, content_type="multipart/form-data")
    assert answer.status_code in (200, 400)


def test_a_copied_cookie_is_worth_nothing_after_sign_out(app, make_account, login):
    user = make_account(Role.MEMBER)
    browser = login(user)
    copied = browser.get_cookie("session").value
    assert browser.post("/auth/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/teams/").headers["Location"].startswith("/auth/login")
    assert thief.post("/notifications/read").headers["Location"].startswith("/auth/login")


def test_sign_out_everywhere_ends_every_browser_of_the_person(app, make_account):
    user = make_account(Role.MEMBER)
    phone, desk = app.test_client(), app.test_client()
    for client in (phone, desk):
        assert sign_in(client, user.staff_id, PASSWORD).status_code == 302
    assert "모든 기기에서 로그아웃" in desk.get("/auth/account").get_data(as_text=True)
    assert desk.post("/auth/sign-out-everywhere").status_code == 302
    for client in (phone, desk):
        assert client.get("/teams/").headers["Location"].startswith("/auth/login")
    assert sign_in(app.test_client(), user.staff_id, PASSWORD).status_code == 302  # signing in again works


def test_a_manager_signs_a_person_out_everywhere(app, make_account, manager_client):
    user = make_account(Role.MEMBER)
    theirs = app.test_client()
    sign_in(theirs, user.staff_id, PASSWORD)
    assert manager_client.post(f"/accounts/{user.id}/sign-out").status_code == 302
    assert theirs.get("/teams/").headers["Location"].startswith("/auth/login")
    assert events("signed_out_everywhere")[0].detail == {"sessions": 1}


def test_a_sign_in_lasts_a_working_day_at_most(app, make_account):
    user = make_account(Role.MEMBER)
    client = app.test_client()
    sign_in(client, user.staff_id, PASSWORD)
    with clock.travel(clock.now() + timedelta(hours=12, minutes=1)):
        assert client.get("/teams/").headers["Location"].startswith("/auth/login")


def test_a_temporary_password_expires_and_says_so(app, manager_client, make_account):
    member = make_account(Role.MEMBER)
    reset = manager_client.post(f"/accounts/{member.id}/reset-password").get_data(as_text=True)
    temporary = re.search(r'<code id="secret-value"[^>]*>([^<]+)</code>', reset)[1]
    assert "까지 쓸 수 있습니다" in reset
    with clock.travel(clock.now() + timedelta(hours=73)):
        late = sign_in(app.test_client(), member.staff_id, temporary)
        wrong = sign_in(app.test_client(), member.staff_id, WRONG)
    assert late.status_code == 200 and "임시 비밀번호의 사용 기한이 지났습니다" in late.get_data(as_text=True)
    assert "임시 비밀번호" not in wrong.get_data(as_text=True)  # said only to whoever knows the password
    assert sign_in(app.test_client(), member.staff_id, temporary).status_code == 302  # in time


def test_a_staff_id_that_is_another_accounts_email_signs_no_one_in(client, make_account):
    first, second = make_account(Role.MEMBER), make_account(Role.MANAGER)
    first.email = "kim@gyeongju.go.kr"
    second.staff_id = "KIM@gyeongju.go.kr"  # made before accounts were kept from it
    db.session.commit()
    assert sign_in(client, "kim@gyeongju.go.kr", PASSWORD).status_code == 200
    assert sign_in(client, first.staff_id, PASSWORD).status_code == 302


def test_behind_a_tls_proxy_the_cookie_is_secure_and_hsts_is_sent(another_app, make_account):
    app = another_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1, TESTING=True)
    user = make_account(Role.MEMBER)
    client = app.test_client()
    answer = sign_in(client, user.staff_id, PASSWORD, headers={"X-Forwarded-Proto": "https"})
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and answer.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_too_many_failures_from_one_address_are_throttled(client):
    for n in range(20):
        assert sign_in(client, f"guess{n}@example.org", WRONG).status_code == 200
    assert sign_in(client, "guess-last@example.org", WRONG).status_code == 429


def test_security_headers_on_every_page(client, make_account, login):
    for response in (client.get("/auth/login"), login(make_account(Role.MEMBER)).get("/teams/"),
                     client.get("/no-such-page")):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    for html in (client.get("/teams/").get_data(as_text=True), client.get("/auth/login").get_data(as_text=True)):
        assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # scripts only from the app's own files
        assert " style=" not in html and not re.search(r"\son\w+=", html)


def test_posts_without_a_csrf_token_are_refused(another_app, make_account):
    csrf_app = another_app(TESTING=True)
    user = make_account(Role.MANAGER)
    client = csrf_app.test_client()
    refused = sign_in(client, user.staff_id, PASSWORD)
    assert refused.status_code == 400 and "유효 시간이 지났습니다" in refused.get_data(as_text=True)
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    ok = client.post("/auth/login", data={"identifier": user.staff_id, "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302
    assert client.post("/auth/logout").status_code == 400
    assert client.post(f"/accounts/{user.id}/active/0").status_code == 400


def test_error_pages_are_styled_translated_and_without_internals(another_app):
    broken = another_app()

    @broken.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    from tracker.web.security import PUBLIC_ENDPOINTS
    PUBLIC_ENDPOINTS.add("boom")
    try:
        client = broken.test_client()
        korean = client.get("/boom")
        client.set_cookie("lang", "en")
        english = client.get("/boom")
    finally:
        PUBLIC_ENDPOINTS.discard("boom")
    assert korean.status_code == english.status_code == 500
    assert "오류가 발생했습니다" in korean.get_data(as_text=True)
    assert "Something went wrong" in english.get_data(as_text=True)
    for response in (korean, english):
        text = response.get_data(as_text=True)
        assert "secret internal detail" not in text and "Traceback" not in text
        assert "/static/css/app.css" in text


def test_throttling_is_shared_by_app_servers_through_redis(tmp_path, make_account):
    """Two separate processes (as two app servers) on one Redis: failures add up across them."""
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (start it; see DESIGN.md)")
    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    user = make_account(Role.MEMBER)
    prefix = f"test-{uuid.uuid4().hex}"  # this run's counts only, whatever else uses the Redis database
    script = (
        "import sys\n"
        "from tracker import create_app\n"
        "app = create_app({'TESTING': True, 'WTF_CSRF_ENABLED': False, 'RATELIMIT_KEY_PREFIX': sys.argv[3]})\n"
        "client = app.test_client()\n"
        "codes = [client.post('/auth/login', data={'identifier': sys.argv[1], 'password': 'wrong-password!'})"
        ".status_code for _ in range(int(sys.argv[2]))]\n"
        "print(' '.join(map(str, codes)))\n"
    )
    env = {**os.environ, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
           "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "TRACKER_INSTANCE_PATH": str(tmp_path)}

    def server(attempts: int) -> list[int]:
        done = subprocess.run([sys.executable, "-c", script, user.staff_id, str(attempts), prefix], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [int(code) for code in done.stdout.split()]

    assert server(3) == [200, 200, 200]
    assert server(3) == [200, 200, 429]
