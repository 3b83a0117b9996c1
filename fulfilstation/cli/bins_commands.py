"""``fulfilstation bins …``: the warehouse's bins without the window.

``list`` (walking order; ``--zone``, ``--kind``, ``--inactive``/``--all``; ``--json``) and
``show CODE`` (the bin and its stock) read; ``add``, ``edit``, ``deactivate`` and
``reactivate`` are an owner's changes (sign in: ``--user`` with ``--pin``, …). ``edit``
changes only the fields given. Importing bins is ``fulfilstation import bins FILE``
(``import_bins``); their labels are ``fulfilstation labels bins``.
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.bins import KINDS, BinDetail, BinFields, BinInfo

SEQUENCE = whole_number(0, 1_000_000_000, "the pick sequence")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    bins = commands.add_parser("bins", help="list, show and lay out bins (an owner adds, edits, deactivates)")
    sub = bins.add_subparsers(dest="bins_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="bins in walking order (pick sequence), units held")
    listing.add_argument("--zone", help="only this zone's bins")
    listing.add_argument("--kind", choices=KINDS, help="only bins of this kind")
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--inactive", dest="active", action="store_const", const=False, default=True,
                       help="only inactive bins (default: active ones)")
    state.add_argument("--all", dest="active", action="store_const", const=None, help="active and inactive bins")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", parents=[common], help="one bin and the stock it holds")
    show.add_argument("code", help="the bin code (as on its label)")
    show.add_argument("--json", action="store_true", help="a JSON object")
    show.set_defaults(handler=_show)
    add = sub.add_parser("add", parents=[common], help="add a bin (owner)")
    add.add_argument("code", help="the bin code: printable ASCII, at most 32 characters (its label carries it)")
    _field_arguments(add, defaults=True)
    sign_in.add_arguments(add, "an owner")
    add.set_defaults(handler=_add)
    edit = sub.add_parser("edit", parents=[common], help="change a bin's fields (owner); only those given change")
    edit.add_argument("code", help="the bin's code now")
    edit.add_argument("--code", dest="new_code", metavar="NEW", help="a new code (print its label again)")
    _field_arguments(edit, defaults=False)
    sign_in.add_arguments(edit, "an owner")
    edit.set_defaults(handler=_edit)
    for name, words in (("deactivate", "stop using a bin (refused while it holds stock)"),
                        ("reactivate", "use an inactive bin again")):
        change = sub.add_parser(name, parents=[common], help=f"{words} (owner)")
        change.add_argument("code", help="the bin code")
        sign_in.add_arguments(change, "an owner")
        change.set_defaults(handler=_activate, active=name == "reactivate")


def _field_arguments(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    parser.add_argument("--zone", default="" if defaults else None, help="the zone (e.g. A, DOCK)")
    parser.add_argument("--aisle", help="aisle (free text)")
    parser.add_argument("--bay", help="bay (free text)")
    parser.add_argument("--level", help="level (free text)")
    parser.add_argument("--sequence", type=SEQUENCE, default=0 if defaults else None,
                        help="pick sequence: the walking order, lowest first" + (" (default 0)" if defaults else ""))
    parser.add_argument("--kind", choices=KINDS, default="pickable" if defaults else None,
                        help="what the bin is for" + (" (default pickable)" if defaults else ""))


def _list(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().bins.list(args.zone, args.kind, args.active)
    if args.json:
        print(json.dumps([b.as_json() for b in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("No bin matches.")
    for row in found:
        print(describe(row))
    return 0


def describe(row: BinInfo) -> str:
    state = "" if row.active else "  (inactive)"
    return (f"{row.code:<12} {row.zone or '-':<8} {row.kind:<10} seq {row.pick_sequence:>6}  "
            f"{plural(row.units, 'unit'):>11}  {row.place}{state}")


def _show(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().bins.show(args.code)
    if args.json:
        print(json.dumps(detail.as_json(), indent=2, ensure_ascii=False))
    else:
        print(describe_detail(detail))
    return 0


def describe_detail(detail: BinDetail) -> str:
    row = detail.bin
    lines = [f"Bin {row.code} ({row.kind}{'' if row.active else ', inactive'}), zone {row.zone or '-'}, "
             f"pick sequence {row.pick_sequence}" + (f", {row.place}" if row.place else "")]
    if not detail.stock:
        lines.append("  empty")
    for line in detail.stock:
        lot = f" lot {line.lot}" if line.lot else ""
        expiry = f" expires {line.expiry.isoformat()}" if line.expiry else ""
        lines.append(f"  {line.on_hand:>5} on hand, {line.reserved} reserved  {line.sku:<14}{lot}{expiry}  {line.name}")
    return "\n".join(lines)


def _add(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    actor = sign_in.sign_in(args, context)
    added = app.bins.add(actor, BinFields(args.code, args.zone, args.aisle, args.bay, args.level, args.sequence,
                                          args.kind))
    print(f"Added bin {describe(added)}")
    return 0


def _edit(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    actor = sign_in.sign_in(args, context)
    now = app.bins.show(args.code).bin
    fields = BinFields(args.new_code or now.code, now.zone if args.zone is None else args.zone,
                       now.aisle if args.aisle is None else args.aisle, now.bay if args.bay is None else args.bay,
                       now.level if args.level is None else args.level,
                       now.pick_sequence if args.sequence is None else args.sequence,
                       now.kind if args.kind is None else args.kind)
    edited = app.bins.edit(actor, now.code, fields)
    print(f"Saved bin {describe(edited)}")
    return 0


def _activate(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    actor = sign_in.sign_in(args, context)
    done = app.bins.reactivate(actor, args.code) if args.active else app.bins.deactivate(actor, args.code)
    print(f"Bin {done.code} is {'active' if done.active else 'inactive'} now.")
    return 0
