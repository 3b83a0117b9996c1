"""Tidying an incoming order so it can be stored, or saying in plain words why it cannot.

``tidy`` trims every text, turns blanks into None, reads a country's name as its
two-letter code (pycountry) and checks what the database would refuse (lengths, a
quantity below 1 or over ``QUANTITY_MAX``, a negative amount or one over ``MINOR_MAX`` — the
columns are 32-bit integers, and an amount past them must be refused here in words rather
than by the database's overflow). It never judges whether the order may be shipped:
that is ``checks.check_order`` (a held order is stored; a rejected one is not).
Pure: no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pycountry

from fulfilstation.integrations.ports import IncomingLine, IncomingOrder

LIMITS = {"ship_to_name": 200, "ship_to_company": 200, "ship_to_line1": 200, "ship_to_line2": 200,
          "ship_to_city": 100, "ship_to_region": 100, "ship_to_postal_code": 20, "ship_to_phone": 40,
          "ship_to_email": 200, "financial_status": 32}
LABELS = {"ship_to_name": "name", "ship_to_company": "company", "ship_to_line1": "street",
          "ship_to_line2": "second address line", "ship_to_city": "city", "ship_to_region": "region",
          "ship_to_postal_code": "postal code", "ship_to_phone": "phone", "ship_to_email": "e-mail",
          "financial_status": "financial status"}
SHOP_STATUSES = ("open", "cancelled", "on-hold")
QUANTITY_MAX = 1_000_000  # units of one line (a purchase order line's limit too)
MINOR_MAX = 2**31 - 1  # the largest amount the integer columns hold, in minor units


class Untidy(ValueError):
    """The order cannot be stored as sent; ``str()`` says what to fix."""


def country_code(text: str | None) -> str | None:
    """``US``, ``us``, ``United States``, ``USA`` → ``US``; None when blank; Untidy when unknown
    and longer than two letters (two letters are kept as given: the checks judge them)."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) == 2:
        return value.upper()
    try:
        found = pycountry.countries.lookup(value)
    except LookupError:
        raise Untidy(f"the country {value!r} is not a country: give its two-letter code (US, DE, GB …)") from None
    return str(found.alpha_2)


def _text(value: str | None) -> str | None:
    stripped = (value or "").strip()
    return stripped or None


def tidy(order: IncomingOrder) -> IncomingOrder:
    """``order`` trimmed and checked; Untidy says the first thing that stops it being stored."""
    channel = order.channel.strip()
    external = order.external_id.strip()
    if not channel or len(channel) > 32:
        raise Untidy("the channel's name must be 1 to 32 characters")
    if not external:
        raise Untidy("the order has no id (external id)")
    if len(external) > 100:
        raise Untidy(f"the order's id is {len(external)} characters long (at most 100)")
    if not order.lines:
        raise Untidy("the order has no lines to ship")
    lines: list[IncomingLine] = []
    for line in order.lines:
        sku = line.sku.strip()
        where = f" (line {line.source_line})" if line.source_line else ""
        if not sku:
            raise Untidy(f"a line has no SKU{where}")
        if line.quantity < 1:
            raise Untidy(f"{sku}: the quantity must be at least 1, not {line.quantity}{where}")
        if line.quantity > QUANTITY_MAX:
            raise Untidy(f"{sku}: the quantity {line.quantity} is more than {QUANTITY_MAX:,}{where}")
        if line.unit_price_minor < 0:
            raise Untidy(f"{sku}: the price cannot be negative{where}")
        if line.unit_price_minor > MINOR_MAX:
            raise Untidy(f"{sku}: the price is more than {MINOR_MAX:,} minor units{where}")
        if line.external_line_id is not None and len(line.external_line_id) > 100:
            raise Untidy(f"{sku}: the line's id is longer than 100 characters{where}")
        name = _text(line.name)
        lines.append(line if sku == line.sku and name == line.name else replace(line, sku=sku, name=name))
    if order.total_minor < 0:
        raise Untidy("the order's total cannot be negative")
    if order.shipping_charged_minor is not None and order.shipping_charged_minor < 0:
        raise Untidy("the shipping charged cannot be negative")
    if order.total_minor > MINOR_MAX or (order.shipping_charged_minor or 0) > MINOR_MAX:
        raise Untidy(f"the order's total or shipping charged is more than {MINOR_MAX:,} minor units")
    currency = (order.currency or "USD").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise Untidy(f"the currency {order.currency!r} is not a three-letter code (USD, EUR …)")
    status = (order.shop_status or "open").strip().lower()
    if status not in SHOP_STATUSES:
        raise Untidy(f"the shop status {order.shop_status!r} is not one of {', '.join(SHOP_STATUSES)}")
    values: dict[str, str | None] = {}
    for name, limit in LIMITS.items():
        value = _text(getattr(order, name))
        if value is not None and len(value) > limit:
            raise Untidy(f"the {LABELS[name]} is {len(value)} characters long (at most {limit})")
        values[name] = value
    ordered_at = order.ordered_at
    if ordered_at is not None and ordered_at.tzinfo is None:  # a time without a zone is taken as UTC
        ordered_at = ordered_at.replace(tzinfo=dt.UTC)
    return replace(
        order, ordered_at=ordered_at, channel=channel, external_id=external, number=_text(order.number),
        lines=tuple(lines),
        ship_to_name=values["ship_to_name"] or "", ship_to_line1=values["ship_to_line1"] or "",
        ship_to_city=values["ship_to_city"] or "", ship_to_postal_code=values["ship_to_postal_code"] or "",
        ship_to_country=country_code(order.ship_to_country) or "", ship_to_company=values["ship_to_company"],
        ship_to_line2=values["ship_to_line2"], ship_to_region=values["ship_to_region"],
        ship_to_phone=values["ship_to_phone"], ship_to_email=values["ship_to_email"],
        bill_to_country=country_code(order.bill_to_country),
        financial_status=(values["financial_status"] or "").lower() or None, shop_status=status,
        currency=currency, note=_text(order.note), shipping_method=_text(order.shipping_method))
