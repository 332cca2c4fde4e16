"""Fixtures: one app per test session on SQLite (default) or PostgreSQL (TEST_DATABASE_URL);
every test starts from empty tables, with the app's clock pinned (TRACKER_TEST_NOW moves it)."""
import functools
import os
import uuid
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tracker import clock, create_app
from tracker.extensions import db, limiter
from tracker.models import Role
from tracker.services import accounts

PASSWORD = "correct-horse-battery"
CHEAP_HASH = "pbkdf2:sha256:1"  # hashing is not what most tests test (the one that does sets scrypt)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# "Now" for every test: a fixed moment in Korea, never the real clock. `.ci/run` runs the suite once
# more with TRACKER_TEST_NOW years ahead, so a test that hides a date of its own fails there.
SUITE_NOW = datetime.fromisoformat(os.environ.get("TRACKER_TEST_NOW") or "2026-11-20T10:00:00+09:00")


@pytest.fixture(scope="session", autouse=True)
def _pinned_clock():
    with clock.travel(SUITE_NOW):
        yield


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (its own ``g`` and database session), as it does
    on a real server, even while the test itself holds one open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _drop_alembic_version():
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _empty_tables(request):
    yield
    if "app" not in request.fixturenames or request.node.get_closest_marker("shared_data"):
        return
    _delete_every_row(request.getfixturevalue("app"))


def _delete_every_row(app) -> None:
    with app.app_context():
        limiter.reset()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(scope="module")
def module_ctx(app):
    """An app context held for a whole module marked ``shared_data``: its data is built once by a
    module fixture, its tests only read (nothing is emptied between them), every row goes at the end."""
    with app.app_context():
        yield
        db.session.rollback()
    _delete_every_row(app)


@pytest.fixture
def ctx(app):
    """An app context with a clean session, for service and importer tests."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def load_programme() -> None:
    """The shipped programme data: cohort 1 with its four projects, cohort 2 with its subcommittees."""
    from tracker.importers.programme import load_programme

    load_programme()
    db.session.commit()


@pytest.fixture
def programme(ctx):
    load_programme()


@functools.cache
def _password_hash() -> str:
    return accounts.hash_password(PASSWORD)


def account_maker():
    """make(Role.MEMBER, ...) -> a committed, active account with PASSWORD (in the current app context)."""
    counter = iter(range(1, 10_000))

    def make(*roles: Role, name: str | None = None, must_change: bool = False, active: bool = True):
        n = next(counter)
        user, _temporary = accounts.create_account(accounts.NewAccount(
            name=name or f"사용자{n}", staff_id=f"staff-{n}-{'-'.join(r.value for r in roles)}",
            roles=roles or (Role.MEMBER,)), actor=None, address=None)
        user.password_hash = _password_hash()
        user.must_change_password = must_change
        user.is_active = active
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_account(ctx):
    """make_account(Role.MEMBER, ...) -> a committed, active account with PASSWORD."""
    return account_maker()


@pytest.fixture
def login(client):
    """login(user) signs the test client in through the sign-in form."""
    def sign_in(user, password: str = PASSWORD):
        response = client.post("/auth/login", data={"identifier": user.staff_id or user.email,
                                                    "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return sign_in


@pytest.fixture
def manager_client(make_account, login):
    """The test client, signed in as a programme manager (who may see everything)."""
    return login(make_account(Role.MANAGER, name="운영담당"))


@pytest.fixture
def empty_database(database_url, tmp_path):
    """empty_database() -> the URL of a new, empty database of the same kind as the suite's."""
    if database_url.startswith("sqlite"):
        counter = iter(range(1, 100))
        yield lambda: f"sqlite:///{tmp_path / f'empty-{next(counter)}.sqlite'}"
        return
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    names = []

    def create() -> str:
        names.append(f"tracker_empty_{uuid.uuid4().hex[:10]}")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{names[-1]}"'))
        return sa.engine.make_url(database_url).set(database=names[-1]).render_as_string(hide_password=False)

    yield create
    with admin.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_database_url(empty_database):
    """A new, empty database of the same kind as the suite's."""
    return empty_database()


@pytest.fixture
def another_app(database_url):
    """another_app(**config): a second app on the suite's database (its engine closed after)."""
    made = []

    def make(**config):
        extra = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "another", **config})
        extra.test_client_class = FreshContextClient
        made.append(extra)
        return extra

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()
