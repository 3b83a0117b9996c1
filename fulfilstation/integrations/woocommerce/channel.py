"""``WooCommerceChannel``: a WooCommerce shop as a ``ShopChannel`` (REST API v3).

What it does, as WooCommerce documents it:

* ``fetch_orders``: ``GET /orders?status=processing,cancelled,on-hold&modified_after=…
  &dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=N`` (``X-WP-TotalPages``
  says whether more follow). The bookmark (``state``) is ``{"modified_after", "page"}``.
  After a page it moves ``modified_after`` to one second before the last order's
  ``date_modified_gmt`` and starts again at page 1 (only a page full of orders changed within
  the same second moves ``page`` on instead): an order edited while we page through moves to
  the end of the list rather than pushing another one past us, so nothing is skipped; the
  price is that the last orders are fetched again, which the intake (keyed by channel and
  id) takes as unchanged.
* ``create_fulfilment``: looks before it acts, so a repeat after a lost answer changes
  nothing twice: ``GET /orders/{id}``; unless it is already ``completed`` with our tracking
  in its meta (``_fulfilstation_tracking``), ``PUT /orders/{id}`` status ``completed`` with
  that meta and the common ``_tracking_number``/``_tracking_provider`` keys; then unless
  the order already has our note, ``POST /orders/{id}/notes`` (a customer note when
  ``notify_customer``). Returns ``{"order_id", "tracking"}``. A split order's part (``lines``
  given) adds its tracking to that meta (the parts' tracking side by side) and a note naming
  what it carries, and leaves the status ``processing``; the last part (``last_part``) sets
  ``completed``.
* ``cancel_fulfilment``: the reverse (status ``processing``, our meta emptied, a private
  note), each step looked at first; a part's only takes its own tracking out of the meta.
* ``set_stock``: SKUs are looked up with ``GET /products?sku=A,B,…`` (WooCommerce answers
  variations there too: ``type`` "variation" with ``parent_id``) unless the listing's
  ``external_id`` is known (``"ID"`` for a product, ``"PARENT:ID"`` for a variation);
  then ``POST /products/batch`` and ``POST /products/{parent}/variations/batch`` with
  ``{"update": [{id, manage_stock: true, stock_quantity}]}``, at most 100 per batch.

Credentials: the consumer key and secret from the keyring (``channel:NAME:key``,
``channel:NAME:secret``), read when the first call is made.

Threading: blocking network I/O (``timeout`` seconds per request); call it from a worker
thread or the CLI. Holds no state between calls other than its settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.integrations.ports import (
    SETUP_RETRY_SECONDS,
    ChannelConfig,
    ChannelError,
    OrderPage,
    ShippedLine,
    StockPush,
    TrackingPush,
    no_keyring,
)
from fulfilstation.integrations.woocommerce.client import WooHttp
from fulfilstation.integrations.woocommerce.mapping import NotAnOrder, gmt, incoming_order

ORDER_STATUSES = "processing,cancelled,on-hold"
TRACKING_KEY = "_fulfilstation_tracking"
PER_PAGE = 100
BATCH = 100
CLOSED = ("cancelled", "refunded", "failed", "trash")


def key_name(channel: str) -> str:
    return f"channel:{channel}:key"


def secret_name(channel: str) -> str:
    return f"channel:{channel}:secret"


class WooCommerceChannel:
    def __init__(self, config: ChannelConfig, secrets: SecretStore, *, timeout: float = 20.0) -> None:
        self.name = config.name
        self._config = config
        self._secrets = secrets
        self._timeout = timeout
        self._http: WooHttp | None = None
        self._per_page = int(config.settings.get("per_page") or PER_PAGE)

    def __repr__(self) -> str:
        return f"WooCommerceChannel({self.name!r}, {self._config.base_url!r})"

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, state: Mapping[str, Any]) -> OrderPage:
        after = gmt(state.get("modified_after"))
        page = max(int(state.get("page") or 1), 1)
        answer = self.http.call("GET", "/orders", action="fetch orders", query={
            "status": ORDER_STATUSES, "modified_after": _iso(after) if after else None,
            "dates_are_gmt": "true" if after else None, "orderby": "modified", "order": "asc",
            "per_page": self._per_page, "page": page})
        if not isinstance(answer.body, list):
            raise ChannelError(f"WooCommerce ({self.name}) answered the order list with something that is not a "
                               "list; it will be tried again.", retryable=True)
        orders = []
        for raw in answer.body:
            try:
                orders.append(incoming_order(self.name, raw))
            except NotAnOrder:
                continue
        modified = [m for m in (gmt(raw.get("date_modified_gmt")) for raw in answer.body if isinstance(raw, dict))
                    if m is not None]
        total_pages = _int(answer.headers.get("x-wp-totalpages"), 1)
        more = page < total_pages and bool(answer.body)
        moved = max(modified) - dt.timedelta(seconds=1) if modified else None
        if moved is not None and (after is None or moved > after):
            next_state: dict[str, Any] = {"modified_after": _iso(moved), "page": 1}
        else:
            next_state = {"modified_after": _iso(after) if after else None, "page": page + 1 if more else 1}
        return OrderPage(orders=tuple(orders), state=next_state, more=more)

    # ------------------------------------------------------------------ fulfilment

    def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                          notify_customer: bool, idempotency_key: str,
                          lines: Sequence[ShippedLine] | None = None, last_part: bool = True) -> Mapping[str, Any]:
        order_id = _order_id(order_external_id)
        order = self._order(order_id, "read the order before marking it shipped")
        status = str(order.get("status") or "")
        if status in CLOSED:
            raise ChannelError(f"WooCommerce order {order.get('number') or order_id} is {status} in the shop: it "
                               "was not marked shipped.", retryable=False)
        wanted = [{"number": t.number, "carrier": t.carrier, "url": t.url or ""} for t in tracking]
        numbers = [t.number for t in tracking]
        if lines is not None:
            return self._ship_part(order_id, order, tracking, wanted, lines, last_part, notify_customer)
        if not (status == "completed" and _tracking_numbers(order) == numbers):
            meta: list[dict[str, Any]] = [{"key": TRACKING_KEY, "value": wanted}]
            if tracking:
                meta += [{"key": "_tracking_number", "value": tracking[0].number},
                         {"key": "_tracking_provider", "value": tracking[0].carrier}]
            self.http.call("PUT", f"/orders/{order_id}", body={"status": "completed", "meta_data": meta},
                           action=f"mark order {order_id} completed")
        self._note_once(order_id, shipped_note(tracking), customer=notify_customer)
        return {"order_id": order_id, "tracking": numbers}

    def _ship_part(self, order_id: int, order: Mapping[str, Any], tracking: Sequence[TrackingPush],
                   wanted: list[dict[str, Any]], lines: Sequence[ShippedLine], last_part: bool,
                   notify_customer: bool) -> Mapping[str, Any]:
        """A split order's part: its tracking joins the others' in our meta; the status stays
        ``processing`` until the last part, which sets ``completed``. Looked at first (a repeat
        changes nothing twice)."""
        numbers = [t.number for t in tracking]
        known = _tracking_entries(order)
        have = {str(entry.get("number")) for entry in known}
        done = set(numbers) <= have and (not last_part or order.get("status") == "completed")
        if not done:
            merged = known + [entry for entry in wanted if entry["number"] not in have]
            body: dict[str, Any] = {"meta_data": [{"key": TRACKING_KEY, "value": merged}]}
            if tracking:
                body["meta_data"] += [{"key": "_tracking_number", "value": tracking[0].number},
                                      {"key": "_tracking_provider", "value": tracking[0].carrier}]
            if last_part:
                body["status"] = "completed"
            self.http.call("PUT", f"/orders/{order_id}", body=body,
                           action=f"mark order {order_id} {'completed' if last_part else 'shipped in part'}")
        self._note_once(order_id, part_note(tracking, lines, last_part), customer=notify_customer)
        return {"order_id": order_id, "tracking": numbers, "part": True, "last": last_part}

    def cancel_fulfilment(self, order_external_id: str, reference: Mapping[str, Any]) -> None:
        order_id = _order_id(str(reference.get("order_id") or order_external_id))
        order = self._order(order_id, "read the order before withdrawing its shipment")
        numbers = list(reference.get("tracking") or []) or _tracking_numbers(order)
        if reference.get("part"):  # one part of a split order: the other parts' tracking stays
            self._withdraw_part(order_id, order, numbers)
        elif _tracking_numbers(order):
            body: dict[str, Any] = {"meta_data": [{"key": TRACKING_KEY, "value": ""},
                                                  {"key": "_tracking_number", "value": ""},
                                                  {"key": "_tracking_provider", "value": ""}]}
            if order.get("status") == "completed":
                body["status"] = "processing"
            self.http.call("PUT", f"/orders/{order_id}", body=body, action=f"reopen order {order_id}")
        self._note_once(order_id, voided_note(numbers), customer=False)

    def _withdraw_part(self, order_id: int, order: Mapping[str, Any], numbers: Sequence[str]) -> None:
        known = _tracking_entries(order)
        kept = [entry for entry in known if str(entry.get("number")) not in set(numbers)]
        if len(kept) == len(known) and order.get("status") != "completed":
            return  # withdrawn already
        body: dict[str, Any] = {"meta_data": [{"key": TRACKING_KEY, "value": kept}]}
        if order.get("status") == "completed":
            body["status"] = "processing"
        self.http.call("PUT", f"/orders/{order_id}", body=body, action=f"withdraw a shipment of order {order_id}")

    def _order(self, order_id: int, action: str) -> Mapping[str, Any]:
        answer = self.http.call("GET", f"/orders/{order_id}", action=action)
        if not isinstance(answer.body, dict):
            raise ChannelError(f"WooCommerce ({self.name}) answered order {order_id} with something that is not "
                               "an order; it will be tried again.", retryable=True)
        return answer.body

    def _note_once(self, order_id: int, note: str, *, customer: bool) -> None:
        notes = self.http.call("GET", f"/orders/{order_id}/notes", query={"type": "any"},
                               action=f"read the notes of order {order_id}").body
        if isinstance(notes, list) and any(isinstance(n, dict) and str(n.get("note") or "").strip() == note
                                           for n in notes):
            return
        self.http.call("POST", f"/orders/{order_id}/notes", body={"note": note, "customer_note": customer},
                       action=f"add a note to order {order_id}")

    # ------------------------------------------------------------------ stock

    def set_stock(self, levels: Sequence[StockPush]) -> Mapping[str, Any]:
        listings: dict[str, dict[str, str] | None] = {}
        targets: dict[str, tuple[int | None, int]] = {}  # sku -> (parent or None, id)
        unknown = [p.sku for p in levels if not _target(p.external_id)]
        found = self._find_skus(unknown)
        for push in levels:
            target = _target(push.external_id) or found.get(push.sku)
            if target is None:
                listings[push.sku] = None
            else:
                targets[push.sku] = target
        quantity = {p.sku: max(p.available, 0) for p in levels}
        errors: dict[str, str] = {}
        groups: dict[int | None, list[str]] = {}
        for sku, (parent, _id) in targets.items():
            groups.setdefault(parent, []).append(sku)
        for parent, skus in groups.items():
            path = "/products/batch" if parent is None else f"/products/{parent}/variations/batch"
            for chunk in _chunks(skus, BATCH):
                update = [{"id": targets[s][1], "manage_stock": True, "stock_quantity": quantity[s]} for s in chunk]
                answer = self.http.call("POST", path, body={"update": update}, action="set stock levels")
                failed = _batch_errors(answer.body)
                for sku in chunk:
                    problem = failed.get(targets[sku][1])
                    if problem is not None:
                        errors[sku] = problem
                        listings[sku] = None
                    else:
                        listings[sku] = {"external_id": _external_id(*targets[sku])}
        return {"listings": listings, **({"errors": errors} if errors else {})}

    def _find_skus(self, skus: Sequence[str]) -> dict[str, tuple[int | None, int]]:
        found: dict[str, tuple[int | None, int]] = {}
        plain = sorted({s for s in skus if s and "," not in s})
        for chunk in _chunks(plain, 50):
            answer = self.http.call("GET", "/products", query={"sku": ",".join(chunk), "per_page": 100},
                                    action="look up products by SKU")
            for item in answer.body if isinstance(answer.body, list) else []:
                if not isinstance(item, dict) or item.get("sku") not in chunk:
                    continue
                parent = _int(item.get("parent_id"), 0)
                is_variation = item.get("type") == "variation" and parent > 0
                found.setdefault(str(item["sku"]), (parent if is_variation else None, _int(item.get("id"), 0)))
        return found

    # ------------------------------------------------------------------ credentials

    @property
    def http(self) -> WooHttp:
        if self._http is None:
            if not self._config.base_url:
                raise ChannelError(f"Channel {self.name} has no shop address: set its base URL "
                                   "(https://shop.example).", retryable=True, retry_after=SETUP_RETRY_SECONDS)
            try:
                key = self._secrets.get(key_name(self.name))
                secret = self._secrets.get(secret_name(self.name))
            except KeyringUnavailable as error:
                raise ChannelError(no_keyring(self.name, "API key", error.detail), retryable=True,
                                   retry_after=SETUP_RETRY_SECONDS) from None
            if not key or not secret:
                raise ChannelError(
                    f"The WooCommerce API key of channel {self.name} is not in this computer's keyring. Make a key "
                    "in WooCommerce (Settings › Advanced › REST API, Read/Write), then store its consumer key and "
                    f"secret in the channel's settings window or with: fulfilstation integrations set-secret "
                    f"{self.name} key, then … set-secret {self.name} secret",
                                   retryable=True, retry_after=SETUP_RETRY_SECONDS)
            self._http = WooHttp(self._config.base_url, key, secret, timeout=self._timeout, shop=self.name)
        return self._http


def shipped_note(tracking: Sequence[TrackingPush]) -> str:
    """``Shipped with UPS: 1Z1, 1Z2; USPS: 94…`` (one order note, the same on every repeat)."""
    by_carrier: dict[str, list[str]] = {}
    for t in tracking:
        by_carrier.setdefault(t.carrier, []).append(t.number)
    if not by_carrier:
        return "Shipped."
    return "Shipped with " + "; ".join(f"{c}: {', '.join(n)}" for c, n in by_carrier.items()) + "."


def part_note(tracking: Sequence[TrackingPush], lines: Sequence[ShippedLine], last_part: bool) -> str:
    """``Shipped in part (2 × MUG-1, 1 × TEE-M) with UPS: 1Z1. The rest follows.`` (or, for
    the last part, ``… This completes the order.``): one note per part, the same on a repeat."""
    carried = ", ".join(f"{line.quantity} × {line.sku or line.external_line_id}" for line in lines)
    shipped = shipped_note(tracking).removeprefix("Shipped")
    return (f"Shipped in part ({carried}){shipped or '.'} "
            + ("This completes the order." if last_part else "The rest follows."))


def voided_note(numbers: Sequence[str]) -> str:
    said = ", ".join(numbers) if numbers else "its tracking"
    return f"Shipment voided in FulfilStation ({said}): the order is waiting to ship again."


def _tracking_entries(order: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Our tracking meta's entries (``{"number", "carrier", "url"}``), as stored."""
    for meta in order.get("meta_data") or []:
        if isinstance(meta, dict) and meta.get("key") == TRACKING_KEY and isinstance(meta.get("value"), list):
            return [dict(p) for p in meta["value"] if isinstance(p, dict)]
    return []


