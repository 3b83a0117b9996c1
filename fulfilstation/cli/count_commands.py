"""``fulfilstation count …``: cycle counts from a terminal or a script.

Reading: ``plan [--today] [--json]`` (today's proposal: bins holding products due for a
count, in walking order), ``list [--open] [--json]``, ``show NUMBER [--json]`` (blind: no
expected figure unless signed in as a manager with ``--user``), ``sheet NUMBER --out
FILE.pdf`` (the blind count sheet), ``accuracy [--since D] [--until D] [--json]``, ``rules``
(the ABC percentages, the schedule and the variance thresholds; given ``--a``, ``--every-a``,
``--units`` … an owner signs in and sets them).
Changing (each signs in): ``abc`` (a manager: classify every product A, B or C and show the
classes; ``--show`` only shows), ``create (--today | --bins B1,B2 | --skus S1,S2)`` (a
manager), ``record NUMBER --bin B (--scan CODE … | --sku S --quantity Q [--lot L])`` (anyone
signed in: ``--scan`` is "bin done" — every line of the bin recorded, 0 for a product not
scanned —, ``--sku`` records one line), ``complete NUMBER`` (anyone signed in: posts, or
leaves it for a manager when a variance is over the threshold), ``approve NUMBER`` and
``cancel NUMBER`` (a manager), ``recount NUMBER`` (a manager: a count waiting for approval
goes back to the counters for its lines over the threshold). Exit 0 done; 1 refused (the message says what to do), or a
completion left waiting for approval; 2 a bad argument or no way to sign in.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.counts import Completed, CountView

MAX_UNITS = 1_000_000


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    count = commands.add_parser("count", help="cycle counts: ABC classes, today's plan, blind sheets, counting, "
                                "variances")
    sub = count.add_subparsers(dest="count_command", required=True, metavar="COMMAND")
    abc = sub.add_parser("abc", parents=[common], help="classify products A, B, C by shipped value (a manager)")
    abc.add_argument("--show", action="store_true", help="only show the classes stored (no sign-in)")
    abc.add_argument("--json", action="store_true", help="a JSON object")
    sign_in.add_arguments(abc, "a manager or an owner", manager_alias=True)
    abc.set_defaults(handler=_abc)
    plan = sub.add_parser("plan", parents=[common], help="today's proposal: bins holding products due for a count")
    plan.add_argument("--today", action="store_true", help="today's proposal (the default)")
    plan.add_argument("--json", action="store_true", help="a JSON array")
    plan.set_defaults(handler=_plan)
    create = sub.add_parser("create", parents=[common], help="create a count (a manager)")
    what = create.add_mutually_exclusive_group(required=True)
    what.add_argument("--today", action="store_true", help="today's proposal")
    what.add_argument("--bins", type=_names, metavar="B1,B2", help="these bins (all they hold)")
    what.add_argument("--skus", type=_names, metavar="S1,S2", help="these products (every bin holding them)")
    sign_in.add_arguments(create, "a manager or an owner", manager_alias=True)
    create.set_defaults(handler=_create)
    sheet = sub.add_parser("sheet", parents=[common], help="write the blind count sheet as PDF")
    sheet.add_argument("number", help="the count's number (CC-n)")
    sheet.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write it")
    sheet.set_defaults(handler=_sheet)
    record = sub.add_parser("record", parents=[common], help="record what was found in a bin")
    record.add_argument("number", help="the count's number")
    record.add_argument("--bin", required=True, help="the bin counted")
    found = record.add_mutually_exclusive_group(required=True)
    found.add_argument("--scan", nargs="+", metavar="CODE", help="every item's code as scanned (bin done)")
    found.add_argument("--sku", help="one product's figure, typed (with --quantity)")
    record.add_argument("--quantity", type=whole_number(0, MAX_UNITS, "units"), help="the units found (with --sku)")
    record.add_argument("--lot", help="the lot (with --sku, when the bin holds several)")
    sign_in.add_arguments(record, "anyone signed in")
    record.set_defaults(handler=_record)
    for name, handler, text, who in (
            ("complete", _complete, "post the variances (or leave them for a manager)", "anyone signed in"),
            ("approve", _approve, "approve and post a count's variances (a manager)", "a manager or an owner"),
            ("cancel", _cancel, "cancel an open count (a manager)", "a manager or an owner"),
            ("recount", _recount, "send a count waiting for approval back: its lines over the threshold are "
             "counted again (a manager)", "a manager or an owner")):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("number", help="the count's number")
        sign_in.add_arguments(command, who, manager_alias=name != "complete")
        command.set_defaults(handler=handler)
    listing = sub.add_parser("list", parents=[common], help="counts, open ones first")
    listing.add_argument("--open", action="store_true", help="only open ones")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", parents=[common], help="one count (blind unless a manager signs in)")
    show.add_argument("number")
    show.add_argument("--json", action="store_true", help="a JSON object")
    sign_in.add_arguments(show, "a manager, to see expected figures", manager_alias=True)
    show.set_defaults(handler=_show)
    rules = sub.add_parser("rules", parents=[common], help="show or set the ABC, schedule and variance rules (an "
                           "owner sets them)")
    for flag, name, text in (("--a", "a_percent", "class A: top N %% of shipped value"),
                             ("--b", "b_percent", "class B: the next N %%"),
                             ("--days", "window_days", "days of shipments the classes look at"),
                             ("--every-a", "every_a_days", "days between counts of class A"),
                             ("--every-b", "every_b_days", "days between counts of class B"),
                             ("--every-c", "every_c_days", "days between counts of class C"),
                             ("--units", "variance_units", "a variance over N units needs a manager"),
                             ("--value-minor", "variance_value_minor",
                              "a variance worth over N minor units (cents) needs a manager")):
        rules.add_argument(flag, dest=name, type=whole_number(0, 1_000_000, flag.lstrip("-")), metavar="N",
                           help=text)
    rules.add_argument("--json", action="store_true", help="a JSON object")
    sign_in.add_arguments(rules, "an owner, to change them")
    rules.set_defaults(handler=_rules)
    accuracy = sub.add_parser("accuracy", parents=[common], help="inventory accuracy of completed counts")
    accuracy.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                          help="from this day (default: 30 days before --until)")
    accuracy.add_argument("--until", type=_date, metavar="YYYY-MM-DD",
                          help="up to and including this day (default: today, UTC)")
    accuracy.add_argument("--json", action="store_true", help="a JSON object")
    accuracy.set_defaults(handler=_accuracy)


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one, separated by commas")
    return names


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def _abc(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    classes = app.counts.abc_classes() if args.show else app.counts.classify(sign_in.sign_in(args, context))
    if args.json:
        print(json.dumps(classes.as_json(), indent=2))
        return 0
    if not args.show:
        print(f"Classified by shipped value over {classes.window_days} days; "
              f"{plural(classes.changed, 'product')} changed class.")
    for share in classes.shares:
        print(f"{share.abc_class}  {plural(share.products, 'product'):>14}  {share.shipped_value_minor / 100:>12.2f}  "
              f"{share.share_percent:5.1f} %")
    return 0


def _plan(args: argparse.Namespace, context: CliContext) -> int:
    lines = context.app().counts.proposal()
    if args.json:
        print(json.dumps([{"bin": p.bin, "sku": p.sku, "name": p.name, "lot": p.lot, "class": p.abc_class,
                           "last_counted": p.last_counted.isoformat() if p.last_counted else None} for p in lines],
                         indent=2))
        return 0
    if not lines:
        print("Nothing is due for a count today.")
        return 0
    for line in lines:
        lot = f" lot {line.lot}" if line.lot else ""
        last = f"last counted {line.last_counted:%Y-%m-%d}" if line.last_counted else "never counted"
        print(f"{line.bin:<10} {line.sku}{lot}  ({line.abc_class}, {last})")
    print(f"{plural(len(lines), 'line')} in {plural(len({line.bin for line in lines}), 'bin')} due.")
    return 0


def _create(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    created = context.app().counts.create(actor, today=args.today, bins=args.bins or (), skus=args.skus or ())
    print(f"Created count {created.number}: {plural(created.lines, 'line')} in {plural(created.bins, 'bin')}.")
    if created.skipped:
        print(f"Nothing to count in: {', '.join(created.skipped)}.")
    return 0


def _sheet(args: argparse.Namespace, context: CliContext) -> int:
    pdf = context.app().counts.sheet_pdf(args.number)
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"Cannot write {args.out}: {exc.strerror or exc}", code=1) from exc
    print(f"Wrote the count sheet of {args.number.strip()} to {args.out}")
    return 0


def _record(args: argparse.Namespace, context: CliContext) -> int:
    if args.sku is not None and args.quantity is None:
        raise CommandError("Give the units found with --quantity (with --sku).")
    if args.scan is not None and (args.quantity is not None or args.lot is not None):
        raise CommandError("--quantity and --lot go with --sku, not with --scan.")
    actor = sign_in.sign_in(args, context)
    counts = context.app().counts
    done = (counts.count_bin(actor, args.number, args.bin, args.scan) if args.scan is not None
            else counts.count_line(actor, args.number, args.bin, args.sku, args.quantity, args.lot))
    for line in done.lines:
        lot = f" lot {line.lot}" if line.lot else ""
        added = " (not expected here: added)" if line.added else ""
        print(f"{done.bin}: {line.sku}{lot} counted {line.counted}{added}")
    return 0


def _said(done: Completed) -> int:
    if done.needs_approval and done.blind:
        print(done.reasons[0])  # a counter: how many lines wait, never a figure
        return 1
    if done.needs_approval:
        print(f"Count {done.number} needs a manager's approval:")
        for reason in done.reasons:
            print(f"  {reason}")
        return 1
    changed = [line for line in done.lines if line.variance]
    print(f"Count {done.number} completed: {done.lines_exact} of {plural(done.lines_counted, 'line')} exact, "
          f"{plural(done.units_variance, 'unit')} of variance ({done.value_variance_minor / 100:.2f}).")
    for line in changed:
        print(f"  {line.bin} {line.sku}{f' lot {line.lot}' if line.lot else ''}: counted {line.counted}, system "
              f"{line.system}, posted {line.variance:+d}")
    return 0


def _complete(args: argparse.Namespace, context: CliContext) -> int:
    return _said(context.app().counts.complete(sign_in.sign_in(args, context), args.number))


def _approve(args: argparse.Namespace, context: CliContext) -> int:
    return _said(context.app().counts.approve(sign_in.sign_in(args, context), args.number))


def _cancel(args: argparse.Namespace, context: CliContext) -> int:
    number = context.app().counts.cancel(sign_in.sign_in(args, context), args.number)
    print(f"Count {number} cancelled: nothing posted.")
    return 0


def _recount(args: argparse.Namespace, context: CliContext) -> int:
    bins = context.app().counts.recount(sign_in.sign_in(args, context), args.number)
    print(f"Count {args.number.strip()} sent back for a recount: count {', '.join(bins) or 'its bins'} again, "
          "then complete it.")
    return 0


def _list(args: argparse.Namespace, context: CliContext) -> int:
    counts = context.app().counts.list(args.open)
    if args.json:
        print(json.dumps([{"number": c.number, "status": c.status, "description": c.description, "bins": c.bins,
                           "lines": c.lines, "lines_counted": c.lines_counted, "needs_approval": c.needs_approval,
                           "created_at": c.created_at.isoformat()} for c in counts], indent=2))
        return 0
    for c in counts:
        waiting = ", needs approval" if c.needs_approval else ""
        print(f"{c.number:<8} {c.status:<10} {c.lines_counted}/{c.lines} lines, {plural(c.bins, 'bin')}{waiting}  "
              f"{c.description}")
    if not counts:
        print("No cycle counts.")
    return 0


def _show(args: argparse.Namespace, context: CliContext) -> int:
    viewer = sign_in.sign_in(args, context) if args.user or args.badge else None
    view: CountView = context.app().counts.show(args.number, viewer)
    if args.json:
        print(json.dumps(view.as_json(), indent=2))
        return 0
    print(f"Count {view.number} ({view.status}) {view.description}{' — blind' if view.blind else ''}")
    for line in view.lines:
        lot = f" lot {line.lot}" if line.lot else ""
        counted = "not counted" if line.counted is None else f"counted {line.counted}"
        figures = "" if view.blind else f", expected {line.expected}" + (
            f", system {line.system}, variance {line.variance:+d}" if line.variance is not None else "")
        print(f"  {line.bin:<10} {line.sku}{lot}: {counted}{figures}")
    return 0


RULE_FIELDS = ("a_percent", "b_percent", "window_days", "every_a_days", "every_b_days", "every_c_days",
               "variance_units", "variance_value_minor")


def _rules(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    rules = app.counts.rules()
    changes = {name: getattr(args, name) for name in RULE_FIELDS if getattr(args, name) is not None}
    if changes:
        rules = app.counts.set_rules(sign_in.sign_in(args, context), dataclasses.replace(rules, **changes))
    if args.json:
        print(json.dumps(dataclasses.asdict(rules), indent=2))
        return 0
    print(f"ABC: A = top {rules.a_percent} %, B = next {rules.b_percent} % of shipped value over "
          f"{rules.window_days} days; C = the rest.")
    print(f"Counted every {rules.every_a_days} (A), {rules.every_b_days} (B), {rules.every_c_days} (C) days.")
    print(f"A manager approves a variance over {plural(rules.variance_units, 'unit')} or worth over "
          f"{rules.variance_value_minor / 100:.2f}.")
    return 0


def _accuracy(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().counts.accuracy(args.since, args.until)
    since, until = found.since, found.until
    if args.json:
        print(json.dumps(found.as_json(), indent=2))
        return 0
    percent = "no lines counted" if found.percent is None else f"{found.percent:.1f} % of lines exact"
    print(f"{since} to {until}: {plural(found.counts, 'count')}, {plural(found.lines_counted, 'line')} counted, "
          f"{percent}; {plural(found.units_variance, 'unit')} of variance ({found.value_variance_minor / 100:.2f}).")
    return 0
