"""The HTTP side shared by the local carrier API stand-ins (UPS, USPS …), tests only.

A subclass answers ``route(method, path, query, headers, body) -> (route name, status, reply)``
where ``reply`` is JSON-able or bytes. The base serves it on 127.0.0.1 (``StubServer``),
parses the body (JSON, or a form for OAuth token requests), and applies the test controls:

* ``delay(route, seconds)``: the next request to ``route`` *does its work* (the label is
  made, the ledger written) and then answers only after ``seconds`` — past the client's timeout.
* ``fail(route, status, body=None)``: the next request to ``route`` answers ``status``
  (e.g. 503) with ``body`` (default: an HTML error page, as load balancers send) *without*
  doing its work; ``fail_after_work(route, status)``: the work is done, then the 5xx comes.
* ``malform(route)``: the next request to ``route`` does its work and answers 200 with a
  body that is not JSON.

``requests`` keeps every (route, method, path, headers, body) received, under the lock.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.stub_server import StubServer

HTML_503 = b"<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>"
MALFORMED = b'{"ShipmentResponse": {"Response": {"ResponseStatus": '  # cut off mid-object


class CarrierStub(StubServer):
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, dict[str, str], Any]] = []
        self._delays: dict[str, float] = {}
        self._failures: dict[str, tuple[int, Any, bool]] = {}
        self._malformed: set[str] = set()
        self._lock = threading.Lock()
        self._serve(_handler(self))

    # ------------------------------------------------------------------ test controls

    def delay(self, route: str, seconds: float) -> None:
        with self._lock:
            self._delays[route] = seconds

    def fail(self, route: str, status: int, body: Any = None) -> None:
        with self._lock:
            self._failures[route] = (status, HTML_503 if body is None else body, False)

    def fail_after_work(self, route: str, status: int, body: Any = None) -> None:
        with self._lock:
            self._failures[route] = (status, HTML_503 if body is None else body, True)

    def malform(self, route: str) -> None:
        with self._lock:
            self._malformed.add(route)

    def count(self, route: str) -> int:
        with self._lock:
            return sum(1 for r, *_ in self.requests if r == route)

    def bodies(self, route: str) -> list[Any]:
        with self._lock:
            return [body for r, _m, _p, _h, body in self.requests if r == route]

    # ------------------------------------------------------------------ for subclasses

    def route_of(self, method: str, path: str) -> str:
        raise NotImplementedError

    def answer(self, route: str, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------ serving

    def serve(self, method: str, raw_path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any, float]:
        parsed = urllib.parse.urlsplit(raw_path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        route = self.route_of(method, parsed.path)
        body = _parse(raw, headers.get("content-type", ""))
        with self._lock:
            self.requests.append((route, method, parsed.path, headers, body))
            failure = self._failures.pop(route, None)
            delay = self._delays.pop(route, 0.0)
            malformed = route in self._malformed
            self._malformed.discard(route)
        if failure is not None and not failure[2]:
            return failure[0], failure[1], delay
        status, reply = self.answer(route, method, parsed.path, query, headers, body)
        if failure is not None:
            return failure[0], failure[1], delay
        if malformed:
            return 200, MALFORMED, delay
        return status, reply, delay


def basic_auth(headers: dict[str, str]) -> tuple[str, str] | None:
    value = headers.get("authorization", "")
    if not value.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


def bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    return value[7:] if value.lower().startswith("bearer ") else None


def _parse(raw: bytes, content_type: str) -> Any:
    if not raw:
        return {}
    text = raw.decode("utf-8", "replace")
    if "x-www-form-urlencoded" in content_type.lower():
        return dict(urllib.parse.parse_qsl(text))
    try:
        return json.loads(text)
    except ValueError:
        return text


def _handler(stub: CarrierStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def do_DELETE(self) -> None:
            self._handle("DELETE")

        def do_PUT(self) -> None:
            self._handle("PUT")

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, reply, delay = stub.serve(method, self.path, headers, raw)
            if delay:
                time.sleep(delay)  # the work is done; the answer comes too late
            data = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
            kind = "application/json" if not isinstance(reply, bytes) or reply.startswith(b"{") else "text/html"
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    return Handler
