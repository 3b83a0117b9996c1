"""FulfilStation entry point and composition root.

``main()`` runs the command line; without a command it opens the window. ``bootstrap()``
is the one place that builds the runtime from settings: the database, the services, and
(when device drivers are configured) the drivers handed to the services. Tests and the
demo mode swap simulators in here, nowhere else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from drivers.toolkit import DriverToolkit
from fulfilstation.app_context import AppContext, StationServices
from fulfilstation.cli import run
from fulfilstation.credentials import Prompt, SessionSecrets
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.demo.seed import seed_demo
from fulfilstation.devices import open_devices
from fulfilstation.errors import StartupError, describe_error
from fulfilstation.runtime import open_database
from fulfilstation.services.manifests.service import ManifestServices
from fulfilstation.services.stations.registry import StationInfo, register_station
from fulfilstation.settings import StationSettings, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv, launch_gui=launch_gui, toolkit=DriverToolkit())


def launch_gui(args: argparse.Namespace) -> int:
    from ui.app import run_app  # Qt is imported only when the window opens

    return run_app(lambda prompt: bootstrap(args, prompt), fullscreen=args.fullscreen)


def bootstrap(args: argparse.Namespace, prompt: Prompt | None = None) -> AppContext:
    """Build everything the window needs. Runs on a worker thread (it may wait on the
    database); ``prompt`` asks the user for a password when the keyring has none."""
    loaded = load_settings()
    secrets = SessionSecrets(prompt=prompt)
    opened = open_database(loaded, args.db, secrets)
    database = opened.database
    try:
        station, notices = _prepare_database(args, loaded.settings, database)
    except Exception as exc:
        database.dispose()
        raise StartupError(describe_error(exc, database)) from exc
    notices = list(loaded.warnings) + list(opened.notices) + notices
    settings = loaded.settings
    if secrets.keyring_problem:
        notices.append(secrets.keyring_problem)
    toolkit = DriverToolkit()
    devices, device_notices = open_devices(toolkit, settings.devices)
    notices += device_notices

    def shutdown() -> None:
        devices.stop_all()
        database.dispose()

    return AppContext(
        station=station, settings=settings,
        services=StationServices(database, station, loaded.path, loaded.read_only),
        database_label=database.display_url, schema_revision=migrate.current_revision(database.engine),
        devices=devices, toolkit=toolkit, notices=tuple(notices), shutdown=shutdown,
        manifests=ManifestServices(database, station.id),
    )


def _prepare_database(args: argparse.Namespace, settings: StationSettings,
                      database: Database) -> tuple[StationInfo, list[str]]:
    """Migrate, seed the demo when asked, and register this station."""
    notices = []
    migrate.upgrade(database.engine)
    if args.demo and seed_demo(database).seeded:
        notices.append("Demo data was added: log in with PIN 1111 (packer), 2222 (manager) or 3333 (owner).")
    devices = settings.devices
    station = register_station(database, settings.station_name, scanner=devices.scanner, scale=devices.scale,
                               label_printer=devices.label_printer,
                               document_printer=devices.document_printer or None)
    return station, notices


if __name__ == "__main__":
    sys.exit(main())
