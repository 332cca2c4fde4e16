"""The signed-in person is read outside a transaction on PostgreSQL (tracker/first_read.py): one
round trip for a kept page, yet whatever the request does next is in a transaction again, and a
connection never goes back to the pool in autocommit, whatever happened to the read."""
import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from tracker import create_app
from tracker.extensions import db
from tracker.first_read import read_first

POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"  # the server is there in every run


@pytest.fixture
def pg_app():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": POSTGRESQL})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _raw():
    return db.session.connection().connection.dbapi_connection


def test_the_first_read_opens_no_transaction_and_the_next_statement_does(pg_app):
    assert read_first(sa.select(sa.literal(1))) == [(1,)]
    raw = _raw()
    assert raw.info.transaction_status == TransactionStatus.IDLE and raw.autocommit is False
    db.session.execute(sa.text("SELECT 2"))
    assert raw.info.transaction_status == TransactionStatus.INTRANS  # what follows is atomic again
    db.session.execute(sa.text("CREATE TEMP TABLE first_read_probe (x int)"))
    db.session.execute(sa.text("INSERT INTO first_read_probe VALUES (1)"))
    db.session.rollback()
    assert db.session.scalar(sa.text("SELECT to_regclass('pg_temp.first_read_probe')")) is None  # all undone
    db.session.execute(sa.text("SELECT 2"))
    assert read_first(sa.select(sa.literal(3))) == [(3,)]  # inside a transaction: read in it
    assert _raw().info.transaction_status == TransactionStatus.INTRANS


def test_a_failed_first_read_leaves_the_connection_transactional(pg_app):
    with pytest.raises(sa.exc.DataError):
        read_first(sa.select(sa.literal(1) / sa.literal(0)))
    db.session.rollback()
    assert _raw().autocommit is False
    db.session.execute(sa.text("SELECT 1"))
    assert _raw().info.transaction_status == TransactionStatus.INTRANS


def test_a_connection_the_server_ended_during_the_first_read_is_not_pooled(pg_app):
    pid = db.session.connection().connection.dbapi_connection.info.backend_pid
    admin = sa.create_engine(POSTGRESQL, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(sa.exc.OperationalError):
        read_first(sa.select(sa.literal(1)))
    db.session.remove()
    assert read_first(sa.select(sa.literal(1))) == [(1,)]  # a new connection, in a fresh session
    raw = _raw()
    assert raw.info.backend_pid != pid and raw.autocommit is False
