"""``fulfilstation orders reserve [ORDER…] [--all]``: reserve stock for pending orders (a
manager's or owner's), through ``app.orders.reserve_stock``.

Signs in first like every changing command (``--user``/``--manager`` with ``--pin``,
``$FULFIL_PIN``, a prompt on a terminal, or ``--badge``). Prints one line per order —
``ready`` (its units reserved), ``short`` (nothing reserved, still pending: which SKUs are
short by how many) or ``skipped`` (not pending) — then a count. ``--json`` prints the
outcomes as a JSON array instead. Exit status: 0 done (short orders included: they are an
outcome, not a failure); 1 refused (an unknown order, a packer: nothing reserved); 2 usage
or no way to sign in.
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.words import plural
from fulfilstation.services.orders import ReserveOutcome


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("reserve", parents=[common], help="reserve stock for pending orders (kits: their "
                            "components); a fully reserved order becomes ready, a short one stays pending")
    parser.add_argument("orders", nargs="*", metavar="ORDER", help="the order numbers")
    parser.add_argument("--all", action="store_true", help="every pending order, oldest ship-by first")
    parser.add_argument("--json", action="store_true", help="a JSON array of outcomes (keys in the README)")
    sign_in.add_arguments(parser, "a manager or an owner", manager_alias=True)
    parser.set_defaults(handler=_reserve)


def _reserve(args: argparse.Namespace, context: CliContext) -> int:
    if bool(args.orders) == bool(args.all):
        raise CommandError("name the orders to reserve, or --all for every pending order (not both); see "
                           "'fulfilstation orders reserve --help'")
    outcomes = context.app().orders.reserve_stock(sign_in.sign_in(args, context), args.orders or None)
    if args.json:
        print(json.dumps([outcome.as_json() for outcome in outcomes], indent=2, ensure_ascii=False))
        return 0
    for outcome in outcomes:
        print(f"{outcome.order:<12} {outcome.result:<8} {_words(outcome)}")
    ready = sum(outcome.result == "ready" for outcome in outcomes)
    short = sum(outcome.result == "short" for outcome in outcomes)
    if not outcomes:
        print("No order is pending: nothing to reserve.")
    else:
        print(f"{plural(ready, 'order')} ready, {short} short, {len(outcomes) - ready - short} skipped.")
    return 0


def _words(outcome: ReserveOutcome) -> str:
    kits = "".join(f" (kit {kit.sku} ×{kit.quantity}: " + ", ".join(f"{c.quantity} × {c.sku}" for c in kit.components)
                   + ")" for kit in outcome.kits)
    if outcome.result == "ready":
        return f"{plural(sum(r.quantity for r in outcome.reserved), 'unit')} reserved{kits}"
    if outcome.result == "short":
        missing = "; ".join(s.words for s in outcome.short) or "stock kept changing: run it again"
        return f"nothing reserved, still pending: {missing}{kits}"
    return f"{outcome.status}, not pending"
