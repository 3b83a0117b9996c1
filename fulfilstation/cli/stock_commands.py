"""``fulfilstation stock …``: stock for people at a terminal, scripts and support.

Read: ``list [TEXT] [--bin B] [--zone Z] [--lot L] [--json]`` (levels per product × bin ×
lot), ``show SKU [--json]`` (a product's bins and lots, totals and latest moves), ``moves
[--sku S] [--bin B] [--lot L] [--limit N] [--json]`` (the ledger, newest first), ``check``
(every level against the sum of its moves, and its reserved figure against the orders'
allocations: exit 1 when any differs), ``export --out FILE.csv`` (the levels as CSV,
``services/stock/export.py``) and ``trace LOT [--json]`` (where a lot went). Change
(signing in): ``move`` and ``adjust`` (``stock_change_commands``).
Exit 0 done; 1 refused (the message says why and what to do) or ``check`` found differences.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fulfilstation.cli import stock_change_commands
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.stock import LedgerEntry, LotTrace, ProductStock, StockFilter, StockRow


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    stock = commands.add_parser("stock", help="stock levels, moves between bins, adjustments, the ledger, lots")
    sub = stock.add_subparsers(dest="stock_command", metavar="COMMAND", required=True)
    listing = sub.add_parser("list", parents=[common], help="stock levels per product, bin and lot")
    listing.add_argument("text", nargs="?", default=None, help="a SKU, name, bin, lot or scanned barcode (part of it)")
    listing.add_argument("--bin", help="only this bin")
    listing.add_argument("--zone", help="only bins of this zone")
    listing.add_argument("--lot", help="only this lot")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", parents=[common], help="one product's stock per bin and lot, totals, latest moves")
    show.add_argument("sku", help="the product's SKU")
    show.add_argument("--json", action="store_true", help="one JSON object (keys in the README)")
    show.set_defaults(handler=_show)
    moves = sub.add_parser("moves", parents=[common], help="the stock ledger, newest first")
    moves.add_argument("--sku", help="only this product's moves")
    moves.add_argument("--bin", help="only moves into or out of this bin")
    moves.add_argument("--lot", help="only moves of this lot")
    moves.add_argument("--limit", type=whole_number(1, 100_000), default=50, help="at most this many (default 50)")
    moves.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    moves.set_defaults(handler=_moves)
    check = sub.add_parser("check", parents=[common], help="compare every stock level with the sum of its moves "
                           "(exit 1 when any differs)")
    check.set_defaults(handler=_check)
    export = sub.add_parser("export", parents=[common], help="write the stock levels to a CSV file (one row per "
                            "product, bin and lot)")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.csv", help="the file to write")
    export.set_defaults(handler=_export)
    trace = sub.add_parser("trace", parents=[common], help="every order and shipment that received a lot")
    trace.add_argument("lot", help="the lot code, as printed on the item")
    trace.add_argument("--json", action="store_true", help="one JSON object (keys in the README)")
    trace.set_defaults(handler=_trace)
    stock_change_commands.register(sub, common)


def _list(args: argparse.Namespace, context: CliContext) -> int:
    rows = context.app().stock.levels(StockFilter(text=args.text, bin=args.bin, zone=args.zone, lot=args.lot))
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No stock matches.")
    for row in rows:
        print(level_line(row, with_sku=True))
    return 0


def _show(args: argparse.Namespace, context: CliContext) -> int:
    stock = context.app().stock.show(args.sku)
    if args.json:
        print(json.dumps(stock.as_json(), indent=2, ensure_ascii=False))
    else:
        print(describe_product(stock))
    return 0


def _moves(args: argparse.Namespace, context: CliContext) -> int:
    entries = context.app().stock.moves(args.sku, args.bin, args.lot, args.limit)
    if args.json:
        print(json.dumps([entry.as_json() for entry in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("No stock moves match.")
    for entry in entries:
        print(move_line(entry))
    return 0


def _agree(count: int, verb: str) -> str:
    """The verb agreeing with a count of things: "1 stock level differs", "2 stock levels differ"."""
    return verb if count != 1 else (f"{verb}es" if verb.endswith(("ch", "s")) else f"{verb}s")


def _check(args: argparse.Namespace, context: CliContext) -> int:
    check = context.app().stock.check()
    if check.consistent:
        print(f"The ledger adds up: {plural(check.levels, 'stock level')} {_agree(check.levels, 'match')} the sum of "
              f"{plural(check.moves, 'stock move')}, and every reserved figure matches the orders' allocations.")
        return 0
    if check.differences:
        print(f"{plural(len(check.differences), 'stock level')} {_agree(len(check.differences), 'differ')} from the "
              "sum of their moves:")
        for difference in check.differences:
            lot = f" lot {difference.lot}" if difference.lot else ""
            print(f"  {difference.sku:<16} {difference.bin:<10}{lot}  on hand {difference.on_hand}, the moves add up "
                  f"to {difference.from_moves} ({difference.on_hand - difference.from_moves:+d})")
        print("Count those bins and correct them with 'fulfilstation stock adjust' (the reason is kept).")
    if check.reservations:
        print(f"{plural(len(check.reservations), 'stock level')} {_agree(len(check.reservations), 'reserve')} a "
              "different number of units than the "
              "orders' allocations in them:")
        for held in check.reservations:
            lot = f" lot {held.lot}" if held.lot else ""
            print(f"  {held.sku:<16} {held.bin:<10}{lot}  reserved {held.reserved}, allocated to orders "
                  f"{held.allocated}")
        print("Tell support: reserved figures are only changed with their orders' allocations.")
    return 1


def _export(args: argparse.Namespace, context: CliContext) -> int:
    count = context.app().stock.export(args.out)
    print(f"Wrote {plural(count, 'stock level')} to {args.out}.")
    return 0


def _trace(args: argparse.Namespace, context: CliContext) -> int:
    trace = context.app().stock.trace(args.lot)
    if args.json:
        print(json.dumps(trace.as_json(), indent=2, ensure_ascii=False))
    else:
        print(describe(trace))
    return 0


def level_line(row: StockRow, *, with_sku: bool = False) -> str:
    sku = f"{row.sku:<16} " if with_sku else ""
    lot = f"  lot {row.lot}" if row.lot else ""
    expiry = f"  expires {row.expiry.isoformat()}" if row.expiry else ""
    return (f"  {sku}{row.bin:<10} {row.on_hand:>6} on hand {row.reserved:>5} reserved {row.available:>6} "
            f"available{lot}{expiry}")


def move_line(entry: LedgerEntry) -> str:
    where = f"{entry.from_bin or '-'} → {entry.to_bin or '-'}"
    lot = f" lot {entry.lot}" if entry.lot else ""
    refs = " ".join(part for part in (f"order {entry.order}" if entry.order else "",
                                      f"receipt {entry.receipt}" if entry.receipt else "") if part)
    who = ", ".join(part for part in (entry.user, entry.station) if part) or "-"
    note = f"  “{entry.note}”" if entry.note else ""
    return (f"  {entry.at.astimezone():%Y-%m-%d %H:%M}  {entry.reason:<8} {entry.quantity:>5} × {entry.sku:<16} "
            f"{where}{lot}  {who}{'  ' + refs if refs else ''}{note}")


def describe_product(stock: ProductStock) -> str:
    flags = " (lot-tracked)" if stock.lot_tracked else ""
    inactive = " — inactive" if not stock.active else ""
    lines = [f"{stock.sku} {stock.name}{flags}{inactive}",
             f"  {stock.on_hand} on hand, {stock.reserved} reserved, {stock.available} available in "
             f"{plural(len(stock.levels), 'bin')}" if stock.levels else "  No stock in any bin."]
    lines += [level_line(level) for level in stock.levels]
    if stock.recent:
        lines.append("Latest stock moves:")
        lines += [move_line(entry) for entry in stock.recent]
    return "\n".join(lines)


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
