"""``fulfilstation demo …``: the demo warehouse."""

from __future__ import annotations

import argparse

from fulfilstation.cli.context import CliContext
from fulfilstation.db import migrate
from fulfilstation.demo.catalogue import DEMO_USERS
from fulfilstation.demo.seed import seed_demo
from fulfilstation.domain.words import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser("demo", help="demo data")
    sub = demo.add_subparsers(dest="demo_command", required=True, metavar="COMMAND")
    sub.add_parser("seed", parents=[common], help="fill an empty database with the demo warehouse "
                   "(45 products with a kit, 100 bins, 50 open orders, users with demo PINs)"
                   ).set_defaults(handler=seed)


def seed(args: argparse.Namespace, context: CliContext) -> int:
    database = context.database(create=True)
    migrate.upgrade(database.engine)
    summary = seed_demo(database)
    if not summary.seeded:
        print(summary.message)
        return 0
    print(f"{summary.message} {plural(summary.products, 'product')}, {plural(summary.bins, 'bin')}, "
          f"{plural(summary.orders, 'open order')}, {plural(summary.users, 'user')} in {database.display_url}.")
    print("Demo log-ins (PIN / badge): "
          + ", ".join(f"{user.username} {user.pin} / {user.badge}" for user in DEMO_USERS) + ".")
    return 0
