"""A request's first read, made before its transaction begins (PostgreSQL).

On PostgreSQL a transaction costs two round trips of its own: the BEGIN before its first statement
and the ROLLBACK that ends it as the connection goes back to the pool. A request that needs nothing
but the signed-in person (a kept page) reads them in autocommit and so costs one round trip;
whatever the request reads or writes after that begins the transaction as before. Nothing is lost
by reading the person outside it: under READ COMMITTED every statement sees the database as of its
own start anyway, and a plain SELECT takes no row locks. Elsewhere (SQLite, or a transaction
already under way) the statement runs as any other.
"""
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from tracker.extensions import db


def read_first(statement: sa.Select) -> list[sa.Row]:
    """Every row of ``statement`` (unique), read outside a transaction when none has begun."""
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name != "postgresql" or raw.autocommit \
            or raw.info.transaction_status != TransactionStatus.IDLE:
        return db.session.execute(statement).unique().all()
    raw.autocommit = True
    try:
        return db.session.execute(statement).unique().all()
    finally:
        try:
            raw.autocommit = False
        except Exception:  # a connection gone bad in between: never back to the pool in autocommit
            connection.invalidate()
