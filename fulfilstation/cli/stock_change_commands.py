"""``fulfilstation stock move|adjust``: changing stock from a terminal.

``move --sku S --from BIN --to BIN --quantity N [--lot L]`` (anyone signed in) moves free
units between bins; ``adjust --sku S --bin BIN [--lot L] (--set N | --by ±N) --reason TEXT
[--expiry YYYY-MM-DD] [--write-off]`` (a manager or an owner) corrects a figure. Each signs
in first (``--user`` with ``--pin``, ``$FULFIL_PIN``, a job secret or a prompt; or
``--badge``) and calls one use case of ``app.stock``, which checks the role. Exit status:
0 done; 1 refused (the message says why and what to do); 2 no way to sign in or a bad
argument. Nothing changes when the exit status is not 0.
"""

from __future__ import annotations

import argparse
import datetime as dt

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural

MAX_UNITS = 1_000_000_000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    move = sub.add_parser("move", parents=[common], help="move free units of a product from one bin to another")
    move.add_argument("--sku", required=True, help="the product's SKU")
    move.add_argument("--from", dest="from_bin", required=True, metavar="BIN", help="the bin they are in")
    move.add_argument("--to", dest="to_bin", required=True, metavar="BIN", help="the bin they go to")
    move.add_argument("--quantity", required=True, type=whole_number(1, MAX_UNITS, "units"), help="how many units")
    move.add_argument("--lot", help="the lot (needed when the bin holds several lots of the product)")
    sign_in.add_arguments(move, "anyone signed in")
    move.set_defaults(handler=_move)
    adjust = sub.add_parser("adjust", parents=[common], help="correct a stock figure, with a reason (managers)")
    adjust.add_argument("--sku", required=True, help="the product's SKU")
    adjust.add_argument("--bin", required=True, help="the bin")
    adjust.add_argument("--lot", help="the lot (needed when the bin holds several, or for a new lot)")
    figure = adjust.add_mutually_exclusive_group(required=True)
    figure.add_argument("--set", dest="set_to", type=whole_number(0, MAX_UNITS, "units"), metavar="N",
                        help="the counted figure: on hand becomes N")
    figure.add_argument("--by", type=whole_number(-MAX_UNITS, MAX_UNITS, "units"), metavar="±N",
                        help="the change: +N found, -N missing")
    adjust.add_argument("--reason", required=True, help="why (kept with the stock move)")
    adjust.add_argument("--expiry", type=_date, metavar="YYYY-MM-DD", help="a new lot's expiry date")
    adjust.add_argument("--write-off", action="store_true", help="record a decrease as scrap (damaged goods)")
    sign_in.add_arguments(adjust, "a manager or an owner", manager_alias=True)
    adjust.set_defaults(handler=_adjust)


def _move(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    moved = context.app().stock.move(actor, args.sku, args.from_bin, args.to_bin, args.quantity, args.lot)
    lot = f" (lot {moved.lot})" if moved.lot else ""
    print(f"Moved {plural(moved.quantity, 'unit')} of {moved.sku}{lot} from {moved.from_bin} to {moved.to_bin}; "
          f"{moved.left_in_source} left in {moved.from_bin}.")
    return 0


def _adjust(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    done = context.app().stock.adjust(actor, args.sku, args.bin, args.reason, set_to=args.set_to, by=args.by,
                                      lot=args.lot, expiry=args.expiry, write_off=args.write_off)
    lot = f" lot {done.lot}" if done.lot else ""
    kind = "written off" if done.reason == "scrap" else "adjusted"
    print(f"{done.sku}{lot} in {done.bin} {kind}: {done.before} → {done.after} on hand ({done.change:+d}), "
          f"{done.reserved} reserved. Reason: {done.note}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31") from None
