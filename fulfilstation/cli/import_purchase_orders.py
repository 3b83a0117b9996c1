"""``fulfilstation import purchase-orders FILE [--dry-run]``: purchase orders from a CSV file.

The format is in docs/import-formats.md ("Purchase orders"): one row per line, grouped by
``po_number``; each PO goes in whole or is rejected with its line numbers; an open PO of
the same number is updated, a received or cancelled one is never touched. The output is
every problem, then exactly one last line ``imported N, updated N, rejected N``
(``cli/import_report``). Signs in (a manager). Exit 0 all in, 1 some rows rejected or the
file unreadable.

``add_subcommand`` adds ``purchase-orders`` to the ``import`` command's sub-commands
(``cli/import_commands.SUBCOMMANDS``).
"""

from __future__ import annotations

import argparse

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.import_report import exit_code, print_report
from fulfilstation.imports import CsvUnreadable, read_csv


def add_subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = sub.add_parser("purchase-orders", parents=[common], help="purchase orders from a CSV file (one row "
                             "per line, grouped by po_number)")
    command.add_argument("file", help="the CSV file")
    command.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    sign_in.add_arguments(command, "a manager")
    command.set_defaults(handler=import_command)


def import_command(args: argparse.Namespace, context: CliContext) -> int:
    try:
        table = read_csv(args.file)
    except CsvUnreadable as exc:
        raise CommandError(f"{exc}. Nothing was imported.", code=1) from None
    actor = sign_in.sign_in(args, context)
    report = context.app().receiving.import_purchase_orders(actor, table, args.dry_run)
    print_report(report)
    return exit_code(report)
