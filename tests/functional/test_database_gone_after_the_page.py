"""The database going away at the end of a request (tests/functional/test_database_trouble.py has the
503 page itself): the answer already made is still given."""
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from tracker.models import Role


def test_a_page_made_before_the_database_went_away_is_still_answered(app, make_account, login, monkeypatch):
    """The connection dies after the page's last query: the closing ROLLBACK fails, the page stands."""
    client = login(make_account(Role.MEMBER))
    close, failed = sa.orm.Session.close, []

    def close_on_a_dead_connection(session):
        if not failed:
            failed.append(True)
            raise OperationalError("ROLLBACK", {}, ConnectionResetError("server closed the connection"))
        return close(session)

    monkeypatch.setattr(sa.orm.Session, "close", close_on_a_dead_connection)

    response = client.get("/proposals/")

    assert failed and response.status_code == 200
