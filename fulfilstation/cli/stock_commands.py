"""``fulfilstation stock …``: stock questions for support and recalls (read-only).

``trace LOT [--json]`` lists every order and shipment that received the lot (voided ones
too, marked), the lot's units still in the bins, and the open orders holding some of it
reserved. Exit 0 found; 1 refused (no such lot: the message says so).
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli.context import CliContext
from fulfilstation.domain.words import plural
from fulfilstation.services.stock import LotTrace


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    stock = commands.add_parser("stock", help="stock questions: where a lot went")
    sub = stock.add_subparsers(dest="stock_command", metavar="COMMAND", required=True)
    trace = sub.add_parser("trace", parents=[common], help="every order and shipment that received a lot")
    trace.add_argument("lot", help="the lot code, as printed on the item")
    trace.add_argument("--json", action="store_true", help="one JSON object (keys in the README)")
    trace.set_defaults(handler=_trace)


def _trace(args: argparse.Namespace, context: CliContext) -> int:
    trace = context.app().stock.trace(args.lot)
    if args.json:
        print(json.dumps(trace.as_json(), indent=2, ensure_ascii=False))
    else:
        print(describe(trace))
    return 0


def describe(trace: LotTrace) -> str:
    lines = [f"Lot {trace.lot}: shipped to {plural(len(trace.orders), 'order')}"]
    for delivery in trace.deliveries:
        voided = " (voided)" if delivery.shipment_status == "voided" else ""
        lines.append(f"  {delivery.shipped_at:%Y-%m-%d %H:%M}  {delivery.order:<12} {delivery.quantity:>3} × "
                     f"{delivery.sku:<14} {delivery.customer}  tracking {delivery.tracking or '-'}{voided}")
    if trace.reserved:
        lines.append("Reserved for orders not shipped yet:")
        lines += [f"  {item.order:<12} {item.status:<8} {item.quantity:>3} × {item.sku:<14} bin {item.bin}"
                  for item in trace.reserved]
    if trace.in_stock:
        lines.append("In the bins:")
        lines += [f"  {item.bin:<10} {item.on_hand:>4} on hand, {item.reserved} reserved  {item.sku}"
                  f"{f'  expires {item.expiry.isoformat()}' if item.expiry else ''}" for item in trace.in_stock]
    else:
        lines.append("None left in the bins.")
    return "\n".join(lines)
