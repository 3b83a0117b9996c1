"""The HTTP skeleton every local stand-in of a web API shares (tests only).

``StubServer`` serves a ``BaseHTTPRequestHandler`` class on 127.0.0.1 at a free port from a
``ThreadingHTTPServer`` (one thread per request, so a late answer never blocks the next
request) in a daemon thread, from ``__enter__`` until ``__exit__``. A stub subclasses it,
builds its handler class bound to itself and calls ``_serve(handler)`` in ``__init__``;
``base_url`` is ``http://127.0.0.1:PORT`` plus the stub's ``base_path`` (e.g. ``/v2``).

Threading: the handler runs on the server's threads; a stub keeps its state under its own lock.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class StubServer:
    base_path = ""

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.base_path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
