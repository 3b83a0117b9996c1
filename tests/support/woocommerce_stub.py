"""A local stand-in for a WooCommerce shop's REST API v3 on 127.0.0.1, for tests only.

It follows the shapes WooCommerce documents (``/wp-json/wc/v3``) for what FulfilStation uses:

* ``GET /orders`` with ``status`` (comma list), ``modified_after`` (strictly after; GMT
  with ``dates_are_gmt=true``), ``orderby=modified``/``order=asc``, ``per_page`` (≤ 100) and
  ``page``; the headers ``X-WP-Total`` and ``X-WP-TotalPages``;
* ``GET``/``PUT /orders/{id}`` (``status``; ``meta_data`` entries update the entry of that
  key, or are added), ``GET``/``POST /orders/{id}/notes`` (``{note, customer_note}``);
* ``GET /products?sku=A,B`` (products and variations: a variation has ``type``
  "variation" and its ``parent_id``), ``POST /products/batch`` and
  ``POST /products/{id}/variations/batch`` with ``{"update": [{id, manage_stock,
  stock_quantity}]}`` (an unknown id answers an item with ``error``, as WooCommerce does).

Errors are WooCommerce's ``{"code", "message", "data": {"status"}}``. A request without
the consumer key and secret (HTTP Basic, or ``consumer_key``/``consumer_secret`` query
parameters) gets 401.

Test controls (each applies to the next request of a route: ``orders``, ``order``,
``update_order``, ``notes``, ``add_note``, ``products``, ``products_batch``,
``variations_batch``): ``fail_stock_of(product_id, status=503)`` fails every batch updating
that product (until ``stock_failures`` is cleared); ``fail(route, status, retry_after=None)`` answers an error without
doing anything; ``delay(route, seconds)`` does the work and answers late (past a client's
timeout); ``malformed(route)`` does the work and answers something that is not JSON;
``lose_response(route)`` does the work and drops the connection without an answer.
Dates: the stub's clock moves one second per change (``tick``), so ``date_modified_gmt``
orders changes deterministically.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.stub_server import StubServer

PREFIX = "/wp-json/wc/v3"
START = dt.datetime(2026, 12, 1, 8, 0, 0)


class WooCommerceStub(StubServer):
    def __init__(self, key: str = "ck_stub_key", secret: str = "cs_stub_secret") -> None:
        self.key, self.secret = key, secret
        self.orders: dict[int, dict[str, Any]] = {}
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self.products: dict[int, dict[str, Any]] = {}  # products and variations by id
        self.requests: list[tuple[str, str, str, Any]] = []  # (route, method, path with query, body)
        self._controls: dict[str, tuple[str, Any]] = {}
        self.stock_failures: dict[int, int] = {}  # product id → HTTP status of every batch updating it
        self._clock = START
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self._serve(_handler(self))

    # ------------------------------------------------------------------ controls

    def fail(self, route: str, status: int, *, retry_after: str | None = None, code: str = "stub_error",
             message: str = "The stub was told to fail.") -> None:
        self._controls[route] = ("fail", (status, retry_after, code, message))

    def delay(self, route: str, seconds: float) -> None:
        self._controls[route] = ("delay", seconds)

    def malformed(self, route: str) -> None:
        self._controls[route] = ("malformed", None)

    def lose_response(self, route: str) -> None:
        self._controls[route] = ("lose", None)

    def fail_stock_of(self, product_id: int, status: int = 503) -> None:
        """Every products/variations batch updating ``product_id`` answers HTTP ``status``
        (nothing updated), until ``stock_failures`` is cleared: a product the shop chokes on."""
        self.stock_failures[product_id] = status

    def count(self, route: str) -> int:
        return sum(1 for r, *_ in self.requests if r == route)

    # ------------------------------------------------------------------ data

    def tick(self) -> str:
        with self._lock:
            self._clock += dt.timedelta(seconds=1)
            return self._clock.strftime("%Y-%m-%dT%H:%M:%S")

    def add_order(self, *, status: str = "processing", lines: list[tuple[str, int, str]] | None = None,
                  **fields: Any) -> dict[str, Any]:
        """An order as WooCommerce shows it; ``lines`` are (sku, quantity, price)."""
        with self._lock:
            order_id = next(self._ids)
            now = self.tick()
            order: dict[str, Any] = {
                "id": order_id, "number": str(order_id), "status": status, "currency": "USD",
                "total": "29.35", "customer_note": "", "date_created_gmt": now, "date_modified_gmt": now,
                "date_paid_gmt": now if status in ("processing", "completed") else None,
                "billing": {"first_name": "Ana", "last_name": "Lima", "country": "US", "email": "ana@example.com",
                            "phone": "+1 212 555 0100"},
                "shipping": {"first_name": "Ana", "last_name": "Lima", "company": "", "address_1": "1 Main St",
                             "address_2": "", "city": "Springfield", "state": "IL", "postcode": "62701",
                             "country": "US", "phone": ""},
                "line_items": [{"id": order_id * 10 + n, "name": f"Item {sku}", "sku": sku, "quantity": qty,
                                "price": float(price), "total": f"{float(price) * qty:.2f}"}
                               for n, (sku, qty, price) in enumerate(lines or [("MUG-1", 1, "12.50")])],
                "shipping_lines": [{"id": 1, "method_title": "Flat rate", "method_id": "flat_rate"}],
                "meta_data": [],
            }
            order.update(fields)
            self.orders[order_id] = order
            self.notes[order_id] = []
            return order

    def change_order(self, order_id: int, **fields: Any) -> None:
        with self._lock:
            self.orders[order_id].update(fields, date_modified_gmt=self.tick())

    def add_product(self, sku: str, *, parent: int | None = None, stock: int | None = None) -> int:
        with self._lock:
            product_id = next(self._ids)
            self.products[product_id] = {
                "id": product_id, "sku": sku, "name": sku, "type": "variation" if parent else "simple",
                "parent_id": parent or 0, "manage_stock": stock is not None, "stock_quantity": stock}
            return product_id

    def meta(self, order_id: int, key: str) -> Any:
        for entry in self.orders[order_id]["meta_data"]:
            if entry["key"] == key:
                return entry["value"]
        return None

    # ------------------------------------------------------------------ routes

    def handle(self, method: str, target: str, body: Any,
               auth: str | None) -> tuple[int, Any, dict[str, str], tuple[str, Any]]:
        parsed = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        parts = [p for p in parsed.path.removeprefix(PREFIX).split("/") if p]
        route = _route(method, parts)
        with self._lock:
            self.requests.append((route, method, target, body))
            control = self._controls.pop(route, ("", None))
        if not self._authorised(auth, query):
            return 401, _error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401), {}, ("", None)
        failing = [self.stock_failures[int(item["id"])] for item in (body or {}).get("update", [])
                   if isinstance(item, dict) and item.get("id") in self.stock_failures] \
            if route in ("products_batch", "variations_batch") and isinstance(body, dict) else []
        if failing:
            control = ("fail", (failing[0], None, "internal_server_error", "There has been a critical error."))
        if control[0] == "fail":
            status, retry_after, code, message = control[1]
            return (status, _error(code, message, status), {"Retry-After": retry_after} if retry_after else {},
                    ("", None))
        with self._lock:
            status, answer, headers = self._answer(route, parts, query, body)
        return status, answer, headers, control

    def _authorised(self, auth: str | None, query: dict[str, str]) -> bool:
        if query.get("consumer_key") == self.key and query.get("consumer_secret") == self.secret:
            return True
        expected = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        return auth == expected

    def _answer(self, route: str, parts: list[str], query: dict[str, str],
                body: Any) -> tuple[int, Any, dict[str, str]]:
        if route == "orders":
            return self._list_orders(query)
        if route == "products":
            skus = set(query.get("sku", "").split(","))
            found = [p for p in self.products.values() if p["sku"] in skus]
            return 200, found, {"X-WP-Total": str(len(found)), "X-WP-TotalPages": "1"}
        if route == "products_batch":
            return 200, self._batch(body, parent=None), {}
        if route == "variations_batch":
            return 200, self._batch(body, parent=int(parts[1])), {}
        order = self.orders.get(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
        if order is None:
            return 404, _error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404), {}
        if route == "order":
            return 200, order, {}
        if route == "update_order":
            if "status" in body:
                order["status"] = body["status"]
            for entry in body.get("meta_data", []):
                mine = [m for m in order["meta_data"] if m["key"] == entry["key"]]
                if mine:
                    mine[0]["value"] = entry["value"]
                else:
                    order["meta_data"].append({"id": next(self._ids), "key": entry["key"], "value": entry["value"]})
            order["date_modified_gmt"] = self.tick()
            return 200, order, {}
        if route == "notes":
            return 200, list(reversed(self.notes[order["id"]])), {}
        if route == "add_note":
            note = {"id": next(self._ids), "author": "system", "date_created_gmt": self.tick(),
                    "note": body["note"], "customer_note": bool(body.get("customer_note"))}
            self.notes[order["id"]].append(note)
            return 201, note, {}
        return 404, _error("rest_no_route", "No route was found matching the URL and request method.", 404), {}

    def _list_orders(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        statuses = set(query.get("status", "any").split(","))
        after = query.get("modified_after")
        chosen = [o for o in self.orders.values() if ("any" in statuses or o["status"] in statuses)
                  and (after is None or o["date_modified_gmt"] > after[:19])]
        chosen.sort(key=lambda o: (o["date_modified_gmt"], o["id"]))
        per_page = min(int(query.get("per_page", 10)), 100)
        page = int(query.get("page", 1))
        pages = max((len(chosen) + per_page - 1) // per_page, 1)
        rows = chosen[(page - 1) * per_page: page * per_page]
        return 200, rows, {"X-WP-Total": str(len(chosen)), "X-WP-TotalPages": str(pages)}

    def _batch(self, body: Any, *, parent: int | None) -> dict[str, Any]:
        done = []
        for item in body.get("update", []):
            product = self.products.get(item["id"])
            if product is None or (product["parent_id"] or None) != parent:
                done.append({"id": item["id"], "error": {"code": "woocommerce_rest_product_invalid_id",
                                                         "message": "Invalid ID.", "data": {"status": 400}}})
                continue
            product.update({k: v for k, v in item.items() if k in ("manage_stock", "stock_quantity")})
            done.append(product)
        return {"update": done}


def _route(method: str, parts: list[str]) -> str:
    if parts[:1] == ["orders"]:
        if len(parts) == 1:
            return "orders"
        if len(parts) == 3 and parts[2] == "notes":
            return "add_note" if method == "POST" else "notes"
        return "update_order" if method in ("PUT", "POST") else "order"
    if parts[:1] == ["products"]:
        if parts[-1:] == ["batch"]:
            return "variations_batch" if "variations" in parts else "products_batch"
        return "products"
    return "unknown"


def _error(code: str, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "message": message, "data": {"status": status}}


def _handler(stub: WooCommerceStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            status, answer, headers, control = stub.handle(self.command, self.path, body,
                                                          self.headers.get("Authorization"))
            kind, value = control
            if kind == "lose":
                self.close_connection = True
                return
            data = b"<html><body>Fatal error</body></html>" if kind == "malformed" else json.dumps(
                answer).encode()
            if kind == "delay":
                time.sleep(value)  # the work is done; the answer comes after the client gave up
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _serve  # noqa: N815 - BaseHTTPRequestHandler's names

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            return

    return Handler



def channel_for(stub: WooCommerceStub, name: str = "woo", *, timeout: float = 5.0, **settings: Any) -> Any:
    """A ``WooCommerceChannel`` named ``name`` talking to ``stub``, its key and secret put in
    the (test) keyring."""
    from fulfilstation.credentials import SecretStore
    from fulfilstation.integrations.ports import ChannelConfig
    from fulfilstation.integrations.woocommerce import WooCommerceChannel

    store = SecretStore()
    store.set(f"channel:{name}:key", stub.key)
    store.set(f"channel:{name}:secret", stub.secret)
    config = ChannelConfig(name=name, kind="woocommerce", base_url=stub.base_url, settings=settings)
    return WooCommerceChannel(config, store, timeout=timeout)
