"""Argument parsing and dispatch for ``fulfilstation``.

Every command takes ``--db URL`` (before or after the command name) and honours
``FULFIL_DATABASE_URL``. Commands call ``AppServices`` (``CliContext.app``) only; a use case's
refusal (``Refused``) is printed as ``error: <message>`` with exit status 1. Without a
command the GUI opens, through the ``launch_gui`` callable that ``main.py`` provides (this
package never imports Qt).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from fulfilstation import __version__
from fulfilstation.cli import (
    carriers_commands,
    db_commands,
    demo_commands,
    devices_commands,
    label_command,
    manifest_command,
    orders_commands,
    pack_command,
    shipments_commands,
    simulate_commands,
    site_commands,
    users_commands,
)
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.db.schema_guard import NewerSchema
from fulfilstation.db.url import DatabaseUrlError
from fulfilstation.errors import describe_database_error
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.refused import Refused
from fulfilstation.settings import SettingsError

REFUSED = 1  # exit status of a command a use case refused (the message says why and what to do)
GuiLauncher = Callable[[argparse.Namespace], int]
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser], None]
COMMAND_GROUPS: list[Registrar] = [
    db_commands.register, demo_commands.register, orders_commands.register, pack_command.register,
    devices_commands.register, simulate_commands.register, manifest_command.register,
    label_command.register, carriers_commands.register, site_commands.register, users_commands.register,
    shipments_commands.register,
]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (default: FULFIL_DATABASE_URL, then the station settings)")
    parser = argparse.ArgumentParser(prog="fulfilstation", description="FulfilStation: in-house fulfilment "
                                     "for small warehouses. Without a command, opens the station window.")
    parser.add_argument("--version", action="version", version=f"FulfilStation {__version__}")
    parser.add_argument("--db", metavar="URL", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--demo", action="store_true",
                        help="open the window with demo data (seeded into an empty database) and simulators")
    parser.add_argument("--fullscreen", action="store_true", help="open the station window full screen")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in COMMAND_GROUPS:
        register(commands, common)
    return parser


def run(argv: Sequence[str] | None = None, launch_gui: GuiLauncher | None = None,
        toolkit: DeviceToolkit | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
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
    except BrokenPipeError:  # the reader went away (``… | head``): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        context.close()
