"""``fulfilstation orders …``: orders for scripts and support (``--json`` is stable).

``list``, ``show``, ``search`` and ``history`` (everything about one order) read; ``orders
quote`` and ``orders set-service`` (the carrier choice) live in ``service_commands``; ``hold``,
``release``, ``cancel`` and ``set-address`` (a manager's changes) in ``order_change_commands``;
``reserve`` (stock for pending orders) in ``order_reserve_command``; ``recheck`` (the intake
checks again) in ``order_recheck_command``. A held order shows why (each intake problem;
warnings marked), its lines with unknown SKUs and a corrected address next to the original.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Any

from fulfilstation.cli import (
    order_change_commands,
    order_history,
    order_recheck_command,
    order_reserve_command,
    service_commands,
)
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.domain.words import noun
from fulfilstation.services.orders import (
    BACKORDER,
    SHIP_BY_FILTERS,
    STATUS_FILTERS,
    IntakeProblem,
    OrderInfo,
    OrderLineInfo,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    orders = commands.add_parser("orders", help="list and show orders; quote and change their carrier service")
    sub = orders.add_subparsers(dest="orders_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="orders, oldest ship-by first")
    listing.add_argument("--status", choices=STATUS_FILTERS, help="only orders in this state ('held': on hold)")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=list_command)
    show = sub.add_parser("show", parents=[common], help="one order with its lines, box and expected weight")
    show.add_argument("order", help="the order number")
    show.add_argument("--json", action="store_true", help="a JSON object (keys in the README)")
    show.set_defaults(handler=show_command)
    search = sub.add_parser("search", parents=[common], help="find orders by number, customer, SKU, barcode or "
                            "tracking number; open ones first, oldest ship-by first")
    search.add_argument("text", nargs="?", default=None, help="what to look for (all orders without it)")
    search.add_argument("--status", choices=[*(s.value for s in OrderStatus), BACKORDER],
                        help="only orders in this state (backorder: pending, waiting for stock)")
    held = search.add_mutually_exclusive_group()
    held.add_argument("--held", dest="hold", action="store_const", const=True, default=None, help="only held orders")
    held.add_argument("--not-held", dest="hold", action="store_const", const=False, help="only orders not held")
    search.add_argument("--ship-by", choices=SHIP_BY_FILTERS, help="late (open, past its day), today or later")
    search.add_argument("--carrier", metavar="CODE", help="only this carrier's (ups, usps, fedex, courier …)")
    search.add_argument("--limit", type=whole_number(1, 100_000), default=500, help="at most this many (default 500)")
    search.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    search.set_defaults(handler=search_command)
    history = sub.add_parser("history", parents=[common], help="everything about one order: ship-to, lines, "
                             "reservations, scans, shipments, holds and its audit history")
    history.add_argument("order", help="the order number")
    history.add_argument("--json", action="store_true", help="a JSON object (keys in the README)")
    history.set_defaults(handler=history_command)
    service_commands.register(sub, common)
    order_change_commands.register(sub, common)
    order_reserve_command.register(sub, common)
    order_recheck_command.register(sub, common)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    orders = context.app().orders.list(args.status)
    if args.json:
        print(json.dumps([order.as_json() for order in orders], indent=2, ensure_ascii=False))
        return 0
    for order in orders:
        hold = f"  ON HOLD: {order.hold_reason}" if order.hold else ""
        status = BACKORDER if order.backorder else order.status
        print(f"{order.number:<12} {status:<9} {order.ship_by or '-':<10} {order.carrier or '-':<8} "
              f"{order.service or '-':<18} {_units(sum(line.quantity for line in order.lines if not line.is_kit))}  "
              f"{order.customer}{hold}")
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    order = context.app().orders.show(args.order)
    if args.json:
        print(json.dumps(order.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(_describe(order))
    return 0


def search_command(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().orders.search(args.text, args.status, args.hold, args.ship_by, args.carrier, args.limit)
    if args.json:
        print(json.dumps([summary.as_json() for summary in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("No order matches.")
    for summary in found:
        late = " LATE" if summary.late else ""
        hold = f"  ON HOLD: {summary.hold_reason}" if summary.hold else ""
        status = BACKORDER if summary.backorder else summary.status
        print(f"{summary.number:<12} {status:<9} {summary.ship_by or '-'!s:<10}{late:<5} "
              f"{summary.service_key or '-':<18} {_units(summary.units)}  {summary.tracking or '-':<22} "
              f"{summary.customer}{hold}")
    return 0


def history_command(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().orders.detail(args.order)
    if args.json:
        print(json.dumps(detail.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(order_history.describe(detail))
    return 0


def _describe(order: OrderInfo) -> str:
    status = BACKORDER if order.backorder else order.status
    lines = [f"Order {order.number} ({status}{', on hold: ' + (order.hold_reason or '') if order.hold else ''})",
             f"  Customer: {order.customer}   Ship by: {order.ship_by or '-'}",
             f"  Carrier: {order.carrier or '-'} {order.service or ''}   Box: {order.suggested_box or '-'}"]
    if order.expected_weight_g:
        lines.append(f"  Expected weight: {order.expected_weight_g['min']}–{order.expected_weight_g['max']} g")
    if order.tracking_numbers:
        lines.append(f"  Tracking: {', '.join(order.tracking_numbers)}")
    if order.split:
        lines.append(f"  Partial shipment: {order.split}")
    lines += order_history.intake_words(
        [IntakeProblem.from_json(item) for item in order.problems],
        [f"{item.get('quantity')} × {item.get('sku')}" + (f" {item['name']}" if item.get("name") else "")
         for item in order.unmatched_lines],
        _address_line(order.original_ship_to))
    components: dict[int, list[OrderLineInfo]] = defaultdict(list)
    for line in order.lines:
        if line.kit_line is not None:
            components[line.kit_line].append(line)
    for line in order.lines:
        if line.kit_line is not None:
            continue  # under its kit
        if line.is_kit:
            lines.append(f"  {line.quantity:>3} × {line.sku:<14} {line.name}  (kit: its components are packed)")
            lines += _line_words(components[line.line_no], "    ↳ ")
        else:
            lines += _line_words([line], "  ")
    return "\n".join(lines)


def _address_line(parts: dict[str, Any] | None) -> str | None:
    if not parts:
        return None
    return ", ".join(str(parts[key]) for key in ("name", "company", "line1", "line2", "city", "region",
                                                 "postal_code", "country") if parts.get(key))


def _line_words(order_lines: list[OrderLineInfo], indent: str) -> list[str]:
    words = []
    for line in order_lines:
        words.append(f"{indent}{line.quantity:>3} × {line.sku:<14} {line.name}  [{', '.join(line.barcodes)}]")
        words += [f"{' ' * len(indent)}      lot {lot.lot} × {lot.quantity} in bin {lot.bin}"
                  f"{f' (expires {lot.expiry})' if lot.expiry else ''}" for lot in line.lots]
    return words


def _units(count: int) -> str:
    """A right-aligned unit count for the order lists: "  1 unit ", " 12 units"."""
    return f"{count:>3} {noun(count, 'unit'):<5}"
