"""``fulfilstation setup``: set up this PC as a station without the window (unattended
installs, a script per packing PC).

Through ``StationSetup`` (``CliContext.station_setup``), the door the window's first-run
assistant uses too; the station is registered in the database through
``AppServices.stations``. Exit status: 0 written and every check passed; 1 refused, nothing
written (the ``error:`` line says what to fix); 3 written, but a device or the keyring needs
a look (each named on a ``warning:`` line).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from fulfilstation.cli.context import CliContext
from fulfilstation.db.url import DatabaseUrlError, parse_url, strip_password
from fulfilstation.services.setup import SetupRequest
from fulfilstation.services.setup.values import Outcome
from fulfilstation.settings import DeviceSettings

NEEDS_A_LOOK = 3


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    setup = commands.add_parser(
        "setup", parents=[common],
        help="set up this PC as a station: settings file, database password in the keyring, checks",
        description="Write this station's settings (name, database, devices), keep the database password in the "
                    "OS keyring (never in a file), check the database and each device, and say what was done. "
                    "--db sqlite (or no --db) is one PC with its own embedded database. Exit status: 0 done, "
                    "1 refused (nothing written), 3 written but a device or the keyring needs a look.")
    setup.add_argument("--station", required=True, help="this station's name, e.g. PACK1")
    setup.add_argument("--scanner", metavar="URI", help="e.g. wedge: (default), hid://0c2e:0b61, serial:///dev/ttyACM0")
    setup.add_argument("--scale", metavar="URI", help="e.g. serial:///dev/ttyUSB0?protocol=nci, hid://0922:8003")
    setup.add_argument("--label-printer", metavar="URI", help="e.g. tcp://10.0.0.7:9100, cups://ZEBRA")
    setup.add_argument("--document-printer", metavar="URI", help="e.g. cups://OFFICE, pdf:///home/me/Slips")
    setup.add_argument("--demo", action="store_true", help="fill an empty database with the demo warehouse")
    setup.add_argument("--password-stdin", action="store_true",
                       help="read the database password from the first line of standard input (else it is "
                            "asked for at a terminal, when the URL is PostgreSQL's)")
    setup.set_defaults(handler=run_setup)


def run_setup(args: argparse.Namespace, context: CliContext) -> int:
    database = args.db or ""
    password = _password(args, database)
    if args.password_stdin and password is None:
        print("error: --password-stdin was given, but the first line of standard input is empty. Pipe the "
              "password in (printf '%s\\n' \"$PASSWORD\" | fulfilstation setup …), or leave --password-stdin "
              "out to use the password the keyring holds. Nothing was written.", file=sys.stderr)
        return 1
    door = context.station_setup()
    request = SetupRequest(station=args.station, database=database, password=password,
                           scanner=args.scanner, scale=args.scale, label_printer=args.label_printer,
                           document_printer=args.document_printer, demo=args.demo)
    context.db_url = None  # from here on the station's own settings (just written) say which database

    def register(name: str, devices: DeviceSettings) -> object:
        return context.app().stations.register(name, devices)

    report = door.apply(request, register)
    for line in report.lines:
        if line.outcome is Outcome.WARNING:
            print(f"warning: {line.text}")
        else:
            print(line.text)
    return NEEDS_A_LOOK if report.warnings else 0


def _password(args: argparse.Namespace, database: str) -> str | None:
    """The first line of stdin (``--password-stdin``), else typed at a terminal for a
    PostgreSQL URL without one; None: use the keyring's (or none)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n") or None
    if not database.lower().startswith("postgres") or not sys.stdin.isatty():
        return None
    try:
        _url, in_url = strip_password(parse_url(database))
    except DatabaseUrlError:
        return None  # the set-up says what is wrong with the URL
    if in_url is not None:
        return None
    return getpass.getpass("Database password (empty: use the one in the keyring, or none): ") or None
