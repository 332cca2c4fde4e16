"""When the database is busy, unreachable or restarting: a save waits for another writer's lock,
a database that cannot be reached gives the "try again in a moment" page within seconds, and the
app works again as soon as the database is back, without a restart."""
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.helpers import text_of
from tracker import create_app
from tracker.extensions import db
from tracker.models import AuditEvent, Role
from tracker.services import accounts

TRY_AGAIN = "잠시 후 다시 시도해 주세요"
SIGN_IN = {"identifier": "G-1", "password": PASSWORD}
POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"  # the server is there in every run


def app_on(url: str, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": url, **config})


@pytest.fixture
def sqlite_app(tmp_path):
    """make(**config): an app on its own SQLite file holding one member (G-1) who may sign in."""
    made = []

    def make(**config):
        app = app_on(f"sqlite:///{tmp_path / 'busy.sqlite'}", **config)
        with app.app_context():
            db.create_all()
            if accounts.find_by_identifier("G-1") is None:
                user, _temporary = accounts.create_account(accounts.NewAccount(
                    name="김민지", staff_id="G-1", roles=(Role.MEMBER,)), actor=None, address=None)
                user.password_hash = accounts.hash_password(PASSWORD)
                user.must_change_password = False
                db.session.commit()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def write_lock_held(path, seconds: float):
    """Another program writes to the SQLite file and keeps its write lock for ``seconds``."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO audit_event (event, created_at) VALUES ('other_writer', '2025-01-01')")
    release = threading.Timer(seconds, lambda: (holder.execute("COMMIT"), holder.close()))
    release.start()
    try:
        yield
    finally:
        release.join()


def sign_ins(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).filter_by(event="login"))


def test_a_save_waits_while_another_writer_holds_the_sqlite_lock(sqlite_app, tmp_path):
    app = sqlite_app()
    with write_lock_held(tmp_path / "busy.sqlite", seconds=1.0):
        started = time.monotonic()
        response = app.test_client().post("/auth/login", data=SIGN_IN)
        waited = time.monotonic() - started
    assert response.status_code == 302, text_of(response)[:300]
    assert waited >= 0.8
    assert sign_ins(app) == 1


def test_a_lock_held_longer_than_the_busy_timeout_gives_the_try_again_page(sqlite_app, tmp_path):
    app = sqlite_app(SQLITE_BUSY_TIMEOUT_MS=200)
    with write_lock_held(tmp_path / "busy.sqlite", seconds=1.0):
        response = app.test_client().post("/auth/login", data=SIGN_IN)
    assert response.status_code == 503
    assert TRY_AGAIN in text_of(response)
    assert sign_ins(app) == 0


def test_an_unreachable_database_gives_the_try_again_page_at_once_in_both_languages():
    app = app_on("postgresql+psycopg://postgres@127.0.0.1:1/tracker")
    client = app.test_client()
    started = time.monotonic()
    response = client.post("/auth/login", data=SIGN_IN)
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    text = text_of(response)
    assert "서비스를 잠시 이용할 수 없습니다" in text and TRY_AGAIN in text
    assert "Traceback" not in text and "psycopg" not in text

    client.get("/lang/en")
    response = client.post("/auth/login", data=SIGN_IN)
    assert response.status_code == 503 and "Please try again in a moment" in text_of(response)


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers, like a database server that hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    yield listener.getsockname()[1]
    listener.close()


def test_a_database_server_that_does_not_answer_gives_the_page_after_the_connect_timeout(silent_server):
    app = app_on(f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/tracker")
    started = time.monotonic()
    response = app.test_client().post("/auth/login", data=SIGN_IN)
    assert response.status_code == 503 and TRY_AGAIN in text_of(response)
    assert time.monotonic() - started < 8


def signed_in_client(app, member):
    client = app.test_client()
    assert client.post("/auth/login", data={"identifier": member.staff_id, "password": PASSWORD}).status_code == 302
    return client


@contextmanager
def database_down(app):
    """Every new connection fails, as while the database server restarts; open ones are dropped."""
    with app.app_context():
        engine = db.engine

    def refuse(*_args):
        raise engine.dialect.loaded_dbapi.OperationalError("the database system is starting up")

    engine.dispose()
    sa.event.listen(engine, "do_connect", refuse)
    try:
        yield
    finally:
        sa.event.remove(engine, "do_connect", refuse)


def test_pages_answer_try_again_while_the_database_is_down_and_work_again_after(another_app, make_account):
    member = make_account(Role.MEMBER, name="김민지")
    app = another_app(WTF_CSRF_ENABLED=False)
    client = signed_in_client(app, member)
    assert client.get("/teams/").status_code == 200

    with database_down(app):
        response = client.get("/teams/")
        assert response.status_code == 503 and TRY_AGAIN in text_of(response)
        assert client.get("/proposals/").status_code == 503

    response = client.get("/teams/")
    assert response.status_code == 200
    assert "김민지" in text_of(response)  # still signed in: no restart, no new sign-in


def test_postgresql_connections_give_up_after_3_seconds_and_are_checked_before_use():
    options = app_on("postgresql://postgres@127.0.0.1/tracker").config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"connect_timeout": 3}
    assert options["pool_pre_ping"] is True
    assert app_on("sqlite://").config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_postgresql_connections_the_server_ended_a_moment_ago_are_replaced_before_use():
    app = app_on(POSTGRESQL)
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            first = connection.scalar(sa.text("SELECT pg_backend_pid()"))
        with engine.connect() as connection:  # the pooled connection, checked and used again
            assert connection.scalar(sa.text("SELECT pg_backend_pid()")) == first
        admin = sa.create_engine(POSTGRESQL, poolclass=sa.pool.NullPool)
        with admin.connect() as connection:  # as a restart or an administrator does
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT pg_backend_pid()")) != first
        engine.dispose()


def test_connections_the_database_dropped_are_replaced_before_a_page_uses_them(another_app, make_account):
    member = make_account(Role.MEMBER, name="김민지")
    app = another_app(WTF_CSRF_ENABLED=False)
    client = signed_in_client(app, member)
    with app.app_context():
        engine = db.engine
    pooled = []
    sa.event.listen(engine, "checkin", lambda dbapi_connection, _record: pooled.append(dbapi_connection))
    assert client.get("/teams/").status_code == 200
    for connection in pooled:  # as a database restart or an idle timeout does
        connection.close()
    response = client.get("/teams/")
    assert response.status_code == 200 and "김민지" in text_of(response)


def test_commands_say_when_the_database_cannot_be_reached():
    app = app_on("postgresql+psycopg://postgres@127.0.0.1:1/tracker")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["tracker", "load-programme"])
    assert result.exit_code == 1
    assert "데이터베이스에 연결할 수 없어 아무것도 하지 않았습니다" in result.output
    assert "Traceback" not in result.output


def test_the_database_going_away_while_an_error_page_reads_its_menu_gives_the_try_again_page(
        another_app, make_account, monkeypatch):
    member = make_account(Role.MEMBER, name="김민지")
    app = another_app(WTF_CSRF_ENABLED=False)
    client = signed_in_client(app, member)
    assert client.get("/accounts/").status_code == 403

    def gone(*_args):  # the connection dies after the view refused, while the 403 page reads the menu
        raise sa.exc.OperationalError("SELECT count(*) FROM notification", {}, Exception("server closed"))

    monkeypatch.setattr("tracker.services.menu.counts", gone)
    response = client.get("/accounts/")
    assert response.status_code == 503 and TRY_AGAIN in text_of(response)
