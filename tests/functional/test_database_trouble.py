"""When the database is busy: a save waits for another writer's lock."""
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

