"""Shopify order shapes → ``IncomingOrder``: the GraphQL node (``orders`` query) and the REST
payload of the ``orders/*`` webhooks map to the same thing.

Rules (both shapes):

* ``external_id`` is the order's GraphQL GID (``gid://shopify/Order/123``); a webhook's
  numeric ``id`` is turned into that GID, so the two never make two orders.
* Amounts are converted to integer minor units of the shop currency exactly (``Decimal``;
  a finer amount than the currency has is rounded half up).
* ``financial_status`` is Shopify's, lower-case (``PARTIALLY_PAID`` → ``partially_paid``).
* ``shop_status``: ``cancelled`` when cancelled, ``on-hold`` when a fulfillment order is on
  hold, else ``open``.
* Only lines that need shipping are kept (gift cards and digital goods are not packed); a
  line's quantity is its *current* quantity (an edit or refund that removed it gives 0
  and it is left out). A missing SKU is kept as ``""`` so the intake flags the line.
* A webhook's JSON is not trusted to have Shopify's shape: an object where a list belongs
  (or the reverse) is read as nothing, an unreadable amount or quantity as 0 (``NaN``,
  ``Infinity`` too), and a payload without an ``id`` or with an amount beyond ±10¹⁸ raises
  ``ValueError`` saying so — never KeyError, TypeError or decimal's InvalidOperation.
* ``shipping_charged_minor``: what the customer paid for shipping — GraphQL
  ``totalShippingPriceSet``'s shop money; REST ``total_shipping_price_set``'s shop money, else
  the sum of ``shipping_lines`` prices; None when the shop said neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fulfilstation.domain.money import minor_digits
from fulfilstation.integrations.json_numbers import AMOUNT_LIMIT, whole_number
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder

ORDER_GID = "gid://shopify/Order/"
LINE_GID = "gid://shopify/LineItem/"




def to_minor(amount: Any, currency: str) -> int:
    """``"12.50"`` USD → 1250; ``"1200"`` JPY → 1200; nonsense (``NaN``, ``Infinity``) → 0;
    ValueError beyond ±10¹⁸."""
    if isinstance(amount, bool):
        return 0
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return 0
    if not value.is_finite():
        return 0
    if value.copy_abs() >= AMOUNT_LIMIT:  # copy_abs: no context, so no Overflow on 1e999999999
        raise ValueError(f"the amount {str(amount)[:40]!r} is beyond any order's")
    return int(value.scaleb(minor_digits(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _amount_minor(amount: Any, currency: str) -> int | None:
    """A price the shop gave, in minor units; None when it gave none."""
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        return None
    return to_minor(amount, currency)


def _rest_shipping(payload: Mapping[str, Any], currency: str) -> int | None:
    """What the customer paid for shipping: ``total_shipping_price_set``'s shop money, else the
    sum of the ``shipping_lines`` prices; None when the payload says neither."""
    total = _money_rest(payload.get("total_shipping_price_set")).get("amount")
    if total is not None:
        return _amount_minor(total, currency)
    lines = [line for line in _list(payload.get("shipping_lines")) if isinstance(line, Mapping)]
    prices = [_amount_minor(line.get("price"), currency) for line in lines]
    known = [price for price in prices if price is not None]
    return sum(known) if known else None


def _money_rest(node: Any) -> Mapping[str, Any]:
    shop = node.get("shop_money") if isinstance(node, Mapping) else None
    return shop if isinstance(shop, Mapping) else {}


def parse_time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def order_gid(value: Any) -> str:
    text = str(value)
    return text if text.startswith("gid://") else ORDER_GID + text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _money(node: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return ((node or {}).get("shopMoney") or {}) if isinstance(node, Mapping) else {}


def from_graphql(channel: str, node: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> IncomingOrder:
    """An ``orders`` node (and all its line item nodes) as an ``IncomingOrder``."""
    total = _money(node.get("totalPriceSet"))
    currency = str(total.get("currencyCode") or node.get("currencyCode") or "USD")
    ship = node.get("shippingAddress") or {}
    holds = any(fo.get("status") == "ON_HOLD" for fo in (node.get("fulfillmentOrders") or {}).get("nodes") or [])
    status = "cancelled" if node.get("cancelledAt") else "on-hold" if holds or node.get(
        "displayFulfillmentStatus") == "ON_HOLD" else "open"
    incoming: list[IncomingLine] = []
    for line in lines:
        if line.get("requiresShipping") is False:
            continue
        quantity = line.get("currentQuantity")
        quantity = line.get("quantity") if quantity is None else quantity
        if not quantity:
            continue
        incoming.append(IncomingLine(
            sku=str(line.get("sku") or "").strip(), quantity=int(quantity), name=_text(line.get("name")),
            unit_price_minor=to_minor(_money(line.get("originalUnitPriceSet")).get("amount", 0), currency),
            external_line_id=_text(line.get("id"))))
    financial = node.get("displayFinancialStatus")
    return IncomingOrder(
        channel=channel, external_id=str(node["id"]), number=_text(node.get("name")),
        ship_to_name=str(ship.get("name") or "").strip(), ship_to_line1=str(ship.get("address1") or "").strip(),
        ship_to_city=str(ship.get("city") or "").strip(), ship_to_postal_code=str(ship.get("zip") or "").strip(),
        ship_to_country=str(ship.get("countryCodeV2") or "").strip(), lines=tuple(incoming),
        ship_to_company=_text(ship.get("company")), ship_to_line2=_text(ship.get("address2")),
        ship_to_region=_text(ship.get("provinceCode")), ship_to_phone=_text(ship.get("phone") or node.get("phone")),
        ship_to_email=_text(node.get("email")),
        bill_to_country=_text((node.get("billingAddress") or {}).get("countryCodeV2")),
        financial_status=str(financial).lower() if financial else None, shop_status=status,
        total_minor=to_minor(total.get("amount", 0), currency), currency=currency,
        shipping_charged_minor=_amount_minor(_money(node.get("totalShippingPriceSet")).get("amount"), currency),
        ordered_at=parse_time(node.get("createdAt")), note=_text(node.get("note")),
        shipping_method=_text((node.get("shippingLine") or {}).get("title")))


def from_rest(channel: str, payload: Mapping[str, Any]) -> IncomingOrder:
    """The REST-shaped order of an ``orders/create|updated|cancelled`` webhook; ValueError
    (saying why) when the payload is not an order."""
    identity = payload.get("admin_graphql_api_id") or payload.get("id") if isinstance(payload, Mapping) else None
    if not identity or isinstance(identity, (bool, list, dict)):
        raise ValueError("a Shopify order needs an id")
    currency = str(payload.get("currency") or payload.get("presentment_currency") or "USD")
    ship = _mapping(payload.get("shipping_address"))
    incoming: list[IncomingLine] = []
    for line in _list(payload.get("line_items")):
        if not isinstance(line, Mapping) or line.get("requires_shipping") is False:
            continue
        quantity = line.get("current_quantity")
        quantity = whole_number(line.get("quantity") if quantity is None else quantity)
        if not quantity:
            continue
        line_id = line.get("admin_graphql_api_id") or (LINE_GID + str(line["id"]) if line.get("id") else None)
        incoming.append(IncomingLine(
            sku=str(line.get("sku") or "").strip(), quantity=int(quantity), name=_text(line.get("name")),
            unit_price_minor=to_minor(line.get("price", 0), currency), external_line_id=_text(line_id)))
    financial = payload.get("financial_status")
    hold = str(payload.get("fulfillment_status") or "").lower() == "on_hold"
    status = "cancelled" if payload.get("cancelled_at") else "on-hold" if hold else "open"
    first = (str(ship.get("first_name") or "") + " " + str(ship.get("last_name") or "")).strip()
    return IncomingOrder(
        channel=channel, external_id=order_gid(identity),
        number=_text(payload.get("name")),
        ship_to_name=str(ship.get("name") or first).strip(), ship_to_line1=str(ship.get("address1") or "").strip(),
        ship_to_city=str(ship.get("city") or "").strip(), ship_to_postal_code=str(ship.get("zip") or "").strip(),
        ship_to_country=str(ship.get("country_code") or "").strip(), lines=tuple(incoming),
        ship_to_company=_text(ship.get("company")), ship_to_line2=_text(ship.get("address2")),
        ship_to_region=_text(ship.get("province_code")), ship_to_phone=_text(ship.get("phone") or payload.get("phone")),
        ship_to_email=_text(payload.get("email") or payload.get("contact_email")),
        bill_to_country=_text(_mapping(payload.get("billing_address")).get("country_code")),
        financial_status=str(financial).lower() if financial else None, shop_status=status,
        total_minor=to_minor(payload.get("total_price", 0), currency), currency=currency,
        shipping_charged_minor=_rest_shipping(payload, currency),
        ordered_at=parse_time(payload.get("created_at")), note=_text(payload.get("note")),
        shipping_method=_text(_mapping((_list(payload.get("shipping_lines")) or [{}])[0]).get("title")))
