"""``fulfilstation import products FILE [--format shopify|generic] [--dry-run]``.

Signs in (a manager or an owner: ``EDIT_CATALOG``), imports through
``app.product_files.import_products`` and prints each problem (``line N (SKU): reason``),
then exactly one last line ``imported N, updated N, rejected N``. Exit 0 when every row
went in, 1 when some were rejected (the others still went in) or the file cannot be read
(``error: …``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.cli.import_file import read_import_file
from fulfilstation.cli.import_report import exit_code, print_report
from fulfilstation.services.product_files import ProductFileFormat


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    products = sub.add_parser("products", parents=[common], help="products from Shopify's product export or a "
                              "generic product CSV (docs/import-formats.md); the SKU is the key")
    products.add_argument("file", type=Path, help="the CSV file (UTF-8 or Excel's encodings; , ; or tab)")
    products.add_argument("--format", dest="file_format", choices=[f.value for f in ProductFileFormat],
                          help="the file's format (default: told from its header)")
    products.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    sign_in.add_arguments(products, "a manager or an owner")
    products.set_defaults(handler=import_products_command)


def import_products_command(args: argparse.Namespace, context: CliContext) -> int:
    data = read_import_file(args.file)
    actor = sign_in.sign_in(args, context)
    report = context.app().product_files.import_products(actor, data, file_format=args.file_format,
                                                         dry_run=args.dry_run, file_name=args.file.name)
    print_report(report)
    return exit_code(report)
