"""``fulfilstation receive …``: receiving goods and purchase orders from a terminal or a script.

Reading: ``list [--open] [--json]``, ``show NUMBER [--json]`` (expected against received per
line). Receiving (a packer may; signs in): ``start --po NUMBER | --supplier NAME [--bin
CODE]``, ``scan NUMBER CODE [CODE…] [--bin CODE]`` (each code in turn, as a scanner would
send them: a prompt for a lot, expiry or serial is answered by the next code; every outcome
is printed), ``undo NUMBER``, ``close NUMBER`` (prints each over- and under-received line),
``cancel NUMBER``. Purchase orders (a manager; signs in): ``po-create --supplier S --line
SKU:QTY[:BIN] … [--bin B] [--number N]``, ``po-lines NUMBER --line …``, ``po-cancel NUMBER``.
Exit 0 done; 1 refused (a scan refused or left waiting, a receipt closed elsewhere …).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.words import plural
from fulfilstation.services.receiving import (
    ClosedReceipt,
    ExpectedLine,
    NewPurchaseOrder,
    ReceiptView,
    ReceivingCursor,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    receive = commands.add_parser("receive", help="receive goods (against a purchase order or ad hoc) and manage "
                                  "purchase orders")
    sub = receive.add_subparsers(dest="receive_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="receipts and purchase orders, open ones first")
    listing.add_argument("--open", action="store_true", help="only open ones")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    listing.set_defaults(handler=list_command)
    show = sub.add_parser("show", parents=[common], help="one receipt: expected against received per line")
    show.add_argument("number", help="the receipt or purchase order number")
    show.add_argument("--json", action="store_true", help="a JSON object")
    show.set_defaults(handler=show_command)
    start = sub.add_parser("start", parents=[common], help="start receiving against a PO, or ad hoc")
    who = start.add_mutually_exclusive_group(required=True)
    who.add_argument("--po", metavar="NUMBER", help="the open purchase order the goods came for")
    who.add_argument("--supplier", metavar="NAME", help="ad hoc: who sent the goods (numbered RCV-n)")
    start.add_argument("--bin", metavar="CODE", help="where the goods go unless a bin is scanned")
    sign_in.add_arguments(start)
    start.set_defaults(handler=start_command)
    scan = sub.add_parser("scan", parents=[common], help="scan codes into an open receipt (bins, items, lots, "
                          "expiry dates, serials)")
    scan.add_argument("number", help="the receipt number")
    scan.add_argument("codes", nargs="+", metavar="CODE", help="each code, in the order scanned")
    scan.add_argument("--bin", metavar="CODE", help="the bin the items go to (as if its label were scanned first)")
    sign_in.add_arguments(scan)
    scan.set_defaults(handler=scan_command)
    for name, handler, text in (("undo", undo_command, "take back the last scan made at this station"),
                                ("close", close_command, "post the receipt's stock (shows over and under)"),
                                ("cancel", cancel_command, "cancel an ad hoc receipt, or drop a PO's scans")):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("number", help="the receipt number")
        if name == "cancel":
            command.add_argument("--reason", help="why (kept in the audit log)")
        sign_in.add_arguments(command)
        command.set_defaults(handler=handler)
    create = sub.add_parser("po-create", parents=[common], help="add a purchase order (a manager)")
    create.add_argument("--supplier", required=True, metavar="NAME")
    create.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:BIN]", type=_line,
                        help="an expected line (repeat for each SKU)")
    create.add_argument("--bin", metavar="CODE", help="where its goods go unless a bin is scanned")
    create.add_argument("--number", metavar="N", help="the PO number (default: the next PO-n)")
    create.add_argument("--reference", metavar="TEXT", help="the supplier's reference")
    create.add_argument("--expected-date", metavar="YYYY-MM-DD", type=_date, help="when the goods are due")
    sign_in.add_arguments(create, "a manager")
    create.set_defaults(handler=po_create_command)
    lines = sub.add_parser("po-lines", parents=[common], help="replace an open PO's expected lines (a manager)")
    lines.add_argument("number")
    lines.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:BIN]", type=_line)
    sign_in.add_arguments(lines, "a manager")
    lines.set_defaults(handler=po_lines_command)
    cancel = sub.add_parser("po-cancel", parents=[common], help="cancel an open purchase order (a manager)")
    cancel.add_argument("number")
    cancel.add_argument("--reason", help="why (kept in the audit log)")
    sign_in.add_arguments(cancel, "a manager")
    cancel.set_defaults(handler=po_cancel_command)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    receipts = context.app().receiving.list(args.open)
    if args.json:
        print(json.dumps([summary.as_json() for summary in receipts], indent=2, ensure_ascii=False))
        return 0
    if not receipts:
        print("No receipt or purchase order yet." if not args.open else "No open receipt.")
    for summary in receipts:
        kind = "PO" if summary.purchase_order else "ad hoc"
        print(f"{summary.number:<14} {summary.status:<9} {kind:<6} {summary.expected_date or '-'!s:<10} "
              f"{summary.received:>5} of {summary.expected:<5} {summary.supplier}")
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    view = context.app().receiving.show(args.number)
    if args.json:
        print(json.dumps(view.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(describe(view))
    return 0


def start_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    view = context.app().receiving.start(actor, po=args.po, supplier=args.supplier, bin=args.bin)
    print(f"Receiving {view.number} from {view.summary.supplier}"
          f"{f' into {view.summary.bin}' if view.summary.bin else ''}.")
    print(describe(view))
    return 0


def scan_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    receiving = context.app().receiving
    cursor = ReceivingCursor(args.number.strip())
    refused = 0
    for code in ([args.bin] if args.bin else []) + list(args.codes):
        outcome = receiving.scan(actor, cursor.number, code, cursor)
        cursor = outcome.cursor
        if outcome.accepted:
            print(outcome.message)
        elif outcome.pending and outcome.code is None:
            print(f"{outcome.prompt}:", end=" " if sys.stdout.isatty() else "\n")
        else:
            refused += 1
            print(f"refused: {outcome.message}", file=sys.stderr)
    if cursor.pending is not None:
        raise CommandError(f"The scans ended while {cursor.pending.name} was waiting for its {cursor.pending.kind}: "
                           "nothing was recorded for that item. Scan it again with what it needs.", code=1)
    if refused:
        raise CommandError(f"{plural(refused, 'scan')} refused (see above); the others were recorded.", code=1)
    return 0


def undo_command(args: argparse.Namespace, context: CliContext) -> int:
    undone = context.app().receiving.undo(sign_in.sign_in(args, context), args.number)
    serial = f", serial {undone.serial}" if undone.serial else ""
    lot = f", lot {undone.lot}" if undone.lot else ""
    print(f"Undone: {plural(undone.quantity, 'unit')} of {undone.sku} into {undone.bin}{lot}{serial}.")
    return 0


def close_command(args: argparse.Namespace, context: CliContext) -> int:
    closed = context.app().receiving.close(sign_in.sign_in(args, context), args.number)
    print(describe_closed(closed))
    return 0


def cancel_command(args: argparse.Namespace, context: CliContext) -> int:
    cancelled = context.app().receiving.cancel(sign_in.sign_in(args, context), args.number, args.reason)
    dropped = plural(cancelled.dropped, "scan")
    if cancelled.cancelled:
        print(f"Receipt {cancelled.number} cancelled ({dropped} dropped).")
    else:
        print(f"Dropped {dropped} of purchase order {cancelled.number}; it stays open (a manager cancels a "
              "purchase order with 'receive po-cancel').")
    return 0


def po_create_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    number = context.app().receiving.create_po(actor, NewPurchaseOrder(
        args.supplier, tuple(args.line), number=args.number, reference=args.reference,
        expected_date=args.expected_date, bin=args.bin))
    print(f"Purchase order {number} created ({plural(len(args.line), 'line')}).")
    return 0


def po_lines_command(args: argparse.Namespace, context: CliContext) -> int:
    number = context.app().receiving.set_po_lines(sign_in.sign_in(args, context), args.number, args.line)
    print(f"Purchase order {number} now expects {plural(len(args.line), 'line')}.")
    return 0


def po_cancel_command(args: argparse.Namespace, context: CliContext) -> int:
    dropped = context.app().receiving.cancel_po(sign_in.sign_in(args, context), args.number, args.reason)
    print(f"Purchase order {args.number.strip()} cancelled ({plural(dropped, 'scan')} dropped).")
    return 0


def describe(view: ReceiptView) -> str:
    summary = view.summary
    kind = "purchase order" if summary.purchase_order else "ad hoc receipt"
    lines = [f"{summary.number} ({kind}, {summary.status}) from {summary.supplier}"
             + (f", ref {summary.reference}" if summary.reference else "")
             + (f", expected {summary.expected_date}" if summary.expected_date else "")]
    if not view.lines:
        lines.append("  nothing expected or scanned yet")
    for line in view.lines:
        lines.append(f"  {line.sku:<16} {line.received:>5} of {line.expected:<5} {_difference(line.difference)}"
                     f"{'  NOT ON THE PO' if line.unexpected else ''}  {line.name}")
    return "\n".join(lines)


def describe_closed(closed: ClosedReceipt) -> str:
    lines = [f"Receipt {closed.number} closed: {plural(closed.units, 'unit')} into stock "
             f"({plural(closed.moves, 'stock move')}, {plural(closed.serials, 'serial')})."]
    for line in closed.lines:
        lines.append(f"  {line.sku:<16} expected {line.expected:>5}, received {line.received:>5}  "
                     f"{_difference(line.difference) if closed.purchase_order else ''}")
    for line in closed.over:
        lines.append(f"over: {line.sku} +{line.difference} ({line.received} received, {line.expected} expected)")
    for line in closed.under:
        lines.append(f"under: {line.sku} {line.difference} ({line.received} received, {line.expected} expected)")
    return "\n".join(lines)


def _difference(difference: int) -> str:
    return "ok" if difference == 0 else (f"+{difference} over" if difference > 0 else f"{difference} under")


def _line(text: str) -> ExpectedLine:
    parts = text.split(":")
    quantity = parts[1].strip() if len(parts) > 1 else ""
    if len(parts) not in (2, 3) or not parts[0].strip() or not (quantity.isascii() and quantity.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r}: give a line as SKU:QUANTITY or SKU:QUANTITY:BIN")
    return ExpectedLine(parts[0].strip(), int(parts[1]), parts[2].strip() or None if len(parts) == 3 else None)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None
