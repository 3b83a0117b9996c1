"""``ShopifyChannel``: the ``ShopChannel`` port over Shopify's GraphQL Admin API.

* ``fetch_orders`` pages through orders changed since ``state["updated_at_min"]`` (oldest
  change first, ``sortKey: UPDATED_AT``); ``state["cursor"]`` continues a pass. The state
  returned with the last page of a pass moves ``updated_at_min`` to the newest change seen
  (``>=``, so an order changed in that very second is seen again rather than lost; the
  intake is idempotent on (channel, external id)). Fully fulfilled orders that are not
  cancelled, and orders with nothing to ship, are left out.
* ``create_fulfilment`` looks before it acts: a fulfilment that already carries all our
  tracking numbers (a repeat after a lost answer) is returned, never created twice. An
  order shipped whole fulfils its open fulfillment orders whole; a split order's part
  (``lines`` given) fulfils only those line items and quantities, matched by the LineItem id
  to the fulfillment orders' line items (``fulfillmentOrderLineItems``).
* ``cancel_fulfilment`` is idempotent: an already cancelled fulfilment is done.
* ``set_stock`` sets absolute ``available`` quantities at the configured location.

Nothing here knows the database or Qt. Calls block (each HTTP request waits at most
``timeout`` seconds, plus any wait for Shopify's query-cost bucket); use one instance per
thread. The access token is read from the keyring under ``channel:NAME:token``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.integrations.ports import (
    SETUP_RETRY_SECONDS,
    ChannelConfig,
    ChannelError,
    IncomingOrder,
    OrderPage,
    ShippedLine,
    StockPush,
    TrackingPush,
    no_keyring,
)
from fulfilstation.integrations.shopify import queries
from fulfilstation.integrations.shopify.graphql import Clock, GraphQLClient, Sleep, endpoint_for
from fulfilstation.integrations.shopify.mapping import from_graphql, order_gid, parse_time

OPEN_FULFILLMENT_ORDERS = ("OPEN", "IN_PROGRESS")
DONE = ("FULFILLED", "RESTOCKED")
DEAD_FULFILMENTS = ("CANCELLED", "ERROR", "FAILURE")


def token_name(channel: str) -> str:
    return f"channel:{channel}:token"


class ShopifyChannel:
    """One Shopify shop (``config.base_url``: ``https://SHOP.myshopify.com``)."""

    def __init__(self, config: ChannelConfig, secrets: SecretStore, *, timeout: float = 20.0,
                 sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> None:
        self.name = config.name
        self.config = config
        self._secrets = secrets
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._client: GraphQLClient | None = None

    def __repr__(self) -> str:
        return f"ShopifyChannel(name={self.name!r}, base_url={self.config.base_url!r})"

    @property
    def client(self) -> GraphQLClient:
        """The GraphQL client, built on first use (reads the token from the keyring)."""
        if self._client is None:
            if not self.config.base_url:
                raise ChannelError(f"The channel {self.name} has no shop address: set it to "
                                   "https://YOUR-SHOP.myshopify.com in the channel's settings.",
                                   retryable=True, retry_after=SETUP_RETRY_SECONDS)
            try:
                token = self._secrets.get(token_name(self.name))
            except KeyringUnavailable as exc:
                raise ChannelError(no_keyring(self.name, "access token", exc.detail), retryable=True,
                                   retry_after=SETUP_RETRY_SECONDS) from None
            if not token:
                raise ChannelError(
                    f"No Shopify access token is stored for the channel {self.name} on this computer. Store the "
                    "Admin API access token (shpat_…) of the shop's custom app in the channel's settings window "
                    f"or with: fulfilstation integrations set-secret {self.name} token",
                                   retryable=True, retry_after=SETUP_RETRY_SECONDS)
            self._client = GraphQLClient(endpoint_for(self.config.base_url), token, timeout=self.timeout,
                                         sleep=self._sleep, clock=self._clock)
        return self._client

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, state: Mapping[str, Any]) -> OrderPage:
        since = state.get("updated_at_min")
        variables: dict[str, Any] = {"first": queries.ORDERS_PER_PAGE, "after": state.get("cursor"),
                                     "query": f"updated_at:>='{since}'" if since else None}
        data = self.client.execute(queries.ORDERS, variables, what="fetch the shop's orders",
                                   cost=queries.ORDERS_COST)
        connection = data.get("orders") or {}
        nodes: list[Mapping[str, Any]] = connection.get("nodes") or []
        newest = state.get("newest") or since
        orders: list[IncomingOrder] = []
        for node in nodes:
            updated = node.get("updatedAt")
            if isinstance(updated, str) and (newest is None or _later(updated, str(newest))):
                newest = updated
            if not node.get("cancelledAt") and node.get("displayFulfillmentStatus") in DONE:
                continue
            order = from_graphql(self.name, node, self._all_lines(node))
            if order.lines or order.shop_status == "cancelled":
                orders.append(order)
        page = connection.get("pageInfo") or {}
        more = bool(page.get("hasNextPage")) and bool(nodes)
        if more:
            next_state: dict[str, Any] = {"updated_at_min": since, "cursor": page.get("endCursor"), "newest": newest}
        else:
            next_state = {"updated_at_min": newest, "cursor": None}
        return OrderPage(orders=tuple(orders), state=next_state, more=more)

    def _all_lines(self, node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        connection = node.get("lineItems") or {}
        lines = list(connection.get("nodes") or [])
        page = connection.get("pageInfo") or {}
        while page.get("hasNextPage"):
            data = self.client.execute(queries.ORDER_LINES, {"id": node["id"], "after": page.get("endCursor")},
                                       what=f"fetch the lines of order {node.get('name') or node['id']}",
                                       cost=queries.ORDER_LINES_COST)
            connection = (data.get("order") or {}).get("lineItems") or {}
            lines.extend(connection.get("nodes") or [])
            page = connection.get("pageInfo") or {}
        return lines

    # ------------------------------------------------------------------ fulfilments

    def _order(self, order_external_id: str) -> Mapping[str, Any]:
        gid = order_gid(order_external_id)
        data = self.client.execute(queries.ORDER_FULFILMENTS, {"id": gid}, what="read the order's fulfilments",
                                   cost=queries.ORDER_FULFILMENTS_COST)
        order = data.get("order")
        if not isinstance(order, Mapping):
            raise ChannelError(f"Shopify has no order {gid} (deleted in the shop?).", retryable=False)
        return order

    def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                          notify_customer: bool, idempotency_key: str,
                          lines: Sequence[ShippedLine] | None = None, last_part: bool = True) -> Mapping[str, Any]:
        """``idempotency_key`` is not sent (the 2025-01 API has none for this mutation):
        the order's existing fulfilments are read first instead. ``last_part`` changes
        nothing here: Shopify closes the order when no line item is left to fulfil."""
        numbers = [t.number for t in tracking if t.number]
        if lines is not None:
            return self._fulfil_part(order_external_id, tracking, numbers, lines, notify_customer)
        order = self._order(order_external_id)
        found = _fulfilment_with(order, numbers)
        if found is not None:
            return {"fulfilment_id": found, "already_there": True}
        fulfillment_orders = (order.get("fulfillmentOrders") or {}).get("nodes") or []
        open_orders = self._ours([fo for fo in fulfillment_orders if fo.get("status") in OPEN_FULFILLMENT_ORDERS])
        name = order.get("name") or order_external_id
        if not open_orders:
            live = [f for f in order.get("fulfillments") or [] if f.get("status") not in DEAD_FULFILMENTS]
            if not numbers and live:  # a push without tracking, repeated: the one it made
                return {"fulfilment_id": str(live[-1]["id"]), "already_there": True}
            if order.get("cancelledAt"):
                why = "it was cancelled in the shop"
            elif any(fo.get("status") == "ON_HOLD" for fo in fulfillment_orders):
                why = "it is on hold in the shop (release the hold there, then retry)"
            else:
                why = "everything on it is already fulfilled there, without our tracking numbers"
            raise ChannelError(f"Shopify cannot record the shipment of order {name}: {why}.", retryable=False)
        return self._create(name, [{"fulfillmentOrderId": fo} for fo in open_orders], tracking, numbers,
                            notify_customer)

    def _fulfil_part(self, order_external_id: str, tracking: Sequence[TrackingPush], numbers: list[str],
                     lines: Sequence[ShippedLine], notify_customer: bool) -> Mapping[str, Any]:
        """Fulfil only ``lines`` (a split order's part): each matched by its LineItem id to the
        open fulfillment orders' line items with units remaining."""
        gid = order_gid(order_external_id)
        data = self.client.execute(queries.ORDER_FULFILMENT_LINES, {"id": gid},
                                   what="read the order's fulfillment order lines",
                                   cost=queries.ORDER_FULFILMENT_LINES_COST)
        order = data.get("order")
        if not isinstance(order, Mapping):
            raise ChannelError(f"Shopify has no order {gid} (deleted in the shop?).", retryable=False)
        found = _fulfilment_with(order, numbers)
        if found is not None:
            return {"fulfilment_id": found, "already_there": True}
        name = order.get("name") or order_external_id
        nodes = [fo for fo in (order.get("fulfillmentOrders") or {}).get("nodes") or []
                 if fo.get("status") in OPEN_FULFILLMENT_ORDERS]
        mine = set(self._ours(nodes))
        remaining = [(str(fo["id"]), item) for fo in nodes if str(fo["id"]) in mine
                     for item in (fo.get("lineItems") or {}).get("nodes") or []]
        left = {str(item["id"]): int(item.get("remainingQuantity") or 0) for _fo, item in remaining}
        chosen: dict[str, list[dict[str, Any]]] = {}
        for line in lines:
            units = line.quantity
            for fo_id, item in remaining:
                if units and str((item.get("lineItem") or {}).get("id")) == line.external_line_id \
                        and left[str(item["id"])] > 0:
                    take = min(units, left[str(item["id"])])
                    left[str(item["id"])] -= take
                    units -= take
                    chosen.setdefault(fo_id, []).append({"id": str(item["id"]), "quantity": take})
            if units:
                what = line.sku or line.external_line_id or "a line without the shop's line id"
                raise ChannelError(f"Shopify cannot record this part of order {name}: it has fewer units of {what} "
                                   f"left to fulfil than the parcel carries ({line.quantity}). Check the order in "
                                   "Shopify (fulfilled there already, or edited?).", retryable=False)
        if not chosen:
            raise ChannelError(f"Shopify cannot record this part of order {name}: the parcel carries none of the "
                               "shop's line items.", retryable=False)
        return self._create(name, [{"fulfillmentOrderId": fo_id, "fulfillmentOrderLineItems": items}
                                   for fo_id, items in chosen.items()], tracking, numbers, notify_customer)

    def _create(self, name: str, by_fulfillment_order: list[dict[str, Any]], tracking: Sequence[TrackingPush],
                numbers: list[str], notify_customer: bool) -> Mapping[str, Any]:
        info: dict[str, Any] = {"numbers": numbers}
        if tracking:
            info["company"] = tracking[0].carrier
            if all(t.url for t in tracking):
                info["urls"] = [t.url for t in tracking]
        data = self.client.execute(queries.FULFILLMENT_CREATE, {"fulfillment": {
            "lineItemsByFulfillmentOrder": by_fulfillment_order,
            "notifyCustomer": notify_customer, "trackingInfo": info}},
            what=f"record the shipment of order {name} in Shopify")
        result = _payload(data, "fulfillmentCreate", f"record the shipment of order {name}")
        fulfilment = result.get("fulfillment") or {}
        if not fulfilment.get("id"):
            raise ChannelError(f"Shopify did not say which fulfilment it made for order {name}.", retryable=True)
        return {"fulfilment_id": fulfilment["id"]}

    def _ours(self, fulfillment_orders: list[Mapping[str, Any]]) -> list[str]:
        """The fulfillment orders this warehouse ships: those assigned to the configured
        location when there are any (the rest belong to other locations), else those of the
        first one's location (one ``fulfillmentCreate`` takes one location's only)."""
        def where(fo: Mapping[str, Any]) -> Any:
            return ((fo.get("assignedLocation") or {}).get("location") or {}).get("id")

        location = _location_gid(self.config.location_id)
        mine = [fo for fo in fulfillment_orders if where(fo) == location]
        if not mine and fulfillment_orders:
            mine = [fo for fo in fulfillment_orders if where(fo) == where(fulfillment_orders[0])]
        return [str(fo["id"]) for fo in mine]

    def cancel_fulfilment(self, order_external_id: str, reference: Mapping[str, Any]) -> None:
        fulfilment_id = reference.get("fulfilment_id")
        if not fulfilment_id:
            return  # nothing was ever created
        order = self._order(order_external_id)
        current = next((f for f in order.get("fulfillments") or [] if f.get("id") == fulfilment_id), None)
        if current is None:
            raise ChannelError(f"Shopify's order {order.get('name') or order_external_id} has no fulfilment "
                               f"{fulfilment_id}.", retryable=False)
        if current.get("status") == "CANCELLED":
            return
        data = self.client.execute(queries.FULFILLMENT_CANCEL, {"id": fulfilment_id},
                                   what="cancel the fulfilment in Shopify")
        try:
            _payload(data, "fulfillmentCancel", f"cancel the fulfilment of order {order.get('name')}")
        except ChannelError:
            again = next((f for f in self._order(order_external_id).get("fulfillments") or []
                          if f.get("id") == fulfilment_id), None)
            if again is not None and again.get("status") == "CANCELLED":
                return  # cancelled meanwhile (or by our lost earlier attempt)
            raise

    # ------------------------------------------------------------------ stock

    def set_stock(self, levels: Sequence[StockPush]) -> Mapping[str, Any]:
        location = self.config.location_id
        if not location:
            raise ChannelError(f"The channel {self.name} has no Shopify location: set the location this "
                               "warehouse stocks (gid://shopify/Location/…) in the channel's settings.",
                               retryable=True, retry_after=SETUP_RETRY_SECONDS)
        location = _location_gid(location)
        listings: dict[str, dict[str, str] | None] = {}
        unknown = [level.sku for level in levels if not level.inventory_item_id]
        for start in range(0, len(unknown), queries.VARIANTS_PER_QUERY):
            listings.update(self._resolve(unknown[start:start + queries.VARIANTS_PER_QUERY]))
        wanted: list[tuple[str, dict[str, Any]]] = []
        for level in levels:
            if level.inventory_item_id:
                listings[level.sku] = {"external_id": level.external_id or "",
                                       "inventory_item_id": level.inventory_item_id}
            listing = listings.get(level.sku)
            if listing is not None:
                wanted.append((level.sku, {"inventoryItemId": listing["inventory_item_id"], "locationId": location,
                                           "quantity": max(int(level.available), 0)}))
        refused: dict[str, str] = {}
        done = 0
        for start in range(0, len(wanted), queries.QUANTITIES_PER_MUTATION):
            done += self._set_batch(wanted[start:start + queries.QUANTITIES_PER_MUTATION], refused)
        return {"listings": listings, "set": done, "refused": refused}

    def _set_batch(self, batch: list[tuple[str, dict[str, Any]]], refused: dict[str, str]) -> int:
        """Sets one batch; Shopify applies a batch whole or not at all, so quantities it refuses
        one by one (an item not stocked at the location, a deleted item) are left out, named in
        ``refused``, and the rest is sent once more. Returns how many were set."""
        for _attempt in range(2):
            if not batch:
                return 0
            data = self.client.execute(queries.INVENTORY_SET, {"input": {
                "name": "available", "reason": "correction", "ignoreCompareQuantity": True,
                "quantities": [quantity for _sku, quantity in batch]}}, what="set the shop's stock")
            payload = data.get("inventorySetQuantities")
            errors = (payload or {}).get("userErrors") or [] if isinstance(payload, Mapping) else []
            per_item = {_quantity_index(e): str(e.get("message")) for e in errors}
            whole = any(e.get("code") == "INVALID_LOCATION" for e in errors)  # the channel's setting is wrong
            if whole or not errors or None in per_item or not all(
                    0 <= i < len(batch) for i in per_item if i is not None):
                _payload(data, "inventorySetQuantities", "set the shop's stock")
                return len(batch)
            for index, message in per_item.items():
                assert index is not None
                refused[batch[index][0]] = message
            batch = [entry for n, entry in enumerate(batch) if n not in per_item]
        raise ChannelError("Could not set the shop's stock: Shopify refused the quantities again.", retryable=False)

    def _resolve(self, skus: Sequence[str]) -> dict[str, dict[str, str] | None]:
        data = self.client.execute(queries.variants_by_sku(len(skus)),
                                   {f"q{i}": queries.sku_search(sku) for i, sku in enumerate(skus)},
                                   what="find the shop's products by SKU", cost=queries.VARIANT_COST * len(skus))
        found: dict[str, dict[str, str] | None] = {}
        for i, sku in enumerate(skus):
            nodes = (data.get(f"v{i}") or {}).get("nodes") or []
            node = next((n for n in nodes if str(n.get("sku") or "") == sku), None)
            item = (node or {}).get("inventoryItem") or {}
            found[sku] = {"external_id": node["id"], "inventory_item_id": item["id"]} \
                if node and item.get("id") else None
        return found


def _location_gid(location: str | None) -> str | None:
    """``123`` or ``gid://shopify/Location/123`` → the GID."""
    if not location:
        return None
    return location if location.startswith("gid://") else f"gid://shopify/Location/{location}"


def _later(a: str, b: str) -> bool:
    ta, tb = parse_time(a), parse_time(b)
    return ta is not None and (tb is None or ta > tb)


def _fulfilment_with(order: Mapping[str, Any], numbers: Sequence[str]) -> str | None:
    """The id of a live fulfilment that carries every one of ``numbers`` (None: none)."""
    if not numbers:
        return None
    for fulfilment in order.get("fulfillments") or []:
        if fulfilment.get("status") in DEAD_FULFILMENTS:
            continue
        carried = {str(t.get("number")) for t in fulfilment.get("trackingInfo") or []}
        if set(numbers) <= carried:
            return str(fulfilment["id"])
    return None


def _quantity_index(error: Mapping[str, Any]) -> int | None:
    """``N`` of a user error about ``input.quantities.N`` (None: about the whole input)."""
    path = [str(part) for part in error.get("field") or []]
    if len(path) >= 3 and path[:2] == ["input", "quantities"] and path[2].isdigit():
        return int(path[2])
    return None


def _payload(data: Mapping[str, Any], field: str, what: str) -> Mapping[str, Any]:
    """The mutation's payload; its ``userErrors`` become a ChannelError (not retryable)."""
    payload = data.get(field)
    if not isinstance(payload, Mapping):
        raise ChannelError(f"Could not {what}: Shopify's answer has no {field}.", retryable=True)
    errors = payload.get("userErrors") or []
    if errors:
        messages = "; ".join(str(e.get("message")) for e in errors)
        raise ChannelError(f"Could not {what}: Shopify said: {messages}", retryable=False)
    return payload
