"""A TCP proxy between FulfilStation and PostgreSQL that can lose the answer to a COMMIT:
the server commits, and the client never hears it (a cable pulled at the worst moment).

``CuttingProxy(port)`` listens on a free port of 127.0.0.1 and relays every connection to
the server's ``port``. ``arm(marker)``: the next connection whose client sends bytes holding
``marker`` (e.g. ``b"INSERT INTO shipments"``) is cut as soon as the server answers a COMMIT
on it — the server's ``CommandComplete COMMIT`` is swallowed and both sockets closed — so
the transaction IS committed while the client sees a lost connection. ``cut`` is set then.
Every other connection (and every later one) is relayed untouched. A test fault of the
network, not of our code: nothing in FulfilStation is replaced.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType

_COMMIT_DONE = b"COMMIT\x00"  # the tag of the server's CommandComplete after a COMMIT


class CuttingProxy:
    def __init__(self, port: int) -> None:
        self.target = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._marker: bytes | None = None
        self._lock = threading.Lock()
        self.cut = threading.Event()
        self._closing = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def arm(self, marker: bytes) -> None:
        with self._lock:
            self._marker = marker
            self.cut.clear()

    def close(self) -> None:
        self._closing = True
        self._listener.close()
        for sock in list(self._sockets):
            _close(sock)

    def __enter__(self) -> CuttingProxy:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            except OSError:
                _close(client)  # the server is down: the client sees the connection refused
                continue
            server.settimeout(None)
            self._sockets += [client, server]
            watching = threading.Event()  # this connection sent the marker: cut at its COMMIT
            threading.Thread(target=self._to_server, args=(client, server, watching), daemon=True).start()
            threading.Thread(target=self._to_client, args=(server, client, watching), daemon=True).start()

    def _to_server(self, client: socket.socket, server: socket.socket, watching: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                with self._lock:
                    if self._marker is not None and self._marker in data:
                        self._marker = None
                        watching.set()
                server.sendall(data)
        except OSError:
            pass
        _close(client)
        _close(server)

    def _to_client(self, server: socket.socket, client: socket.socket, watching: threading.Event) -> None:
        try:
            while data := server.recv(65536):
                if watching.is_set() and _COMMIT_DONE in data:
                    self.cut.set()
                    break  # committed on the server; the client never hears it
                client.sendall(data)
        except OSError:
            pass
        _close(client)
        _close(server)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
