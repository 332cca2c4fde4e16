"""A TCP proxy that can cut the database off (reliability/db_fault.py): between the app and
PostgreSQL, in threads of the calling process, with nothing but the standard library."""
import socket
import threading


class Proxy:
    """127.0.0.1:<port> -> PostgreSQL, with a switch: cut() ends every connection at both ends, as a
    server going down would, and refuses new ones; restore() accepts again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, 0  # the first listener picks a free port, later ones reuse it
        self.lock, self.pairs = threading.Lock(), set()
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        listener.listen(128)
        listener.settimeout(0.1)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        try:  # from now on: connection refused (a bare close waits for the accept() under way)
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()
        with self.lock:
            open_now, self.pairs = list(self.pairs), set()
        for pair in open_now:
            pair.end()

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            pair = _Pair(client, upstream)
            with self.lock:
                if self.listener is not listener:  # accepted while being cut
                    client.close()
                    upstream.close()
                    continue
                self.pairs.add(pair)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(pair, src, dst), daemon=True).start()

    def _pump(self, pair: "_Pair", src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.pairs.discard(pair)
            pair.pump_ended()


class _Pair:
    """The two sockets of one proxied connection and the two threads pumping between them.

    Ending a pair shuts both sockets down and never closes them: a shutdown wakes the other
    thread's recv() and sends the end of the stream to both sides at once. A close() under a
    thread blocked in recv() does neither: the socket stays open, so PostgreSQL keeps that
    session (and its transaction) waiting for ever, or the app keeps a connection that reaches
    no one, and the freed number may go to the next connection while that thread still reads.
    The last pump to stop closes both."""

    def __init__(self, client: socket.socket, upstream: socket.socket):
        self.sockets = (client, upstream)
        self.lock, self.running = threading.Lock(), 2

    def end(self) -> None:
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already ended by the other side
                pass

    def pump_ended(self) -> None:
        self.end()
        with self.lock:
            self.running -= 1
            last = self.running == 0
        if last:
            for sock in self.sockets:
                sock.close()
