"""``fulfilstation carriers set-insurance SERVICE``: insure every shipment by a service at its
declared value (an owner's). ``--percent`` of the value (two decimals at most: basis points)
plus ``--fee`` (an amount in the service's currency); ``--off`` stops insuring. The ship
records the insured value and the insurance cost on each shipment. Exit 0 saved, 1 refused
(nothing changed), 2 a usage error.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.money import parse_money_minor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser,
             owner: argparse.ArgumentParser) -> None:
    insurance = sub.add_parser("set-insurance", parents=[common, owner],
                               help="insure every shipment by a service at its declared value")
    insurance.add_argument("service", metavar="CARRIER/SERVICE", help="e.g. ups/ground")
    insurance.add_argument("--percent", default="0", help="of the declared value, e.g. 1.25 (default 0)")
    insurance.add_argument("--fee", default="0", help="a fixed amount per shipment, e.g. 2.50 (default 0)")
    insurance.add_argument("--currency", default="USD", help="the fee's currency: the service's (default USD)")
    insurance.add_argument("--off", action="store_true", help="stop insuring shipments by this service")
    insurance.set_defaults(handler=set_insurance_command)


def set_insurance_command(args: argparse.Namespace, context: CliContext) -> int:
    try:
        rate = Decimal(args.percent.strip().rstrip("%")) * 100
    except InvalidOperation:
        rate = Decimal(-1)
    if not rate.is_finite() or rate < 0 or rate != rate.to_integral_value():
        raise CommandError(f"--percent {args.percent!r}: write a percentage like 1.25 (two decimals at most).")
    fee = parse_money_minor(args.fee, args.currency)
    if fee is None or fee < 0:
        raise CommandError(f"--fee {args.fee!r}: write an amount like 2.50.")
    info = context.app().carriers.set_insurance(sign_in.sign_in(args, context), args.service, not args.off,
                                                int(rate), fee)
    print(info.message)
    return 0
