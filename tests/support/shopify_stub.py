"""A local stand-in for Shopify's GraphQL Admin API on 127.0.0.1, for tests only.

``POST /admin/api/2025-01/graphql.json`` with ``X-Shopify-Access-Token`` and a JSON body
``{"query", "variables"}``, answering in Shopify's documented shapes what FulfilStation
uses: the ``orders`` connection (``first``/``after``, ``sortKey: UPDATED_AT``, a
``query: "updated_at:>='…'"`` filter), ``order(id:)`` (its ``lineItems`` connection,
``fulfillmentOrders`` with their ``lineItems { id remainingQuantity lineItem { id } }``, and
the ``fulfillments`` list), ``productVariants(query: "sku:…")``,
and the mutations ``fulfillmentCreate`` (whole fulfillment orders, or some of their line
items with ``fulfillmentOrderLineItems: [{id, quantity}]``), ``fulfillmentCancel`` and
``inventorySetQuantities`` (``userErrors`` for what Shopify refuses). Root fields are
recognised by name after a small parse of the document (fields, aliases, arguments with
literal or ``$variable`` values, selection sets; no fragments).

Query cost, as Shopify documents it: an object costs 1, a connection 2 + ``first`` × its
node's cost, a scalar 0, a mutation 10. The *requested* cost is checked against a leaky
bucket (``maximum_available`` 1000, ``restore_rate`` 50 points a second, on ``clock``;
``bucket_available`` is what it holds now):
more than 1000 is refused (``MAX_COST_EXCEEDED``), more than the bucket holds is
``THROTTLED`` (HTTP 200, nothing done); otherwise the requested cost is taken and the
difference to the *actual* cost (what came back) refunded. Every answer carries
``extensions.cost``. A wrong token gets Shopify's 401, another path a 404.

``fail_stock_of(sku, status=503)`` fails every ``inventorySetQuantities`` naming that SKU
(until ``stock_failures`` is cleared). Test controls (each applies to the next request only): ``fail_next(status,
retry_after=None)``, ``malformed_next()``, ``delay_next(seconds, root_field=None)`` (do the
work, answer late: past the client's timeout), ``lose_next(root_field)`` (do the work, then close the
connection without an answer). Helpers: ``add_order``, ``update_order``,
``add_variant``, ``fulfillments_of``, ``available``.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.stub_server import StubServer

PATH = "/admin/api/2025-01/graphql.json"
LOCATION = "gid://shopify/Location/1"
MAX_QUERY_COST = 1000
MUTATION_COST = 10
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

# --------------------------------------------------------------------------- parsing

_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\$?[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|\.\.\.|[{}():,\[\]!=@]')


@dataclass
class Field:
    alias: str
    name: str
    args: dict[str, Any] = field(default_factory=dict)  # raw: a token, or None for an object/list literal
    children: list[Field] = field(default_factory=list)


def parse(query: str) -> tuple[str, list[Field]]:
    """``(operation type, root fields)`` of a GraphQL document."""
    tokens = [t for t in _TOKEN.findall(query) if t != ","]
    i, kind = 0, "query"
    if tokens and tokens[0] in ("query", "mutation"):
        kind, i = tokens[0], 1
        while tokens[i] != "{":
            if tokens[i] == "(":
                i = _skip(tokens, i, "(", ")")
            else:
                i += 1
    fields, _ = _selection(tokens, i)
    return kind, fields


def _skip(tokens: list[str], i: int, open_: str, close: str) -> int:
    depth = 0
    while True:
        depth += tokens[i] == open_
        depth -= tokens[i] == close
        i += 1
        if depth == 0:
            return i


def _selection(tokens: list[str], i: int) -> tuple[list[Field], int]:
    assert tokens[i] == "{"
    i += 1
    fields: list[Field] = []
    while tokens[i] != "}":
        name = alias = tokens[i]
        i += 1
        if tokens[i] == ":":
            name, i = tokens[i + 1], i + 2
        item = Field(alias, name)
        if tokens[i] == "(":
            i += 1
            while tokens[i] != ")":
                key = tokens[i]
                i += 2  # the name and ":"
                if tokens[i] in ("{", "["):
                    i = _skip(tokens, i, tokens[i], "}" if tokens[i] == "{" else "]")
                    item.args[key] = None
                else:
                    item.args[key], i = tokens[i], i + 1
            i += 1
        if tokens[i] == "{":
            item.children, i = _selection(tokens, i)
        fields.append(item)
    return fields, i + 1


def _value(token: Any, variables: dict[str, Any]) -> Any:
    if not isinstance(token, str):
        return token
    if token.startswith("$"):
        return variables.get(token[1:])
    if token.startswith('"'):
        return json.loads(token)
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    return {"true": True, "false": False, "null": None}.get(token, token)


def _args(item: Field, variables: dict[str, Any]) -> dict[str, Any]:
    return {key: _value(token, variables) for key, token in item.args.items()}


def _connection_nodes(item: Field) -> list[Field] | None:
    """The node selection of a connection field (``nodes`` or ``edges.node``), else None."""
    for child in item.children:
        if child.name == "nodes":
            return child.children
        if child.name == "edges":
            node = next((c for c in child.children if c.name == "node"), None)
            return node.children if node else []
    return None


def requested_cost(fields: Sequence[Field], variables: dict[str, Any]) -> int:
    total = 0
    for item in fields:
        if not item.children:
            continue
        first = _args(item, variables).get("first")
        if first is not None:
            inner = _connection_nodes(item)
            total += 2 + int(first) * (1 + requested_cost(item.children if inner is None else inner, variables))
        else:
            total += 1 + requested_cost(item.children, variables)
    return total


def actual_cost(fields: Sequence[Field], data: Any) -> int:
    total = 0
    if not isinstance(data, dict):
        return 0
    for item in fields:
        value = data.get(item.alias)
        if not item.children or value is None:
            continue
        inner = _connection_nodes(item)
        if inner is not None:
            nodes = value.get("nodes") or [e.get("node") for e in value.get("edges") or []]
            total += 2 + sum(1 + actual_cost(inner, node) for node in nodes)
        elif isinstance(value, list):
            total += 2 + sum(1 + actual_cost(item.children, v) for v in value)
        else:
            total += 1 + actual_cost(item.children, value)
    return total


def _cursor(offset: int) -> str:
    return base64.b64encode(json.dumps({"offset": offset}).encode()).decode()


def _offset(cursor: Any) -> int:
    if not cursor:
        return 0
    return int(json.loads(base64.b64decode(str(cursor)))["offset"])


def project(fields: Sequence[Field], obj: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
    """``obj`` (stored with lists where Shopify has connections) as the selection asks."""
    return {item.alias: _project_value(item, obj.get(item.name), variables) for item in fields}


def _project_value(item: Field, raw: Any, variables: dict[str, Any]) -> Any:
    if not item.children or raw is None:
        return raw
    if isinstance(raw, dict):
        return project(item.children, raw, variables)
    args = _args(item, variables)
    first = args.get("first")
    if _connection_nodes(item) is None:
        items = raw[:first] if first is not None else raw
        return [project(item.children, v, variables) for v in items]
    start = _offset(args.get("after"))
    page = raw[start:start + int(first or 0)]
    info = {"hasNextPage": start + len(page) < len(raw), "hasPreviousPage": start > 0,
            "startCursor": _cursor(start + 1) if page else None,
            "endCursor": _cursor(start + len(page)) if page else None}
    out: dict[str, Any] = {}
    for child in item.children:
        if child.name == "nodes":
            out[child.alias] = [project(child.children, v, variables) for v in page]
        elif child.name == "edges":
            out[child.alias] = [project(child.children, {"cursor": _cursor(start + n + 1), "node": v}, variables)
                                for n, v in enumerate(page)]
        elif child.name == "pageInfo":
            out[child.alias] = project(child.children, info, variables)
    return out


# --------------------------------------------------------------------------- the shop


class ShopifyStub(StubServer):
    """An in-memory shop behind a GraphQL endpoint. ``clock`` drives the cost bucket; tests
    that inject a fake ``sleep`` into the client pass the same fake clock here."""

    def __init__(self, token: str = "shpat_stub_token", *, clock: Callable[[], float] = time.monotonic) -> None:
        self.token = token
        self.clock = clock
        self.maximum_available = 1000.0
        self.restore_rate = 50.0
        self.bucket_available = self.maximum_available
        self._bucket_at = clock()
        self.orders: dict[str, dict[str, Any]] = {}
        self.variants: dict[str, dict[str, Any]] = {}
        self.levels: dict[tuple[str, str], int] = {}
        self.locations = {LOCATION}
        self.requests: list[tuple[list[str], dict[str, Any]]] = []
        self.throttled = 0
        self.notified: list[bool] = []  # notifyCustomer of each fulfillment made
        self._ids = itertools.count(1001)
        self._now = START
        self._next: dict[str, Any] = {}
        self._lose: str | None = None
        self.stock_failures: dict[str, int] = {}  # SKU → HTTP status of every inventorySetQuantities naming it
        self._delay: tuple[str | None, float] | None = None
        self._lock = threading.RLock()
        self._serve(_handler(self))

    # ------------------------------------------------------------------ controls

    def fail_next(self, status: int, retry_after: str | None = None) -> None:
        self._next = {"status": status, "retry_after": retry_after}

    def malformed_next(self) -> None:
        self._next = {"malformed": True}

    def delay_next(self, seconds: float, root_field: str | None = None) -> None:
        """The next request (with ``root_field``, when given) is carried out, then answered
        ``seconds`` late."""
        self._delay = (root_field, seconds)

    def lose_next(self, root_field: str) -> None:
        """The next request with ``root_field`` is carried out, then its answer is lost."""
        self._lose = root_field

    def fail_stock_of(self, sku: str, status: int = 503) -> None:
        """Every ``inventorySetQuantities`` naming ``sku``'s inventory item answers HTTP
        ``status`` (nothing set), until ``stock_failures`` is cleared: a listing the shop chokes on."""
        self.stock_failures[sku] = status

    def stock_failure(self, body: Any) -> int | None:
        """The status a request must fail with because it sets a failing SKU's stock, else None."""
        if not self.stock_failures or "inventorySetQuantities" not in str(body.get("query") or ""):
            return None
        quantities = ((body.get("variables") or {}).get("input") or {}).get("quantities") or []
        items = {q.get("inventoryItemId") for q in quantities if isinstance(q, dict)}
        with self._lock:
            for variant in self.variants.values():
                if variant["sku"] in self.stock_failures and variant["inventoryItem"]["id"] in items:
                    return self.stock_failures[variant["sku"]]
        return None

    def count(self, root_field: str) -> int:
        return sum(1 for roots, _ in self.requests if root_field in roots)

    # ------------------------------------------------------------------ data helpers

    def _tick(self) -> str:
        self._now += dt.timedelta(seconds=1)
        return self._now.isoformat().replace("+00:00", "Z")

    def add_order(self, lines: Sequence[tuple[str | None, int, str]] = (("SKU-1", 1, "10.00"),), *,
                  financial: str = "PAID", fulfillment: str = "UNFULFILLED", currency: str = "USD",
                  total: str | None = None, hold: bool = False, **fields: Any) -> str:
        """A new order; ``lines`` are ``(sku, quantity, unit price)``; returns its GID."""
        with self._lock:
            number = next(self._ids)
            gid = f"gid://shopify/Order/{number}"
            stamp = self._tick()
            items = [{"id": f"gid://shopify/LineItem/{number}{n:03d}", "sku": sku, "quantity": qty,
                      "currentQuantity": qty, "name": f"Product {sku}", "requiresShipping": True,
                      "originalUnitPriceSet": {"shopMoney": {"amount": price, "currencyCode": currency}}}
                     for n, (sku, qty, price) in enumerate(lines)]
            amount = total if total is not None else str(sum((Decimal(p) * q for _s, q, p in lines), Decimal(0)))
            order: dict[str, Any] = {
                "id": gid, "name": f"#{number}", "createdAt": stamp, "updatedAt": stamp, "cancelledAt": None,
                "displayFinancialStatus": financial, "displayFulfillmentStatus": fulfillment,
                "email": "buyer@example.com", "phone": None, "note": None, "currencyCode": currency,
                "totalPriceSet": {"shopMoney": {"amount": amount, "currencyCode": currency}},
                "shippingAddress": {"name": "Ada Lovelace", "company": None, "address1": "1 Main St",
                                    "address2": None, "city": "Springfield", "provinceCode": "IL",
                                    "zip": "62701", "countryCodeV2": "US", "phone": None},
                "billingAddress": {"countryCodeV2": "US"}, "shippingLine": {"title": "Standard"},
                "lineItems": items,
                "fulfillmentOrders": [{"id": f"gid://shopify/FulfillmentOrder/{number}",
                                       "status": "ON_HOLD" if hold else "OPEN",
                                       "assignedLocation": {"location": {"id": LOCATION}},
                                       "lineItems": [{"id": f"gid://shopify/FulfillmentOrderLineItem/{number}{n:03d}",
                                                      "remainingQuantity": item["quantity"],
                                                      "lineItem": {"id": item["id"]}}
                                                     for n, item in enumerate(items)]}],
                "fulfillments": []}
            order.update(fields)
            self.orders[gid] = order
            return gid

    def update_order(self, gid: str, **fields: Any) -> None:
        """Change an order as a merchant would (``updatedAt`` moves on)."""
        with self._lock:
            self.orders[gid].update(fields, updatedAt=self._tick())

    def add_variant(self, sku: str, available: int | None = 0) -> tuple[str, str]:
        """A product variant with ``sku`` stocked at ``LOCATION`` (``available`` None: not
        stocked there); returns (variant, inventory item) GIDs."""
        with self._lock:
            number = next(self._ids)
            variant = {"id": f"gid://shopify/ProductVariant/{number}", "sku": sku,
                       "inventoryItem": {"id": f"gid://shopify/InventoryItem/{number}"}}
            self.variants[variant["id"]] = variant
            if available is not None:
                self.levels[(variant["inventoryItem"]["id"], LOCATION)] = available
            return variant["id"], variant["inventoryItem"]["id"]

    def available(self, sku: str, location: str = LOCATION) -> int | None:
        variant = next((v for v in self.variants.values() if v["sku"] == sku), None)
        return None if variant is None else self.levels.get((variant["inventoryItem"]["id"], location))

    def fulfillments_of(self, gid: str) -> list[dict[str, Any]]:
        return list(self.orders[gid]["fulfillments"])

    # ------------------------------------------------------------------ GraphQL

    def _refill(self) -> None:
        now = self.clock()
        restored = self.bucket_available + (now - self._bucket_at) * self.restore_rate
        self.bucket_available = min(self.maximum_available, restored)
        self._bucket_at = now

    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": {
            "maximumAvailable": self.maximum_available, "currentlyAvailable": round(self.bucket_available, 1),
            "restoreRate": self.restore_rate}}}

    def execute(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The answer body, and the root fields asked for."""
        try:
            kind, fields = parse(query)
        except (AssertionError, IndexError, ValueError):
            return {"errors": [{"message": "syntax error, unexpected end of file"}]}, []
        roots = [f.name for f in fields]
        with self._lock:
            self.requests.append((roots, variables))
            self._refill()
            requested = MUTATION_COST if kind == "mutation" else requested_cost(fields, variables)
            if requested > MAX_QUERY_COST:
                message = (f"Query cost is {requested}, which exceeds the single query max cost limit "
                           f"({MAX_QUERY_COST}).")
                return {"errors": [{"message": message, "extensions": {
                    "code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": MAX_QUERY_COST}}]}, roots
            if requested > self.bucket_available:
                self.throttled += 1
                return {"errors": [{"message": "Throttled", "extensions": {
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    "extensions": self._cost(requested, None)}, roots
            self.bucket_available -= requested
            data = {f.alias: self._root(kind, f, variables) for f in fields}
            actual = MUTATION_COST if kind == "mutation" else actual_cost(fields, data)
            self.bucket_available = min(self.maximum_available, self.bucket_available + requested - actual)
            return {"data": data, "extensions": self._cost(requested, actual)}, roots

    def _root(self, kind: str, item: Field, variables: dict[str, Any]) -> Any:
        args = _args(item, variables)
        if kind == "mutation":
            payload = getattr(self, "_" + item.name, None)
            raw = payload(args) if payload else {"userErrors": [{"field": None, "message": f"unknown {item.name}"}]}
            return project(item.children, raw, variables)
        if item.name == "orders":
            return _project_value(item, self._orders(args), variables)
        if item.name == "order":
            found = self.orders.get(str(args.get("id")))
            return None if found is None else project(item.children, found, variables)
        if item.name == "productVariants":
            wanted = re.fullmatch(r'sku:"((?:\\.|[^"\\])*)"|sku:(\S+)', str(args.get("query") or ""))
            sku = (json.loads(f'"{wanted.group(1)}"') if wanted.group(1) is not None else wanted.group(2)) \
                if wanted else None
            found = [v for v in self.variants.values() if sku is None or v["sku"] == sku]
            return _project_value(item, found, variables)
        return None

    def _orders(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        since = re.search(r"updated_at:>=\s*'?([^'\s]+)'?", str(args.get("query") or ""))
        floor = dt.datetime.fromisoformat(since.group(1).replace("Z", "+00:00")) if since else None
        chosen = [o for o in self.orders.values()
                  if floor is None or dt.datetime.fromisoformat(o["updatedAt"].replace("Z", "+00:00")) >= floor]
        return sorted(chosen, key=lambda o: (o["updatedAt"], o["id"]), reverse=bool(args.get("reverse")))

    # ------------------------------------------------------------------ mutations

    def _fulfillmentCreate(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - Shopify's name
        given = args.get("fulfillment") or {}
        wanted = [entry.get("fulfillmentOrderId") for entry in given.get("lineItemsByFulfillmentOrder") or []]
        located = [(o, fo) for o in self.orders.values() for fo in o["fulfillmentOrders"] if fo["id"] in wanted]
        if not wanted or len(located) != len(wanted):
            return {"fulfillment": None, "userErrors": [{"field": ["fulfillment"],
                                                         "message": "Fulfillment order does not exist."}]}
        places = {json.dumps(fo.get("assignedLocation")) for _o, fo in located}
        if len({o["id"] for o, _fo in located}) > 1 or len(places) > 1:
            return {"fulfillment": None, "userErrors": [{"field": ["fulfillment"], "message":
                    "All fulfillment orders must belong to the same order and be assigned to the same location."}]}
        closed = [fo for _o, fo in located if fo["status"] not in ("OPEN", "IN_PROGRESS")]
        if closed:
            message = f"Fulfillment order {closed[0]['id']} has an unfulfillable status= {closed[0]['status'].lower()}."
            return {"fulfillment": None, "userErrors": [{"field": ["fulfillment"], "message": message}]}
        taken = self._line_items_taken(given, located)
        if isinstance(taken, str):
            return {"fulfillment": None, "userErrors": [{"field": ["fulfillment"], "message": taken}]}
        info = given.get("trackingInfo") or {}
        numbers = list(info.get("numbers") or ([info["number"]] if info.get("number") else []))
        urls = list(info.get("urls") or ([info["url"]] if info.get("url") else []))
        fulfillment = {"id": f"gid://shopify/Fulfillment/{next(self._ids)}", "status": "SUCCESS",
                       "trackingInfo": [{"number": n, "company": info.get("company"),
                                         "url": urls[i] if i < len(urls) else None} for i, n in enumerate(numbers)],
                       "lineItemsTaken": taken}
        order = located[0][0]
        for item, quantity in taken:
            item["remainingQuantity"] -= quantity
        for _o, fo in located:
            left = any(i["remainingQuantity"] for i in fo.get("lineItems", []))
            fo["status"] = "IN_PROGRESS" if left else "CLOSED"
        order["fulfillments"].append(fulfillment)
        done = all(fo["status"] in ("CLOSED", "CANCELLED") for fo in order["fulfillmentOrders"])
        order.update(displayFulfillmentStatus="FULFILLED" if done else "PARTIALLY_FULFILLED", updatedAt=self._tick())
        self.notified.append(bool(given.get("notifyCustomer")))
        return {"fulfillment": fulfillment, "userErrors": []}

    @staticmethod
    def _line_items_taken(given: dict[str, Any], located: list[tuple[dict[str, Any], dict[str, Any]]]
                          ) -> list[tuple[dict[str, Any], int]] | str:
        """The fulfillment order line items (and units) a ``fulfillmentCreate`` takes: those
        named in ``fulfillmentOrderLineItems``, or every unit remaining of a fulfillment order
        given without them (as Shopify does); a string is the user error for a bad request."""
        taken: list[tuple[dict[str, Any], int]] = []
        by_id = {fo["id"]: fo for _o, fo in located}
        for entry in given.get("lineItemsByFulfillmentOrder") or []:
            fo = by_id[entry.get("fulfillmentOrderId")]
            named = entry.get("fulfillmentOrderLineItems")
            if not named:
                taken += [(item, item["remainingQuantity"]) for item in fo.get("lineItems", [])
                          if item["remainingQuantity"]]
                continue
            for wanted in named:
                item = next((i for i in fo.get("lineItems", []) if i["id"] == wanted.get("id")), None)
                if item is None:
                    return f"Fulfillment order line item {wanted.get('id')} does not exist."
                quantity = int(wanted.get("quantity") or 0)
                if not 0 < quantity <= item["remainingQuantity"]:
                    return "Invalid fulfillment order line item quantity requested."
                taken.append((item, quantity))
        return taken

    def _fulfillmentCancel(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - Shopify's name
        for order in self.orders.values():
            for fulfillment in order["fulfillments"]:
                if fulfillment["id"] != args.get("id"):
                    continue
                if fulfillment["status"] == "CANCELLED":
                    return {"fulfillment": None, "userErrors": [{"field": ["id"],
                                                                 "message": "Fulfillment is already cancelled."}]}
                fulfillment["status"] = "CANCELLED"
                for item, quantity in fulfillment.get("lineItemsTaken") or []:
                    item["remainingQuantity"] += quantity
                for fo in order["fulfillmentOrders"]:
                    if fo["status"] in ("CLOSED", "IN_PROGRESS"):
                        fo["status"] = "OPEN"
                order.update(displayFulfillmentStatus="UNFULFILLED", updatedAt=self._tick())
                return {"fulfillment": fulfillment, "userErrors": []}
        return {"fulfillment": None, "userErrors": [{"field": ["id"], "message": "Fulfillment does not exist."}]}

    def _inventorySetQuantities(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - Shopify's name
        given = args.get("input") or {}
        quantities = given.get("quantities") or []
        problems: list[dict[str, Any]] = []
        if given.get("name") not in ("available", "on_hand"):
            problems.append({"field": ["input", "name"], "message": "The quantity name must be 'available' or "
                             "'on_hand'.", "code": "INVALID_NAME"})
        if not given.get("reason"):
            problems.append({"field": ["input", "reason"], "message": "A reason is required.",
                             "code": "INVALID_REASON"})
        if len(quantities) > 250:
            problems.append({"field": ["input", "quantities"], "message": "The input array size of "
                             f"{len(quantities)} is greater than the maximum allowed of 250.", "code": "INVALID"})
        items = {v["inventoryItem"]["id"] for v in self.variants.values()}
        for n, q in enumerate(quantities):
            if q.get("inventoryItemId") not in items:
                problems.append({"field": ["input", "quantities", str(n), "inventoryItemId"],
                                 "message": "The specified inventory item could not be found.",
                                 "code": "INVALID_INVENTORY_ITEM"})
            if q.get("locationId") not in self.locations:
                problems.append({"field": ["input", "quantities", str(n), "locationId"],
                                 "message": "The specified location could not be found.", "code": "INVALID_LOCATION"})
            elif q.get("inventoryItemId") in items and (q["inventoryItemId"], q["locationId"]) not in self.levels:
                problems.append({"field": ["input", "quantities", str(n), "locationId"],
                                 "message": "The specified inventory item is not stocked at the location.",
                                 "code": "ITEM_NOT_STOCKED_AT_LOCATION"})
            if not given.get("ignoreCompareQuantity") and "compareQuantity" not in q:
                problems.append({"field": ["input", "quantities", str(n), "compareQuantity"],
                                 "message": "The compareQuantity argument must be given to each quantity or "
                                 "ignored using ignoreCompareQuantity.", "code": "COMPARE_QUANTITY_REQUIRED"})
        if problems:
            return {"inventoryAdjustmentGroup": None, "userErrors": problems}
        changes = []
        for q in quantities:
            key = (q["inventoryItemId"], q["locationId"])
            changes.append({"name": "available", "delta": int(q["quantity"]) - self.levels.get(key, 0)})
            self.levels[key] = int(q["quantity"])
        return {"inventoryAdjustmentGroup": {"createdAt": self._tick(), "reason": given["reason"],
                                             "changes": changes}, "userErrors": []}


def _handler(stub: ShopifyStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - the base class's name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.split("?")[0] != PATH:
                self._send(404, {"errors": "Not Found"})
                return
            if self.headers.get("X-Shopify-Access-Token") != stub.token:
                self._send(401, {"errors": "[API] Invalid API key or access token (unrecognized login or "
                                           "wrong password)"})
                return
            with stub._lock:
                control, stub._next = stub._next, {}
            if "status" in control:
                headers = {"Retry-After": control["retry_after"]} if control.get("retry_after") else {}
                self._send(control["status"], {"errors": "Exceeded 2 calls per second for api client. Reduce "
                                               "request rates to resume uninterrupted service."
                                               if control["status"] == 429 else "Internal Server Error"}, headers)
                return
            if control.get("malformed"):
                self._send(200, b"<html><body>502 Bad Gateway</body></html>")
                return
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._send(400, {"errors": {"query": "Required parameter missing or invalid"}})
                return
            failing = stub.stock_failure(body) if isinstance(body, dict) else None
            if failing is not None:
                with stub._lock:
                    stub.requests.append((["inventorySetQuantities"], dict(body.get("variables") or {})))
                self._send(failing, {"errors": "Internal Server Error"})
                return
            answer, roots = stub.execute(str(body.get("query") or ""), dict(body.get("variables") or {}))
            with stub._lock:
                lose = stub._lose is not None and stub._lose in roots
                if lose:
                    stub._lose = None
                delay = stub._delay if stub._delay and stub._delay[0] in (None, *roots) else None
                if delay:
                    stub._delay = None
            if lose:
                self.close_connection = True  # the work is done; the answer never arrives
                return
            if delay:
                time.sleep(delay[1])  # the work is done; the answer comes too late
            self._send(200, answer)

        def _send(self, status: int, answer: Any, headers: dict[str, str] | None = None) -> None:
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    return Handler


class FakeTime:
    """A clock that moves only when slept on: give ``sleep`` to the adapter and ``clock`` to
    both, and waiting for the cost bucket takes no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def channel_for(stub: ShopifyStub, *, name: str = "shop", location: str | None = LOCATION, timeout: float = 5.0,
                time_: FakeTime | None = None, base_url: str | None = None) -> Any:
    """A ``ShopifyChannel`` talking to ``stub``, its token stored in the (test) keyring."""
    from fulfilstation.credentials import SecretStore
    from fulfilstation.integrations.ports import ChannelConfig
    from fulfilstation.integrations.shopify import ShopifyChannel, token_name

    secrets = SecretStore()
    secrets.set(token_name(name), stub.token)
    config = ChannelConfig(name=name, kind="shopify", base_url=base_url or stub.base_url, location_id=location)
    if time_ is None:
        return ShopifyChannel(config, secrets, timeout=timeout)
    return ShopifyChannel(config, secrets, timeout=timeout, sleep=time_.sleep, clock=time_.clock)
