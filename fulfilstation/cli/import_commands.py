"""``fulfilstation import …``: loading files into the catalogue and the warehouse.

Each kind of file is a sub-command in its own module (``import_products``,
``import_purchase_orders``, ``import_bins``); this module only registers them. Every
import prints its problems then exactly one last line ``imported N, updated N, rejected
N`` (``cli/import_report``).
"""

from __future__ import annotations

import argparse

from fulfilstation.cli import import_bins, import_products, import_purchase_orders
from fulfilstation.cli.import_orders import register_orders

SUBCOMMANDS = [
    import_products.register,
    import_purchase_orders.add_subcommand,
    import_bins.register_bins,
    register_orders,
]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("import", help="import products (and other files) from CSV")
    sub = group.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    for add in SUBCOMMANDS:
        add(sub, common)
