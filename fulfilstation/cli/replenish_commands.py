"""``fulfilstation replenish …``: the reorder report and purchase orders made from it.

Read: ``report [--csv FILE] [--json] [--review-days N]`` (products at or below reorder
point + safety stock, or running out within their lead time, with the forecast and the
suggested quantity; ``--csv`` writes the CSV file, ``services/replenishment/export.py``).
Change (signing in; a manager or an owner): ``order [--sku S …]`` makes one purchase order
per supplier from the report's rows (default: every row with a suggested quantity) and
prints their numbers. Exit 0 done; 1 refused (the message says why and what to do); 2 no
way to sign in or a bad argument.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.replenishment import REVIEW_DAYS, ReorderReport


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    replenish = commands.add_parser("replenish", help="the reorder report (with a demand forecast) and purchase "
                                    "orders made from it")
    sub = replenish.add_subparsers(dest="replenish_command", metavar="COMMAND", required=True)
    report = sub.add_parser("report", parents=[common], help="products to reorder, with suggested quantities")
    report.add_argument("--csv", type=Path, metavar="FILE.csv", help="also write the report to this CSV file")
    report.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    report.add_argument("--review-days", type=whole_number(0, 365, "days"), default=REVIEW_DAYS,
                        help=f"days until the report is looked at again (default {REVIEW_DAYS})")
    report.set_defaults(handler=_report)
    order = sub.add_parser("order", parents=[common], help="one purchase order per supplier from the report "
                           "(managers)")
    order.add_argument("--sku", action="append", metavar="SKU", help="only this product (repeat for more; default: "
                       "every product with a suggested quantity)")
    sign_in.add_arguments(order, "a manager or an owner", manager_alias=True)
    order.set_defaults(handler=_order)


def _report(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    report = app.replenishment.report(review_days=args.review_days)
    if args.csv is not None:
        app.replenishment.export(args.csv, report)
    if args.json:
        print(json.dumps([row.as_json() for row in report.rows], indent=2, ensure_ascii=False))
    else:
        print(describe(report))
    if args.csv is not None and not args.json:
        print(f"Wrote {plural(len(report.rows), 'row')} to {args.csv}.")
    return 0


def describe(report: ReorderReport) -> str:
    if not report.rows:
        return "Nothing to reorder: every product is above its reorder point + safety stock."
    lines = [f"{'SKU':<16} {'supplier':<20} {'avail':>6} {'on ord':>6} {'ROP':>5} {'safety':>6} {'fc/day':>7} "
             f"{'suggest':>7}  method"]
    for row in report.rows:
        lines.append(f"{row.sku:<16} {(row.supplier or '-')[:20]:<20} {row.available:>6} {row.on_order:>6} "
                     f"{row.reorder_point:>5} {row.safety_stock:>6} {row.forecast_per_day:>7.2f} "
                     f"{row.suggested:>7}  {row.method}")
    ordered = sum(1 for row in report.rows if row.suggested > 0)
    lines.append(f"{plural(len(report.rows), 'product')} to look at, {ordered} with a suggested quantity "
                 f"(lead time + {report.review_days} days of forecast demand, shipped history of "
                 f"{report.history_days} days). Order them with 'fulfilstation replenish order'.")
    return "\n".join(lines)


def _order(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    made = context.app().replenishment.create_purchase_orders(actor, args.sku)
    for order in made.orders:
        print(f"{order.number}  {order.supplier}: {plural(order.lines, 'line')}, {plural(order.units, 'unit')}")
    if made.skipped:
        print(f"Nothing to order for {', '.join(made.skipped)}: not on the reorder report, or nothing suggested "
              "(enough available and on order).")
    print(f"Made {plural(len(made.orders), 'purchase order')}; receive them on the Receiving screen or with "
          "'fulfilstation receive'.")
    return 0
