"""``fulfilstation import bins FILE [--dry-run]``: bins from a CSV file (an owner's import).

The columns and rules are ``services/bins/importing``'s (documented in
docs/import-formats.md). The report prints each problem by line, then exactly one last line
``imported N, updated N, rejected N``; exit 0 when every row went in, 1 when some were
rejected (the rest went in) or the file was refused whole, 2 for a usage error.

``register_bins(sub, common)`` adds the ``bins`` command to the ``import`` group
(``cli/import_commands.SUBCOMMANDS``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.import_report import exit_code, print_report


def register_bins(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    bins = sub.add_parser("bins", parents=[common], help="bins from a CSV file (code, zone, aisle, bay, level, "
                          "pick_sequence, kind, active); the code is the key")
    bins.add_argument("file", type=Path, metavar="FILE", help="the CSV file (UTF-8 or Excel's; , ; or tab)")
    bins.add_argument("--dry-run", action="store_true", help="check the file and report, change nothing")
    sign_in.add_arguments(bins, "an owner")
    bins.set_defaults(handler=import_bins_command)


def import_bins_command(args: argparse.Namespace, context: CliContext) -> int:
    try:
        data = Path(args.file).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{args.file}: no such file", code=1) from None
    except OSError as exc:
        raise CommandError(f"{args.file} cannot be read: {exc.strerror or exc}", code=1) from None
    app = context.app()
    actor = sign_in.sign_in(args, context)
    report = app.bins.import_bins(actor, data, args.dry_run)
    print_report(report)
    return exit_code(report)
