"""A WooCommerce order (REST API v3 / webhook JSON) as an ``IncomingOrder``. Pure.

Shapes as WooCommerce documents them: ``id``, ``number``, ``status``, ``currency``,
``total`` and ``shipping_total`` (what the customer paid for shipping; decimal strings),
``customer_note``, ``date_created_gmt``, ``date_modified_gmt``,
``date_paid``/``date_paid_gmt``, ``set_paid``, ``billing{…, country, email, phone}``,
``shipping{first_name, last_name, company, address_1, address_2, city, state, postcode,
country, phone}``, ``line_items[{id, name, sku, quantity, price}]`` and
``shipping_lines[{method_title}]``. An order webhook (``order.created``/``order.updated``)
sends the same JSON as ``GET /orders/{id}``.

An order whose shipping address is empty (made by hand in the admin, or by a plugin that
fills only billing) ships to its billing address.

Statuses: ``cancelled`` → shop status cancelled, ``on-hold`` → on-hold, else open.
Anything else in the JSON (a string where an object belongs, an amount of ``Infinity`` or
``1e999999999``, a quantity of 1e400) is either read as nothing (0, None) or refused with
``NotAnOrder`` saying what — never another exception, never a huge integer computed.

Financial status: ``refunded`` → refunded; paid when processing/completed (WooCommerce sets
those once payment is taken) or when ``date_paid`` is set; else pending (pending payment,
on-hold awaiting a bank transfer, failed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from fulfilstation.domain.money import minor_digits
from fulfilstation.integrations.json_numbers import AMOUNT_LIMIT, whole_number
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder


class NotAnOrder(ValueError):
    """The JSON is not a WooCommerce order (no id, lines not a list …)."""


def incoming_order(channel: str, order: Mapping[str, Any]) -> IncomingOrder:
    """``order`` as an ``IncomingOrder`` of ``channel``; NotAnOrder when it cannot be one."""
    if not isinstance(order, Mapping) or order.get("id") in (None, ""):
        raise NotAnOrder("a WooCommerce order needs an id")
    currency = str(order.get("currency") or "USD").upper()
    billing = _mapping(order.get("billing"))
    shipping = _mapping(order.get("shipping"))
    if not _text(shipping.get("address_1")) and _text(billing.get("address_1")):
        shipping = billing  # an order made without a shipping address (by hand, by some plugins) ships to billing
    items = order.get("line_items") or []
    if not isinstance(items, list):
        raise NotAnOrder("line_items is not a list")
    lines = tuple(_line(item, currency) for item in items if isinstance(item, Mapping))
    name = " ".join(p for p in (_text(shipping.get("first_name")), _text(shipping.get("last_name"))) if p)
    company = _text(shipping.get("company"))
    shipping_lines = order.get("shipping_lines") or []
    method = _text(shipping_lines[0].get("method_title")) if isinstance(shipping_lines, list) and shipping_lines \
        and isinstance(shipping_lines[0], Mapping) else None
    status = str(order.get("status") or "")
    return IncomingOrder(
        channel=channel,
        external_id=str(order["id"]),
        number=_text(order.get("number")) or str(order["id"]),
        ship_to_name=name or company or "",
        ship_to_company=company,
        ship_to_line1=_text(shipping.get("address_1")) or "",
        ship_to_line2=_text(shipping.get("address_2")),
        ship_to_city=_text(shipping.get("city")) or "",
        ship_to_region=_text(shipping.get("state")),
        ship_to_postal_code=_text(shipping.get("postcode")) or "",
        ship_to_country=(_text(shipping.get("country")) or "").upper(),
        ship_to_phone=_text(shipping.get("phone")) or _text(billing.get("phone")),
        ship_to_email=_text(billing.get("email")),
        bill_to_country=(_text(billing.get("country")) or "").upper() or None,
        financial_status=financial_status(order),
        shop_status=shop_status(status),
        total_minor=_minor(order.get("total"), currency),
        currency=currency,
        shipping_charged_minor=None if order.get("shipping_total") in (None, "") else _minor(
            order.get("shipping_total"), currency),
        ordered_at=gmt(order.get("date_created_gmt")),
        note=_text(order.get("customer_note")),
        shipping_method=method,
        lines=lines,
    )


def shop_status(status: str) -> str:
    return {"cancelled": "cancelled", "on-hold": "on-hold"}.get(status, "open")


def financial_status(order: Mapping[str, Any]) -> str:
    status = str(order.get("status") or "")
    if status == "refunded":
        return "refunded"
    if status in ("processing", "completed") or order.get("date_paid") or order.get("date_paid_gmt") \
            or order.get("set_paid") is True:
        return "paid"
    return "pending"


def gmt(value: Any) -> dt.datetime | None:
    """WooCommerce's ``…_gmt`` dates (``2026-12-05T10:00:00``, no zone) as aware UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _line(item: Mapping[str, Any], currency: str) -> IncomingLine:
    quantity = whole_number(item.get("quantity"))
    return IncomingLine(sku=_text(item.get("sku")) or "", quantity=quantity,
                        unit_price_minor=_minor(item.get("price"), currency), name=_text(item.get("name")),
                        external_line_id=None if item.get("id") is None else str(item.get("id")))




def _minor(value: Any, currency: str) -> int:
    """``"29.35"`` (or a number) → minor units, rounded to the currency's decimals; 0 if
    unreadable (``NaN``, ``Infinity`` too); NotAnOrder when it is beyond any amount (±10¹⁸)."""
    if value in (None, "") or isinstance(value, bool):
        return 0
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return 0
    if not amount.is_finite():
        return 0
    if amount.copy_abs() >= AMOUNT_LIMIT:  # copy_abs: no context, so no Overflow on 1e999999999
        raise NotAnOrder(f"the amount {str(value)[:40]!r} is beyond any order's")
    return int(amount.scaleb(minor_digits(currency)).to_integral_value())


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
