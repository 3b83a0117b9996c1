"""``fulfilstation rma …``: returns (RMAs) from a terminal or a script.

Reading: ``list [--overdue] [--open] [--json]`` (overdue: received more than 48 h ago and not
processed, flagged ``OVERDUE``), ``show RMA_OR_TRACKING [--json]``, ``reasons [--from DATE]
[--to DATE]`` (units and RMAs per reason; default the last 30 days), ``slip RMA --out FILE``
(the RMA slip PDF), ``label RMA --out FILE`` (the stored return label, ZPL). Changing (signs
in): ``create ORDER --line SKU:QTY:REASON … [--label|--no-label] [--note TEXT]`` (a manager),
``receive RMA_OR_TRACKING --scan CODE … [--lot LOT] [--serial SN]`` (each code as a scanner
sends it; a lot-tracked item needs its lot, a serial-tracked one its serial),
``grade RMA --sku S --grade G --action A [--bin B] [--count N] [--note T]``, ``refund ORDER``
(a manager: the refund was paid), ``cancel RMA`` (a manager: nothing came back) and ``close
RMA`` (a manager: close it short, the rest is not coming). Exit 0 done; 1 refused (some scans refused: the others were
recorded); 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.enums import ReturnAction, ReturnGrade
from fulfilstation.domain.money import format_money
from fulfilstation.domain.return_reasons import REASONS
from fulfilstation.domain.words import plural
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused, RmaSummary, RmaView


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    rma = commands.add_parser("rma", help="returns: authorise (RMA), receive, grade, list, refunds")
    sub = rma.add_subparsers(dest="rma_command", required=True, metavar="COMMAND")
    create = sub.add_parser("create", parents=[common], help="authorise a return of a shipped order (a manager)")
    create.add_argument("order", help="the order number")
    create.add_argument("--line", action="append", required=True, type=_line, metavar="SKU:QTY:REASON",
                        help=f"a line to return (repeat); REASON one of {', '.join(REASONS)}")
    create.add_argument("--label", action=argparse.BooleanOptionalAction, default=True,
                        help="make a return label from the order's carrier (default: yes)")
    create.add_argument("--note", help="a note kept with the RMA")
    sign_in.add_arguments(create, "a manager")
    create.set_defaults(handler=create_command)
    receive = sub.add_parser("receive", parents=[common], help="scan returned items in on an RMA")
    receive.add_argument("rma", metavar="RMA_OR_TRACKING", help="the RMA number or its return label's tracking")
    receive.add_argument("--scan", action="append", required=True, metavar="CODE", help="an item's code (repeat)")
    receive.add_argument("--lot", help="the lot of a lot-tracked item (when its scan carries none)")
    receive.add_argument("--serial", help="the serial number of a serial-tracked item (one --scan)")
    sign_in.add_arguments(receive)
    receive.set_defaults(handler=receive_command)
    grade = sub.add_parser("grade", parents=[common], help="grade received units: restock, quarantine or dispose")
    grade.add_argument("rma", metavar="RMA")
    grade.add_argument("--sku", required=True, help="the product's SKU (or barcode)")
    grade.add_argument("--grade", required=True, choices=[g.value for g in ReturnGrade])
    grade.add_argument("--action", required=True, choices=[a.value for a in ReturnAction])
    grade.add_argument("--bin", help="restock: the sellable bin; quarantine: a quarantine or damaged bin")
    grade.add_argument("--count", type=_count, default=1, metavar="N", help="grade N units alike (default 1)")
    grade.add_argument("--note", help="what was found (kept with the unit)")
    sign_in.add_arguments(grade)
    grade.set_defaults(handler=grade_command)
    listing = sub.add_parser("list", parents=[common], help="RMAs: waiting ones first, overdue flagged")
    listing.add_argument("--overdue", action="store_true", help="only those received > 48 h ago, not processed")
    listing.add_argument("--open", action="store_true", help="only open and received ones")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    listing.set_defaults(handler=list_command)
    show = sub.add_parser("show", parents=[common], help="one RMA: lines, units graded, refund")
    show.add_argument("rma", metavar="RMA_OR_TRACKING")
    show.add_argument("--json", action="store_true", help="a JSON object")
    show.set_defaults(handler=show_command)
    reasons = sub.add_parser("reasons", parents=[common], help="return reasons counted over a period")
    reasons.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD", help="first day (default: "
                         "30 days ago)")
    reasons.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="last day (default: today)")
    reasons.add_argument("--json", action="store_true", help="a JSON array")
    reasons.set_defaults(handler=reasons_command)
    for name, handler, text in (("slip", slip_command, "write the RMA slip (PDF)"),
                                ("label", label_command, "write the stored return label (ZPL)")):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("rma", metavar="RMA")
        command.add_argument("--out", type=Path, required=True, metavar="FILE")
        command.set_defaults(handler=handler)
    refund = sub.add_parser("refund", parents=[common], help="record that an order's refund was paid (a manager)")
    refund.add_argument("order", help="the order number")
    refund.add_argument("--note", help="e.g. the payment reference")
    sign_in.add_arguments(refund, "a manager")
    refund.set_defaults(handler=refund_command)
    for name, handler, text in (("cancel", cancel_command, "cancel an RMA nothing came back on (a manager)"),
                                ("close", close_command, "close a received RMA short: the rest is not coming "
                                 "(a manager)")):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("rma", metavar="RMA_OR_TRACKING")
        sign_in.add_arguments(command, "a manager")
        command.set_defaults(handler=handler)


def create_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    made = context.app().returns.create(actor, args.order, args.line, args.note, label=args.label)
    print(f"{made.number} authorised for order {made.order_number} ({plural(made.units, 'unit')}).")
    print(made.label_note)
    return 0


def receive_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    returns = context.app().returns
    refused = 0
    for code in args.scan:
        try:
            print(returns.receive(actor, args.rma, code, args.lot, args.serial).message)
        except ReturnsRefused as exc:
            if exc.code in ("unknown-rma", "not-open", "no-returns-bin"):
                raise
            refused += 1
            print(f"refused: {exc.message}", file=sys.stderr)
    if refused:
        kept = len(args.scan) - refused
        others = f"; the other {plural(kept, 'scan')} recorded" if kept else ""
        raise CommandError(f"{plural(refused, 'scan')} refused (see above){others}.", code=1)
    return 0


def grade_command(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    returns = context.app().returns
    if args.action == ReturnAction.RESTOCK.value and not (args.bin or "").strip():
        raise CommandError("Restock to which bin? Give the sellable bin with --bin (e.g. --bin A-01-1).", code=1)
    lines = returns.find(args.rma).lines
    waiting = {line.sku.upper(): 0 for line in lines}
    for line in lines:
        waiting[line.sku.upper()] += line.received - line.graded
    left = waiting.get(args.sku.strip().upper())
    if left is not None and args.count > left:
        raise CommandError(f"Only {plural(left, 'unit')} of {args.sku.strip().upper()} "
                           f"{'waits' if left == 1 else 'wait'} to be graded on {args.rma.strip().upper()}, "
                           f"not {args.count}: nothing was graded.", code=1)
    for done in range(args.count):
        try:
            print(returns.grade(actor, args.rma, args.sku, args.grade, args.action, args.bin, args.note).message)
        except ReturnsRefused as exc:
            if done == 0:
                raise
            raise CommandError(f"{exc.message} ({plural(done, 'unit')} graded before that.)", code=1) from exc
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().returns.list(overdue_only=args.overdue, include_closed=not args.open)
    if args.json:
        print(json.dumps([_summary_json(s) for s in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("No overdue return." if args.overdue else "No RMA yet.")
    for s in found:
        flag = " ".join(word for word, on in (("OVERDUE", s.overdue), ("REFUND DUE", s.refund_due)) if on)
        print(f"{s.number:<11} {s.order_number:<14} {s.status:<9} {s.units_received:>3}/{s.units_expected:<3} in "
              f"{s.units_graded:>3} graded  {s.created_at:%Y-%m-%d}  {flag}".rstrip())
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    view = context.app().returns.show(args.rma)
    if args.json:
        print(json.dumps(_view_json(view), indent=2, ensure_ascii=False))
        return 0
    print(describe(view))
    return 0


def reasons_command(args: argparse.Namespace, context: CliContext) -> int:
    end_day = args.end or dt.date.today()
    start_day = args.start or end_day - dt.timedelta(days=30)
    if start_day > end_day:
        raise CommandError("--from is after --to: give the first day first.")
    start = dt.datetime.combine(start_day, dt.time(), dt.UTC)
    end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), dt.UTC)
    counts = context.app().returns.reasons(start, end)
    if args.json:
        print(json.dumps([{"reason": c.reason, "words": c.words, "units": c.units, "rmas": c.rmas} for c in counts],
                         indent=2))
        return 0
    print(f"Return reasons {start_day} to {end_day}:")
    for c in counts:
        print(f"  {c.words:<22} {plural(c.units, 'unit'):>11}  {plural(c.rmas, 'RMA'):>9}")
    return 0


def slip_command(args: argparse.Namespace, context: CliContext) -> int:
    _write(args.out, context.app().returns.slip_pdf(args.rma), "the RMA slip")
    return 0


def label_command(args: argparse.Namespace, context: CliContext) -> int:
    label = context.app().returns.label_zpl(args.rma)
    if label is None:
        raise CommandError(f"{args.rma.strip()} has no return label: the customer sends the parcel with the RMA "
                           "slip.", code=1)
    _write(args.out, label, "the return label (ZPL)")
    return 0


def refund_command(args: argparse.Namespace, context: CliContext) -> int:
    recorded = context.app().returns.record_refund(sign_in.sign_in(args, context), args.order, args.note)
    print(f"Refund of {format_money(recorded.refund_minor, recorded.currency)} recorded for order "
          f"{recorded.order_number}.")
    return 0


def cancel_command(args: argparse.Namespace, context: CliContext) -> int:
    view = context.app().returns.cancel(sign_in.sign_in(args, context), args.rma)
    print(f"{view.number} for order {view.order_number} is cancelled.")
    return 0


def close_command(args: argparse.Namespace, context: CliContext) -> int:
    _view, words = context.app().returns.close(sign_in.sign_in(args, context), args.rma)
    print(words)
    return 0


def describe(view: RmaView) -> str:
    flag = "  OVERDUE: received more than 48 h ago, not processed" if view.overdue else ""
    out = [f"{view.number} for order {view.order_number}: {view.status}{flag}",
           f"  authorised {view.created_at:%Y-%m-%d %H:%M} by {view.created_by or '-'}"]
    if view.received_at:
        out.append(f"  received {view.received_at:%Y-%m-%d %H:%M} by {view.received_by or '-'}")
    if view.processed_at:
        out.append(f"  processed {view.processed_at:%Y-%m-%d %H:%M}; refund "
                   f"{format_money(view.refund_minor, view.currency)}{' due' if view.refund_due else ''}")
    if view.tracking_number:
        out.append(f"  return label {view.carrier_code or ''} {view.tracking_number}")
    for line in view.lines:
        out.append(f"  {line.sku:<16} {line.received:>3} of {line.expected:<3} in, {line.graded:>3} graded  "
                   f"{line.reason_words}")
    for unit in view.units:
        out.append(f"    {unit.sku}: {unit.grade}, {unit.action}{f' → {unit.bin}' if unit.bin else ''} "
                   f"({unit.graded_by}, {unit.graded_at:%Y-%m-%d %H:%M})")
    return "\n".join(out)


def _summary_json(s: RmaSummary) -> dict[str, object]:
    return {"number": s.number, "order": s.order_number, "status": s.status, "created_at": s.created_at.isoformat(),
            "received_at": s.received_at.isoformat() if s.received_at else None,
            "processed_at": s.processed_at.isoformat() if s.processed_at else None,
            "expected": s.units_expected, "received": s.units_received, "graded": s.units_graded,
            "tracking": s.tracking_number, "overdue": s.overdue, "refund_due": s.refund_due}


def _view_json(view: RmaView) -> dict[str, object]:
    return {"number": view.number, "order": view.order_number, "status": view.status, "overdue": view.overdue,
            "tracking": view.tracking_number, "refund_minor": view.refund_minor, "refund_due": view.refund_due,
            "lines": [{"sku": li.sku, "reason": li.reason, "expected": li.expected, "received": li.received,
                       "graded": li.graded} for li in view.lines],
            "units": [{"sku": u.sku, "grade": u.grade, "action": u.action, "bin": u.bin} for u in view.units]}


def _line(text: str) -> NewRmaLine:
    parts = [part.strip() for part in text.split(":")]
    if len(parts) != 3 or not parts[0] or not (parts[1].isascii() and parts[1].isdigit()) or not parts[2]:
        raise argparse.ArgumentTypeError(f"{text!r}: give a line as SKU:QUANTITY:REASON (e.g. MUG-1:2:defective)")
    return NewRmaLine(parts[0], int(parts[1]), parts[2])


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of units: give 1 to 10000")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror or exc}", code=1) from exc
    print(f"Wrote {what} to {path}")
