"""``fulfilstation import orders FILE [--channel NAME] [--mapping NAME] [--format shopify|generic]
[--dry-run]``.

Signs in (a manager or an owner: ``IMPORT_ORDERS``), imports through
``app.order_files.import_orders`` (the one intake door) and prints each problem (``line N
(#1001): reason``; a rejected order names all its lines), then exactly one last line
``imported N, updated N, rejected N``. Exit 0 when every order went in, 1 when some were
rejected (the others still went in) or the file cannot be read (one ``error: …`` line: a
missing file, not CSV, an unknown mapping — never a traceback).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.import_file import read_import_file
from fulfilstation.cli.import_report import exit_code, print_report
from fulfilstation.services.order_files import OrderFileFormat


def register_orders(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                    common: argparse.ArgumentParser) -> None:
    orders = sub.add_parser("orders", parents=[common], help="orders from Shopify's order export, a generic order "
                            "CSV or any CSV through a saved column mapping (docs/import-formats.md); the channel and "
                            "the shop's order id are the key, so re-importing creates no duplicates")
    orders.add_argument("file", type=Path, help="the CSV file (UTF-8 or Excel's encodings; , ; or tab)")
    orders.add_argument("--channel", help="the sales channel the orders come from (default: shopify-csv for "
                        "Shopify's export, csv otherwise)")
    orders.add_argument("--mapping", help="read the file through this saved column mapping (made in the window)")
    orders.add_argument("--format", dest="file_format", choices=[f.value for f in OrderFileFormat],
                        help="the file's format (default: told from its header)")
    orders.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    sign_in.add_arguments(orders, "a manager or an owner")
    orders.set_defaults(handler=import_orders_command)


def import_orders_command(args: argparse.Namespace, context: CliContext) -> int:
    data = read_import_file(args.file)
    actor = sign_in.sign_in(args, context)
    report = context.app().order_files.import_orders(actor, data, channel=args.channel, mapping=args.mapping,
                                                     file_format=args.file_format, dry_run=args.dry_run,
                                                     file_name=args.file.name)
    print_report(report)
    return exit_code(report)
