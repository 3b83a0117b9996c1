"""``fulfilstation site set-customs``: the customs terms of international shipments (an owner's).

Only the options given change: ``--contents`` (merchandise, gift, documents, sample,
return_merchandise, other), ``--incoterm`` (DDU, DAP, DDP …), ``--signer`` (the name signing
the declaration; ``none`` clears it), ``--cn22-limit AMOUNT`` with ``--currency`` (a
declared value up to it goes on a CN22, above it on a CN23). Exit 0 saved; 1 refused (nothing
stored, the message says what to fix).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.money import format_money, parse_money_minor
from fulfilstation.services.site import CONTENTS_TYPES, INCOTERMS, CustomsTerms


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    customs = sub.add_parser("set-customs", parents=[common],
                             help="customs of international shipments: contents, incoterm, signer, CN22 limit")
    customs.add_argument("--contents", choices=CONTENTS_TYPES, help="what the parcels hold (default merchandise)")
    customs.add_argument("--incoterm", type=str.upper, choices=INCOTERMS, help="who pays duties (default DDU)")
    customs.add_argument("--signer", help="who signs the declarations ('none' clears it)")
    customs.add_argument("--cn22-limit", metavar="AMOUNT", help="a declared value up to AMOUNT goes on a CN22, "
                         "above it on a CN23 (about 300 SDR)")
    customs.add_argument("--currency", metavar="CODE", help="the CN22 limit's currency, e.g. USD")
    sign_in.add_arguments(customs, "an owner")
    customs.set_defaults(handler=_set_customs)


def _set_customs(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    terms = app.site.customs()
    if args.contents:
        terms = replace(terms, contents_type=args.contents)
    if args.incoterm:
        terms = replace(terms, incoterm=args.incoterm)
    if args.signer is not None:
        terms = replace(terms, signer=None if args.signer.strip().lower() == "none" else args.signer)
    if args.currency:
        terms = replace(terms, cn22_currency=args.currency.strip().upper())
    if args.cn22_limit is not None:
        limit = parse_money_minor(args.cn22_limit, terms.cn22_currency)
        if limit is None or limit < 0:
            raise CommandError(f"--cn22-limit is an amount such as 400.00, not {args.cn22_limit!r}. Nothing changed.")
        terms = replace(terms, cn22_limit_minor=limit)
    stored = app.site.set_customs(sign_in.sign_in(args, context), terms)
    print("Customs saved: " + customs_text(stored))
    return 0


def customs_text(terms: CustomsTerms) -> str:
    """``merchandise, DDU, signed by Olive Owner; CN22 up to $400.00, CN23 above``."""
    signer = f"signed by {terms.signer}" if terms.signer else "no signer set"
    return (f"{terms.contents_type}, {terms.incoterm}, {signer}; CN22 up to "
            f"{format_money(terms.cn22_limit_minor, terms.cn22_currency)}, CN23 above.")
