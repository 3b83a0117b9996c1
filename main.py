"""FulfilStation entry point and composition root.

``main()`` runs the command line; without a command it opens the window. ``bootstrap()``
is the one place that builds the window's runtime from settings: the database, the
device drivers, every port, and ``AppServices`` (the use cases) built once with them.
Tests and the demo mode swap simulators in here, nowhere else. (The command line builds
its ``AppServices`` with the same ``build_services``, in ``CliContext.app``.)
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_loading(signum: int, frame: object) -> None:
    """Ctrl+C in the seconds the program takes to load: nothing has started, stop quietly."""
    sys.stderr.write("interrupted\n")
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted_while_loading)

import argparse  # the modules below take seconds to load: Ctrl+C meanwhile is handled above
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from drivers.toolkit import DriverToolkit
from fulfilstation import __version__
from fulfilstation.app_context import AppContext
from fulfilstation.changes import ChangeListener
from fulfilstation.cli import run
from fulfilstation.credentials import Prompt, SecretStore, SessionSecrets
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.url import ENV_VAR, sqlite_url
from fulfilstation.demo.seed import seed_demo
from fulfilstation.demo.station import demo_station
from fulfilstation.devices import open_devices
from fulfilstation.errors import StartupError, describe_error
from fulfilstation.files import SystemFileOpener
from fulfilstation.health import DatabaseHealth
from fulfilstation.runtime import open_database
from fulfilstation.self_test import checks
from fulfilstation.self_test.runner import Check, run_checks
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.setup import StationSetup
from fulfilstation.services.stations import StationInfo
from fulfilstation.settings import LoadedSettings, load_settings
from fulfilstation.station_printers import DevicePrinters

signal.signal(signal.SIGINT, signal.default_int_handler)  # loaded: the commands handle Ctrl+C themselves


def main(argv: Sequence[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv, launch_gui=launch_gui, toolkit=DriverToolkit(),
               self_test=self_test)


def launch_gui(args: argparse.Namespace) -> int:
    from ui.app import run_app  # Qt is imported only when the window opens

    chosen = args.demo or args.db is not None or bool(os.environ.get(ENV_VAR))
    setup = None if chosen else StationSetup(DriverToolkit())  # a PC never set up: the assistant first
    return run_app(lambda prompt: bootstrap(args, prompt), fullscreen=args.fullscreen, setup=setup)


def self_test(args: argparse.Namespace) -> int:
    """``--self-test``: every check on files of its own in a temporary folder (this PC's settings,
    data and documents are never read or written), the window on Qt's offscreen platform unless
    ``QT_QPA_PLATFORM`` names another. The exit status: 0 only when every check passed."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from ui import self_test as window_checks  # Qt is imported only here and when the window opens

    frozen = getattr(sys, "frozen", False)
    where = f"frozen bundle in {getattr(sys, '_MEIPASS', '?')}" if frozen else "from source"
    with tempfile.TemporaryDirectory(prefix="fulfilstation-self-test-") as folder, _isolated(Path(folder)) as root:
        window_args = argparse.Namespace(db=sqlite_url(root / "window.sqlite3").render_as_string(), demo=True,
                                         fullscreen=False, verbose=args.verbose)
        return run_checks([
            Check("database", lambda: checks.database(root)),
            Check("label-zpl", checks.label_zpl),
            Check("label-pdf", checks.label_pdf),
            Check("packing-slip", checks.packing_slip),
            Check("sounds", window_checks.sounds),
            Check("window", lambda: window_checks.window(lambda: bootstrap(window_args))),
        ], sys.stdout, f"FulfilStation {__version__} self-test ({where})")


@contextmanager
def _isolated(root: Path) -> Iterator[Path]:
    """This process's settings, data and documents folders inside ``root`` while the block runs."""
    names = {"FULFIL_CONFIG_DIR": "config", "FULFIL_DATA_DIR": "data", "FULFIL_DOCUMENTS_DIR": "documents"}
    saved = {name: os.environ.get(name) for name in [*names, "FULFIL_DATABASE_URL"]}
    os.environ.pop("FULFIL_DATABASE_URL", None)
    os.environ.update({name: str(root / sub) for name, sub in names.items()})
    try:
        yield root
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def bootstrap(args: argparse.Namespace, prompt: Prompt | None = None) -> AppContext:
    """Build everything the window needs. Runs on a worker thread (it may wait on the
    database); ``prompt`` asks the user for a password when the keyring has none."""
    loaded = load_settings()
    if args.demo:  # a slip the new user can open: a pdf:// document printer unless one is set
        loaded = replace(loaded, settings=demo_station(loaded.settings))
    settings = loaded.settings
    secrets = SessionSecrets(prompt=prompt)
    opened = open_database(loaded, args.db, secrets)
    database = opened.database
    toolkit = DriverToolkit()
    devices, device_notices = open_devices(toolkit, settings.devices)
    printers = DevicePrinters(settings.station_name, devices)
    app = build_services(database, _ports(loaded, printers), settings.station_name)
    try:
        station, notices = _prepare_database(args, loaded, database, app)
    except Exception as exc:
        devices.stop_all()
        database.dispose()
        raise StartupError(describe_error(exc, database)) from exc
    notices = list(loaded.warnings) + list(opened.notices) + notices + device_notices
    if secrets.keyring_problem:
        notices.append(secrets.keyring_problem)

    health = DatabaseHealth(database)

    def shutdown() -> None:
        health.stop()
        devices.stop_all()
        database.dispose()

    return AppContext(app=app, station=station, settings=settings, database_label=database.display_url,
                      schema_revision=migrate.current_revision(database.engine), printers=printers, devices=devices,
                      toolkit=toolkit, notices=tuple(notices), shutdown=shutdown, listener=ChangeListener(database),
                      health=health)


def _ports(loaded: LoadedSettings, printers: DevicePrinters) -> Ports:
    return Ports(printers=printers, secrets=SecretStore(), files=SystemFileOpener(),
                 settings_file=loaded.path, settings_read_only=loaded.read_only)


def _prepare_database(args: argparse.Namespace, loaded: LoadedSettings, database: Database,
                      app: AppServices) -> tuple[StationInfo, list[str]]:
    """Migrate, seed the demo when asked, and register this station with its devices."""
    notices = []
    migrate.upgrade(database.engine)
    if args.demo and seed_demo(database).seeded:
        notices.append("Demo data was added: log in with PIN 1111 (packer), 2222 (manager) or 3333 (owner).")
    station = app.stations.register(loaded.settings.station_name, loaded.settings.devices)
    return station, notices


if __name__ == "__main__":
    sys.exit(main())
