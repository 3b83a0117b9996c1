"""``fulfilstation orders recheck ORDER``: run the intake checks again on a stored order
(after its product was added, its address fixed or the review rules changed), through
``app.orders.recheck`` (``IMPORT_ORDERS``: a manager or an owner).

Signs in first like every changing command. Prints what was found and done: the problems
(warnings marked), the lines that are now in the catalogue, whether the intake hold was
released, and the reservation. ``--json`` prints the outcome as a JSON object. Exit status:
0 done (an order still on hold included); 1 refused (unknown order, one being packed,
shipped or cancelled, a packer); 2 usage or no way to sign in.
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("recheck", parents=[common], help="run the intake checks again on an order (unknown "
                            "SKUs now in the catalogue, address, payment, review rules); an intake hold whose "
                            "problems are gone is released")
    parser.add_argument("order", help="the order number")
    parser.add_argument("--json", action="store_true", help="a JSON object (keys in the README)")
    sign_in.add_arguments(parser, "a manager or an owner", manager_alias=True)
    parser.set_defaults(handler=_recheck)


def _recheck(args: argparse.Namespace, context: CliContext) -> int:
    outcome = context.app().orders.recheck(sign_in.sign_in(args, context), args.order)
    if args.json:
        print(json.dumps(outcome.as_json(), indent=2, ensure_ascii=False))
        return 0
    for problem in outcome.problems:
        print(f"  {'Problem' if problem.holds else 'Warning'}: {problem.message}")
    print(outcome.message)
    return 0
