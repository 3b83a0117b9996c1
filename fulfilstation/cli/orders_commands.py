"""``fulfilstation orders …``: orders for scripts and support (``--json`` is stable).

``orders quote`` and ``orders set-service`` (the carrier choice) live in ``service_commands``.
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli import service_commands
from fulfilstation.cli.context import CliContext
from fulfilstation.services.orders import STATUS_FILTERS, OrderInfo


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
    service_commands.register(sub, common)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    orders = context.app().orders.list(args.status)
    if args.json:
        print(json.dumps([order.as_json() for order in orders], indent=2, ensure_ascii=False))
        return 0
    for order in orders:
        hold = f"  ON HOLD: {order.hold_reason}" if order.hold else ""
        print(f"{order.number:<12} {order.status:<9} {order.ship_by or '-':<10} {order.carrier or '-':<8} "
              f"{order.service or '-':<18} {sum(line.quantity for line in order.lines):>3} units  "
              f"{order.customer}{hold}")
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    order = context.app().orders.show(args.order)
    if args.json:
        print(json.dumps(order.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(_describe(order))
    return 0


def _describe(order: OrderInfo) -> str:
    lines = [f"Order {order.number} ({order.status}{', on hold: ' + (order.hold_reason or '') if order.hold else ''})",
             f"  Customer: {order.customer}   Ship by: {order.ship_by or '-'}",
             f"  Carrier: {order.carrier or '-'} {order.service or ''}   Box: {order.suggested_box or '-'}"]
    if order.expected_weight_g:
        lines.append(f"  Expected weight: {order.expected_weight_g['min']}–{order.expected_weight_g['max']} g")
    if order.tracking_numbers:
        lines.append(f"  Tracking: {', '.join(order.tracking_numbers)}")
    lines += [f"  {line.quantity:>3} × {line.sku:<14} {line.name}  [{', '.join(line.barcodes)}]"
              for line in order.lines]
    return "\n".join(lines)
