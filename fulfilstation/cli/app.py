"""Argument parsing and dispatch for ``fulfilstation``.

Every command takes ``--db URL`` (before or after the command name) and honours
``FULFIL_DATABASE_URL``. Commands call ``AppServices`` (``CliContext.app``) only; a use case's
refusal (``Refused``) is printed as ``error: <message>`` with exit status 1. Without a
command the GUI opens, through the ``launch_gui`` callable that ``main.py`` provides, and
``--self-test`` runs the ``self_test`` callable it provides (this package never imports Qt).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from fulfilstation import __version__
from fulfilstation.cli import (
    bins_commands,
    carriers_commands,
    count_commands,
    db_commands,
    demo_commands,
    devices_commands,
    export_commands,
    import_commands,
    integrations_commands,
    label_command,
    labels_commands,
    manifest_command,
    orders_commands,
    pack_command,
    picklist_commands,
    products_commands,
    receive_commands,
    replenish_commands,
    report_commands,
    rma_commands,
    setup_command,
    shipments_commands,
    simulate_commands,
    site_commands,
    slotting_commands,
    stock_commands,
    tracking_commands,
    users_commands,
    webhooks_command,
)
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.db.schema_guard import NewerSchema
from fulfilstation.db.url import DatabaseUrlError, masked
from fulfilstation.errors import describe_database_error
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.refused import Refused
from fulfilstation.settings import SettingsError

log = logging.getLogger(__name__)
REFUSED = 1  # exit status of a command a use case refused (the message says why and what to do)
UNEXPECTED = 70  # EX_SOFTWARE: a failure nobody put into words (a bug)
GuiLauncher = Callable[[argparse.Namespace], int]
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser], None]
COMMAND_GROUPS: list[Registrar] = [
    db_commands.register, demo_commands.register, orders_commands.register, pack_command.register,
    devices_commands.register, simulate_commands.register, manifest_command.register,
    label_command.register, carriers_commands.register, site_commands.register, users_commands.register,
    shipments_commands.register, stock_commands.register,
    import_commands.register,
    export_commands.register,
    products_commands.register,
    receive_commands.register,
    bins_commands.register,
    labels_commands.register,
    webhooks_command.register,
    integrations_commands.register,
    picklist_commands.register,
    rma_commands.register,
    count_commands.register,
    replenish_commands.register,
    slotting_commands.register,
    report_commands.register,
    tracking_commands.register,
    setup_command.register,
]


class CommandParser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (and where the help is), not the
    usage block first. Every sub-command's parser is of this class (argparse makes them
    of their parent's class). argparse quotes the value it refused, which may be a database
    URL typed in the wrong place: any password in it is masked."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {masked(message)} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (default: FULFIL_DATABASE_URL, then the station settings)")
    parser = CommandParser(prog="fulfilstation", description="FulfilStation: in-house fulfilment "
                                     "for small warehouses. Without a command, opens the station window.")
    parser.add_argument("--version", action="version", version=f"FulfilStation {__version__}")
    parser.add_argument("--db", metavar="URL", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--demo", action="store_true",
                        help="open the window with demo data (seeded into an empty database) and simulators")
    parser.add_argument("--fullscreen", action="store_true", help="open the station window full screen")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (a temporary database, its migrations, a label, a packing "
                             "slip, the window offscreen), print one line per check and exit 0 when all pass")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser)
    for register in COMMAND_GROUPS:
        register(commands, common)
    return parser


def run(argv: Sequence[str] | None = None, launch_gui: GuiLauncher | None = None,
        toolkit: DeviceToolkit | None = None, self_test: GuiLauncher | None = None) -> int:
    """Run one command; its exit status. No traceback reaches the user: bad input is one
    ``error:`` line (exit 2), a closed pipe ends quietly, Ctrl+C says "interrupted" (130)
    and anything unexpected is one line naming it (70; ``-v`` adds the traceback)."""
    for stream in (sys.stdout, sys.stderr):  # a name the terminal cannot show is escaped, not a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    arguments = list(sys.argv[1:] if argv is None else argv)
    undecodable = next((a for a in arguments if not _is_text(a)), None)
    if undecodable is not None:
        print(f"error: the argument {_as_bytes(undecodable)} is not UTF-8 text: type it again, or set the "
              "terminal's character encoding to UTF-8.", file=sys.stderr)
        return 2
    try:
        code = _run(arguments, launch_gui, toolkit, self_test)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's exit handler
        return code
    except BrokenPipeError:  # the reader went away (``… | head``): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if "-v" in arguments or "--verbose" in arguments:
            log.exception("unexpected error")
        print(f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              "(nothing more was done; run again with -v for details, and report it)", file=sys.stderr)
        return UNEXPECTED


def _as_bytes(argument: str) -> str:
    """How an undecodable argument is shown: the bytes typed, when Python kept them."""
    try:
        return repr(argument.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return ascii(argument)


def _is_text(argument: str) -> bool:
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
        return False
    return True


def _run(argv: Sequence[str], launch_gui: GuiLauncher | None, toolkit: DeviceToolkit | None,
         self_test: GuiLauncher | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:  # a lost connection is told in one ``error:`` line; psycopg's own lines only with -v
        logging.getLogger("psycopg").setLevel(logging.ERROR)
    if args.self_test:
        if args.command is not None:
            parser.error(f"--self-test checks the installation and runs no command: leave out '{args.command}'")
        if self_test is None:
            print("The self-test is not available here: run 'fulfilstation --self-test'.", file=sys.stderr)
            return 2
        return self_test(args)
    if args.command is None:
        if launch_gui is None:
            print("The window is not available here; see 'fulfilstation --help'.", file=sys.stderr)
            return 2
        return launch_gui(args)
    context = CliContext(db_url=args.db, toolkit=toolkit)
    try:
        code: int = args.handler(args, context)
        return code
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except Refused as refused:
        print(f"error: {refused.message}", file=sys.stderr)
        return REFUSED
    except (SettingsError, DatabaseUrlError, NewerSchema) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: {describe_database_error(exc, context._database)}", file=sys.stderr)
        return 2
    finally:
        context.close()
