"""The database unreachable (a restart, a network cut): a clear 503 page, never a 500."""
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from tracker.extensions import db, login_manager
from tracker.models import Role
from tracker.services import archive, notifications, presentation


def test_the_database_gone_is_the_503_page_for_a_signed_in_person_too(app, make_account, login, monkeypatch):
    """The menu of a signed-in person reads the database: the 503 page must not (it would fail)."""
    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    client = login(make_account(Role.MEMBER))
    for module, name in ((archive, "proposal_list"), (notifications, "unread_count"),
                         (presentation, "events_to_judge")):
        monkeypatch.setattr(module, name, unreachable)

    response = client.get("/proposals/")

    assert response.status_code == 503
    assert "잠시 후 다시 시도해 주세요" in response.get_data(as_text=True)


def test_the_503_page_when_even_the_signed_in_account_cannot_be_read(app, make_account, login, monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    client = login(make_account(Role.MEMBER))
    monkeypatch.setattr(login_manager, "_user_callback", unreachable)

    response = client.get("/proposals/")

    assert response.status_code == 503
    assert "잠시 후 다시 시도해 주세요" in response.get_data(as_text=True)


def test_the_503_page_when_the_connection_died_mid_request(app, make_account, login, monkeypatch):
    """The connection is gone: even the ROLLBACK fails, and the page is still the 503 page."""
    def unreachable(*_args, **_kwargs):
        raise OperationalError("ROLLBACK", {}, ConnectionResetError("server closed the connection"))

    client = login(make_account(Role.MEMBER))
    monkeypatch.setattr(archive, "proposal_list", unreachable)
    monkeypatch.setattr(db.session, "rollback", unreachable)

    response = client.get("/proposals/")

    assert response.status_code == 503
    assert "잠시 후 다시 시도해 주세요" in response.get_data(as_text=True)


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
