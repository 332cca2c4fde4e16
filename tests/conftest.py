"""Fixtures: one app per test session on SQLite (default) or PostgreSQL (TEST_DATABASE_URL);
every test starts from empty tables."""
import os

import pytest
import sqlalchemy as sa

from tracker import create_app
from tracker.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
    })
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
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


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


@pytest.fixture
def programme(ctx):
    """The shipped programme data: cohort 1 with its four projects, cohort 2 with its subcommittees."""
    from tracker.importers.programme import load_programme

    load_programme()
    db.session.commit()
