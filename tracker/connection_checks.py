"""PostgreSQL connections are checked before a request uses them, with a round trip only when needed.

SQLAlchemy's ``pool_pre_ping`` asks the server at every checkout, one round trip per request to a
server on the same two cores. Here a connection taken from the pool is asked only when it lay idle
for a while (a firewall may have dropped it silently) or when its socket already holds something
to read: an idle connection the server closed (a restart, pg_terminate_backend) or reset carries
the server's last message or the end of the stream, which ``select`` sees without a round trip.
A connection that fails the check is replaced before the request sees it; one closed on our side
is replaced without asking.
"""
import select
import time

import sqlalchemy as sa

ASK_AFTER_IDLE_S = 10.0
_CHECKED_IN = "tracker.checked_in_at"


def check_before_use(engine: sa.Engine) -> None:
    sa.event.listen(engine, "checkin", _note_checkin)
    sa.event.listen(engine, "checkout", _checker(engine.dialect))


def _note_checkin(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[_CHECKED_IN] = time.monotonic()


def _checker(dialect):
    def check(dbapi_connection, record, _proxy) -> None:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise sa.exc.DisconnectionError("the connection was closed")
        checked_in = record.info.get(_CHECKED_IN)
        if checked_in is not None and time.monotonic() - checked_in < ASK_AFTER_IDLE_S \
                and not _has_something_to_read(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: a new connection, not a failed page
            raise sa.exc.DisconnectionError(str(error)) from error
    return check


def _has_something_to_read(dbapi_connection) -> bool:
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
