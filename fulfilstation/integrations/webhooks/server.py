"""``WebhookServer``: receives shop webhooks over HTTP and hands verified ones on.

Routes: ``POST /webhooks/shopify/<channel>`` and ``POST /webhooks/woocommerce/<channel>``.

Invariants (what each request gets):

* only POST (else 405); an unknown path or source, or a channel the receiver does not know
  of that kind, 404; no ``Content-Length`` 411; a body over ``max_body`` bytes 413 —
  unread, before anything else;
* the signature (base64 HMAC-SHA256 over the RAW body with the channel's webhook secret)
  is checked in constant time before the body is decoded; missing or wrong: 401 and nothing
  is handed on (a WooCommerce *ping*, unsigned ``webhook_id=…``, is answered 200 and
  nothing else);
* a signed body that is not JSON, or not an order where an order was promised, is 400;
* a verified delivery goes to ``receiver.receive``: 200 when taken or when it was a repeat
  (nothing done twice); 500 when it could not be taken (the shop sends it again later).

Nothing secret (secrets, signatures, bodies) is logged. Threading: one thread per request
(``ThreadingHTTPServer``); the receiver must be thread-safe. ``serve_forever`` blocks; the
context manager runs it on a daemon thread (tests).
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fulfilstation.integrations.signatures import verify
from fulfilstation.integrations.webhooks.payloads import (
    SOURCES,
    Delivery,
    NotAnOrder,
    WebhookReceiver,
    is_woocommerce_ping,
)

log = logging.getLogger(__name__)
MAX_BODY = 2 * 1024 * 1024
READ_TIMEOUT = 30.0


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[::1]:PORT`` or ``PORT`` (this computer only) → (host, port); ValueError
    saying what is expected otherwise."""
    host, sep, port = text.strip().rpartition(":")
    if not sep:
        host, port = "127.0.0.1", text.strip()
    host = host.strip("[]") or "0.0.0.0"  # noqa: S104 - ":8080" asks for every interface
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"--listen {text!r} is not HOST:PORT (e.g. 0.0.0.0:8080 or 127.0.0.1:8080)")
    return host, int(port)


class WebhookServer:
    def __init__(self, host: str, port: int, receiver: WebhookReceiver, *, max_body: int = MAX_BODY) -> None:
        self.receiver = receiver
        self.max_body = max_body
        self._http = ThreadingHTTPServer((host, port), _handler(self))
        self._http.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._http.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._http.serve_forever()

    def shutdown(self) -> None:
        self._http.shutdown()

    def close(self) -> None:
        self._http.server_close()

    def __enter__(self) -> WebhookServer:
        self._thread = threading.Thread(target=self.serve_forever, name="webhooks", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.close()

    # ------------------------------------------------------------------ one request

    def answer(self, method: str, path: str, headers: Any, read_body: Any) -> tuple[int, str]:
        """(status, message) for one request; ``read_body(n)`` reads the body's n bytes."""
        parts = [urllib.parse.unquote(p) for p in urllib.parse.urlsplit(path).path.split("/") if p]
        if len(parts) != 3 or parts[0] != "webhooks" or parts[1] not in SOURCES:
            return 404, "no such webhook: use /webhooks/shopify/CHANNEL or /webhooks/woocommerce/CHANNEL"
        if method != "POST":
            return 405, "webhooks are POSTed"
        source_name, channel = parts[1], parts[2]
        source = SOURCES[source_name]
        length_text = headers.get("Content-Length")
        if length_text is None or not (str(length_text).isascii() and str(length_text).isdigit()):  # not "²"
            return 411, "a webhook needs a Content-Length"
        length = int(length_text)
        if length > self.max_body:
            return 413, f"a webhook body may hold at most {self.max_body} bytes"
        raw = read_body(length)
        try:
            secret = self.receiver.secret(source_name, channel)
        except Exception as error:  # noqa: BLE001 - the database or the keyring is away: "try again"
            log.error("could not look up %s channel %s: %s", source_name, channel, error)
            return 500, "not taken; send it again later"
        if secret is None:
            return 404, f"no active {source_name} channel is called {channel}"
        signature = headers.get(source.signature_header)
        if is_woocommerce_ping(source_name, signature, raw):
            log.info("WooCommerce webhook ping for channel %s", channel)
            return 200, "pong"
        if not secret:
            log.warning("channel %s has no webhook secret in the keyring (channel:%s:webhook): refused a delivery",
                        channel, channel)
            return 401, "signature not verified"
        if not verify(secret, raw, signature):
            log.warning("refused a %s webhook for channel %s: bad or missing signature", source_name, channel)
            return 401, "signature not verified"
        topic = headers.get(source.topic_header)
        try:
            payload = json.loads(raw.decode("utf-8"))
            if not isinstance(payload, dict):
                raise NotAnOrder("the body is not a JSON object")
            orders = source.decode(channel, topic, payload)
        except (UnicodeDecodeError, ValueError) as error:  # NotAnOrder is a ValueError
            return 400, f"the body is not a {source_name} order: {error}"
        delivery = Delivery(source_name, channel, headers.get(source.delivery_header) or None, topic, orders)
        try:
            taken = self.receiver.receive(delivery)
        except Exception as error:  # noqa: BLE001 - the shop must hear "try again", the log says why
            log.error("could not take %s webhook %s for channel %s: %s", source_name, delivery.delivery_id,
                      channel, error)
            return 500, "not taken; send it again later"
        return 200, "taken" if taken else "already taken"


def _handler(server: WebhookServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = READ_TIMEOUT  # a client that stops sending does not hold a thread for ever
        server_version = "FulfilStation-Webhooks"
        sys_version = ""

        def _serve(self) -> None:
            status, message = server.answer(self.command, self.path, self.headers, self.rfile.read)
            data = json.dumps({"status": status, "message": message}).encode("utf-8")
            self.send_response(status)
            if status == 405:
                self.send_header("Allow", "POST")
            if status in (411, 413):
                self.close_connection = True  # the body was not read
                self.send_header("Connection", "close")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            log.debug("%s %s", self.address_string(), format % args)

    return Handler
