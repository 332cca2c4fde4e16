"""The database-cut run's proxy (reliability/fault_proxy.py) ends connections the way a server going
down does: both ends hear of it at once. A side it leaves open hangs its peer: PostgreSQL keeps a
transaction nobody will finish, and the app a connection that swallows its next query."""
import socket

import pytest

from reliability.fault_proxy import Proxy

WAIT_S = 5


@pytest.fixture()
def server():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(WAIT_S)
    yield listener
    listener.close()


@pytest.fixture()
def proxy(server):
    proxy = Proxy(server.getsockname())
    yield proxy
    if proxy.listener:
        proxy.cut()


@pytest.fixture()
def connect(proxy, server):
    opened = []

    def connect() -> tuple[socket.socket, socket.socket]:
        """(the app's end, the database's end) of a new connection through the proxy, shown to
        carry data both ways."""
        app_end = socket.create_connection(("127.0.0.1", proxy.port), timeout=WAIT_S)
        opened.append(app_end)
        database_end, _ = server.accept()
        opened.append(database_end)
        return _carries_data(app_end, database_end)
    yield connect
    for sock in opened:
        sock.close()


def _carries_data(app_end: socket.socket, database_end: socket.socket) -> tuple[socket.socket, socket.socket]:
    database_end.settimeout(WAIT_S)
    app_end.sendall(b"SELECT 1")
    assert database_end.recv(100) == b"SELECT 1"
    database_end.sendall(b"1")
    assert app_end.recv(100) == b"1"
    return app_end, database_end


def _ended(sock: socket.socket) -> bool:
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_when_the_app_hangs_up_the_database_hears_it(connect):
    app_end, database_end = connect()
    app_end.close()
    assert _ended(database_end)  # before: PostgreSQL waited on this connection for ever


def test_when_the_database_hangs_up_the_app_hears_it(connect):
    app_end, database_end = connect()
    database_end.close()
    assert _ended(app_end)


def test_a_cut_ends_every_connection_at_both_ends_and_refuses_new_ones_until_restored(proxy, connect):
    connections = [connect() for _ in range(3)]
    connections[0][0].close()  # one already ending as the cut comes
    proxy.cut()
    for app_end, database_end in connections:
        assert _ended(database_end)
        assert app_end.fileno() == -1 or _ended(app_end)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=WAIT_S).close()
    proxy.restore()
    connect()
