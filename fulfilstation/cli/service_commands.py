"""``fulfilstation orders quote`` and ``orders set-service``: the carrier choice from the command line.

``quote`` shows what ``app.orders.quote`` returns: the service the order
will ship by, its price, arrival and the reason, and every usable service beside it.
``set-service`` is a manager's change (``app.orders.change_service``). The manager signs in
as at a station: ``--user`` (or ``--manager``) with ``--pin`` (else ``$FULFIL_PIN``, else asked
for on a terminal) or ``--badge``; wrong PINs count towards the lock-out like a station's.

Exit status: 0 done; 1 refused (unknown order or service, wrong PIN, not a manager, a
routing rule decides otherwise); 2 a usage error (no PIN and no terminal to ask on).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from fulfilstation.carriers.rating import Price, short_date
from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.domain import money
from fulfilstation.domain.words import plural
from fulfilstation.services.orders import Quote, QuoteOption


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Add ``quote`` and ``set-service`` to the ``orders`` group."""
    shown = sub.add_parser("quote", parents=[common], help="the carrier service an order will ship by, its price, "
                           "and every other service's price and arrival")
    shown.add_argument("order", help="the order number")
    shown.add_argument("--json", action="store_true", help="a JSON object (keys in the README)")
    shown.set_defaults(handler=quote_command)
    change = sub.add_parser("set-service", parents=[common], help="a manager chooses the order's carrier service")
    change.add_argument("order", help="the order number")
    change.add_argument("service", help="carrier/service, e.g. ups/ground (as 'orders quote' lists them)")
    sign_in.add_arguments(change, "a manager or an owner", manager_alias=True)
    change.set_defaults(handler=set_service_command)


def quote_command(args: argparse.Namespace, context: CliContext) -> int:
    chosen = context.app().orders.quote(args.order)
    if args.json:
        print(json.dumps(quote_json(chosen), indent=2, ensure_ascii=False))
        return 0
    print(describe_quote(chosen))
    return 0


def set_service_command(args: argparse.Namespace, context: CliContext) -> int:
    manager = sign_in.sign_in(args, context)
    changed = context.app().orders.change_service(manager, args.order, args.service)
    price = format_money(changed.price)
    arrives = f", arrives {_day(changed.arrives)}" if changed.arrives else ""
    print(f"Order {changed.order_number} now ships by {changed.service_name} ({changed.service}): {price}{arrives}.")
    print(f"Reason: {changed.reason}")
    return 0


def format_money(price: Price | None) -> str:
    """``$8.42`` (``12.50 CHF`` for a currency without a symbol here); ``no rate`` for None."""
    if price is None:
        return "no rate"
    return _money(price.total_minor, price.currency)


def _money(minor: int, currency: str) -> str:
    return money.format_money(minor, currency)


def _day(day: dt.date | None) -> str:
    return f"{short_date(day)} {day.year}" if day is not None else "-"


def _estimate(chosen: Quote) -> str:
    parcels = f"{plural(chosen.parcels, 'parcel')}"
    return f"yes (not packed yet; priced as {parcels})" if chosen.estimated else f"no (priced on the {parcels} packed)"


def describe_quote(chosen: Quote) -> str:
    price = chosen.price
    lines = [f"Order {chosen.order_number}: {chosen.service_name} ({chosen.service}), {format_money(price)}",
             f"  Reason: {chosen.reason}",
             f"  Arrives: {_day(chosen.arrives)}   Deliver by: {_day(chosen.deliver_by)}",
             f"  Estimated: {_estimate(chosen)}"]
    if price is not None:
        lines.append(f"  Base {_money(price.base_minor, price.currency)} + residential "
                     f"{_money(price.residential_minor, price.currency)} + fuel "
                     f"{_money(price.fuel_minor, price.currency)}; billable weight {price.billable_weight_g} g")
    rows = [("", "SERVICE", "NAME", "PRICE", "ARRIVES", "MEETS PROMISE", "EXCLUDED BY")]
    rows += [("*" if option.service == chosen.service else "", option.service, option.name,
              format_money(option.price), _day(option.arrives), "yes" if option.meets_promise else "no",
              option.excluded_by or "-") for option in chosen.options]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines.append("")
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    lines.append("  (* the chosen service)")
    return "\n".join(lines)


def _price_json(price: Price | None) -> dict[str, Any] | None:
    if price is None:
        return None
    return {"total_minor": price.total_minor, "base_minor": price.base_minor,
            "residential_minor": price.residential_minor, "fuel_minor": price.fuel_minor,
            "currency": price.currency, "billable_weight_g": price.billable_weight_g}


def _date_json(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _option_json(option: QuoteOption) -> dict[str, Any]:
    return {"service": option.service, "name": option.name, "price": _price_json(option.price),
            "arrives": _date_json(option.arrives), "meets_promise": option.meets_promise,
            "excluded_by": option.excluded_by}


def quote_json(chosen: Quote) -> dict[str, Any]:
    """The ``orders quote --json`` object (keys documented in the README)."""
    return {"number": chosen.order_number, "service": chosen.service, "service_name": chosen.service_name,
            "carrier_name": chosen.carrier_name, "price": _price_json(chosen.price), "reason": chosen.reason,
            "arrives": _date_json(chosen.arrives), "deliver_by": _date_json(chosen.deliver_by),
            "estimated": chosen.estimated, "parcels": chosen.parcels,
            "options": [_option_json(option) for option in chosen.options]}