def _tracking_numbers(order: Mapping[str, Any]) -> list[str]:
    for meta in order.get("meta_data") or []:
        if isinstance(meta, dict) and meta.get("key") == TRACKING_KEY and isinstance(meta.get("value"), list):
            return [str(p.get("number")) for p in meta["value"] if isinstance(p, dict)]
    return []


def _batch_errors(body: Any) -> dict[int, str]:
    """``{"update": [{id, …} | {id, error: {code, message}}]}`` → the ids refused, with why."""
    failed: dict[int, str] = {}
    items = body.get("update") if isinstance(body, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("error"), dict):
            failed[_int(item.get("id"), 0)] = str(item["error"].get("message") or item["error"].get("code"))
    return failed


def _target(external_id: str | None) -> tuple[int | None, int] | None:
    if not external_id:
        return None
    parent, _, own = external_id.rpartition(":")
    if not own.isdigit() or (parent and not parent.isdigit()):
        return None
    return (int(parent) if parent else None, int(own))


def _external_id(parent: int | None, own: int) -> str:
    return f"{parent}:{own}" if parent else str(own)


def _order_id(external_id: str) -> int:
    if not str(external_id).isdigit():
        raise ChannelError(f"{external_id!r} is not a WooCommerce order id.", retryable=False)
    return int(external_id)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
