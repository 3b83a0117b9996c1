"""``fulfilstation picklist …``: pick lists from a terminal.

``create (--orders N1,N2,… | --next N | --wave carrier|ship-by|zone [--value V] [--limit N])
[--by-zone] --out FILE.pdf`` makes a list (a wave is a manager's), prints its number and
writes its PDF (the path is checked first: a folder, or a missing one, makes nothing, exit
2; ``--value``/``--limit`` go with ``--wave`` only); ``list [--all]`` the open lists;
``show NUMBER [--json]`` a list's walk and progress; ``pdf NUMBER --out FILE.pdf`` prints it
again; ``pick NUMBER --bin B --scan CODE [--quantity Q]`` confirms a pick; ``short NUMBER
--bin B --sku S [--lot L]`` records a short pick; ``cancel NUMBER [--reason TEXT]`` (a
manager). Changing commands sign in first like every other. Exit 0 done; 1 refused (the
message says why and what to do; also a list made whose PDF could not be written); 2 a bad
argument or no way to sign in.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.picking import PickListView, Wave

MAX_ORDERS = 5_000
REFUSED = 1  # the list was made (or the PDF asked for) but the file could not be written


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    picklist = commands.add_parser("picklist", help="pick lists: create and print, show, pick, short, cancel")
    sub = picklist.add_subparsers(dest="picklist_command", metavar="COMMAND", required=True)
    create = sub.add_parser("create", parents=[common], help="make a pick list and write its PDF")
    which = create.add_mutually_exclusive_group(required=True)
    which.add_argument("--orders", help="order numbers, separated by commas")
    which.add_argument("--next", type=whole_number(1, MAX_ORDERS, "orders"), metavar="N",
                       help="the N oldest ready orders (ship-by date, then order time)")
    which.add_argument("--wave", choices=[wave.value for wave in Wave], help="a wave (managers)")
    create.add_argument("--value", help="the wave's carrier code, ship-by date (YYYY-MM-DD) or zone")
    create.add_argument("--limit", type=whole_number(1, MAX_ORDERS, "orders"), help="at most this many orders")
    create.add_argument("--by-zone", action="store_true", help="print one section per zone")
    create.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF")
    sign_in.add_arguments(create, "anyone signed in; a wave: a manager or an owner")
    create.set_defaults(handler=_create)
    listing = sub.add_parser("list", parents=[common], help="the pick lists open or being picked")
    listing.add_argument("--all", action="store_true", help="the done ones too")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", parents=[common], help="a pick list's walk and progress")
    show.add_argument("number", help="the pick list's number")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.set_defaults(handler=_show)
    pdf = sub.add_parser("pdf", parents=[common], help="write a pick list's PDF again")
    pdf.add_argument("number", help="the pick list's number")
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF")
    pdf.set_defaults(handler=_pdf)
    pick = sub.add_parser("pick", parents=[common], help="confirm a pick: the bin, then the item's barcode")
    pick.add_argument("number", help="the pick list's number")
    pick.add_argument("--bin", required=True, help="the bin picked from")
    pick.add_argument("--scan", required=True, help="the item's barcode (a case counts its pack) or SKU")
    pick.add_argument("--quantity", type=whole_number(1, 100_000, "scans"), default=1, help="how many scans")
    sign_in.add_arguments(pick, "anyone signed in")
    pick.set_defaults(handler=_pick)
    short = sub.add_parser("short", parents=[common], help="the bin has no more of an item: record a short pick")
    short.add_argument("number", help="the pick list's number")
    short.add_argument("--bin", required=True, help="the bin found short")
    short.add_argument("--sku", required=True, help="the product's SKU")
    short.add_argument("--lot", help="the lot (when the bin holds several)")
    sign_in.add_arguments(short, "anyone signed in")
    short.set_defaults(handler=_short)
    cancel = sub.add_parser("cancel", parents=[common], help="cancel a pick list: its orders can be picked again")
    cancel.add_argument("number", help="the pick list's number")
    cancel.add_argument("--reason", default="cancelled", help="why (kept in the audit log)")
    sign_in.add_arguments(cancel, "a manager or an owner", manager_alias=True)
    cancel.set_defaults(handler=_cancel)


def _create(args: argparse.Namespace, context: CliContext) -> int:
    if not args.wave and args.value is not None:
        raise CommandError("--value names a wave's carrier, date or zone: give it with --wave, or leave it out.")
    if not args.wave and args.limit is not None:
        raise CommandError(f"--limit caps a wave: with --{'orders' if args.orders else 'next'} leave it out "
                           "(--next N already says how many).")
    check_out(args.out)  # before the list is made: a bad path makes nothing
    actor = sign_in.sign_in(args, context)
    app = context.app()
    if args.wave:
        created = app.picking.create_wave(actor, Wave(args.wave), args.value, args.limit, by_zone=args.by_zone)
    else:
        numbers = [n.strip() for n in (args.orders or "").split(",") if n.strip()]
        created = app.picking.create(actor, numbers, args.next, by_zone=args.by_zone)
    try:
        _write(args.out, app.picking.pdf(created.number))
    except OSError as exc:
        raise CommandError(f"Pick list {created.number} was made but its PDF could not be written to {args.out}: "
                           f"{_reason(exc)}. Write it with `fulfilstation picklist pdf {created.number} --out FILE`.",
                           REFUSED) from None
    view = created.view
    print(f"Pick list {created.number}: {plural(len(view.totes), 'order')}, {plural(len(view.rows), 'stop')}, "
          f"{plural(view.units, 'unit')}. PDF written to {args.out}.")
    return 0


def check_out(path: Path) -> None:
    """Refuse (exit 2) an output path that cannot be written: a folder, a missing or
    read-only folder above it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"{path} is a folder: give a file name for the PDF, e.g. {path / 'picklist.pdf'}.")
    if not folder.is_dir():
        raise CommandError(f"There is no folder {folder}: make it first, or write the PDF elsewhere.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"{path} cannot be written here (no permission): write the PDF elsewhere.")


def _write(path: Path, pdf: bytes) -> None:
    path.write_bytes(pdf)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _list(args: argparse.Namespace, context: CliContext) -> int:
    lists = context.app().picking.open_lists(include_done=args.all)
    if not lists:
        print("No pick list is open.")
    for item in lists:
        print(f"  {item.number:<10} {item.status:<8} {plural(item.orders, 'order'):>10}  {item.picked}/{item.units} "
              f"picked, {item.short} short  {item.description}")
    return 0


def _show(args: argparse.Namespace, context: CliContext) -> int:
    view = context.app().picking.show(args.number)
    if args.json:
        print(json.dumps(view.as_json(), indent=2, ensure_ascii=False))
    else:
        print(describe(view))
    return 0


def describe(view: PickListView) -> str:
    lines = [f"Pick list {view.number} ({view.status}): {view.description}",
             f"  {view.picked} of {view.units} units picked, {view.short} short; "
             f"{view.rows_done} of {plural(len(view.rows), 'stop')} done"]
    lines += [f"  {tote.tote:<14} {tote.order}" for tote in view.totes]
    for row in view.rows:
        lot = f" lot {row.lot}" if row.lot else ""
        mark = "done" if row.done else f"{row.remaining} to pick"
        lines.append(f"  {row.bin:<10} {row.sku:<16}{lot} {row.quantity:>4}  ({mark})  {row.tote_words}")
    return "\n".join(lines)


def _pdf(args: argparse.Namespace, context: CliContext) -> int:
    check_out(args.out)
    pdf = context.app().picking.pdf(args.number)
    try:
        _write(args.out, pdf)
    except OSError as exc:
        raise CommandError(f"The PDF of pick list {args.number.strip()} could not be written to {args.out}: "
                           f"{_reason(exc)}. Write it elsewhere with `fulfilstation picklist pdf "
                           f"{args.number.strip()} --out FILE`.", REFUSED) from None
    print(f"Pick list {args.number.strip()} written to {args.out}.")
    return 0


def _pick(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    print(context.app().picking.pick(actor, args.number, args.bin, args.scan, args.quantity).message)
    return 0


def _short(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    print(context.app().picking.short(actor, args.number, args.bin, args.sku, args.lot).message)
    return 0


def _cancel(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    print(context.app().picking.cancel(actor, args.number, args.reason).message)
    return 0
