"""``StationSetup``: set up this PC as a station — the one door of ``fulfilstation setup``
and of the window's first-run assistant.

Setting up comes before anyone can sign in (a new PC has no user, often no database yet),
so it takes no ``Actor``: what it writes is this PC's own — the settings file and the
keyring entry — not the site's data. The one change it may make in the database,
registering the station, goes through the stations use case (``register``, handed in by
the caller); the demo warehouse goes in only on a database without products (``seed_demo``).

Invariants:

* Refused (``SetupRefused``) before anything is written when the station has no name, the
  database cannot be used (unreachable, login refused) or a device address cannot be
  understood: no settings file, no keyring entry, no row.
* The password goes to the keyring only (under ``db:USER@HOST:PORT/DBNAME``); the settings
  file holds the URL without it. With no keyring the password is kept nowhere and the
  report says FulfilStation will ask for it at each start.
* A device that is away or silent does not stop the set-up: its address is written and a
  ``WARNING`` line says what to check.

Blocking (database, devices, files): call every method off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fulfilstation import paths
from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.demo.seed import seed_demo
from fulfilstation.domain.words import plural
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.setup.connection import Target, check_connection, target_of
from fulfilstation.services.setup.device_checks import check_addresses, check_devices
from fulfilstation.services.setup.values import (
    MAX_NAME,
    ConnectionCheck,
    Outcome,
    SchemaState,
    SetupLine,
    SetupRefused,
    SetupReport,
    SetupRequest,
)
from fulfilstation.settings import DeviceSettings, StationSettings, load_settings, save_settings

Register = Callable[[str, DeviceSettings], object]
"""The stations use case's ``register(name, devices)`` (``AppServices.stations.register``)."""

class StationSetup:
    def __init__(self, toolkit: DeviceToolkit | None, *, store: SecretStore | None = None,
                 settings_path: Path | None = None) -> None:
        """``toolkit`` None: devices are written as given, unchecked (a build without drivers)."""
        self.toolkit = toolkit
        self.store = store or SecretStore()
        self.settings_path = settings_path or paths.settings_file()

    def needed(self) -> bool:
        """Whether this PC has never been set up (no settings file)."""
        return not self.settings_path.exists()

    def current(self) -> StationSettings:
        """The settings as they stand (the defaults on a new PC), without writing them."""
        return load_settings(self.settings_path, create=False).settings

    def test_connection(self, database: str, password: str | None = None) -> ConnectionCheck:
        """Whether ``database`` can be used with ``password`` (``SetupRefused`` when not).
        Writes nothing."""
        return check_connection(target_of(database, password), self.store)

    def apply(self, request: SetupRequest, register: Register | None = None) -> SetupReport:
        """Check, then write the settings and the password; seed the demo and register the
        station when asked and possible. See the module doc for what is refused."""
        loaded = load_settings(self.settings_path, create=False)
        if loaded.read_only:
            raise SetupRefused("settings-read-only", f"{loaded.path} was written by a newer FulfilStation: update "
                                                     "FulfilStation on this PC first. Nothing was written.")
        name = _station_name(request.station)
        target = target_of(request.database, request.password)
        connection = check_connection(target, self.store)
        devices = _devices(loaded.settings.devices, request)
        lines = [SetupLine(Outcome.DONE if connection.schema is not SchemaState.NEWER else Outcome.WARNING,
                           connection.sentence)]
        if self.toolkit is not None:
            check_addresses(self.toolkit, devices)
            lines += check_devices(self.toolkit, devices)
        lines.append(self._keep_password(target))
        settings = replace(loaded.settings, station_name=name, database_url=target.stored_url, devices=devices)
        save_settings(settings, loaded.path)
        lines.append(SetupLine(Outcome.DONE, f"Station {name} written to {loaded.path} (database "
                                             f"{target.stored_url or 'embedded'}; no password in the file)."))
        if request.demo:
            lines.append(self._demo(target))
            connection = check_connection(target, self.store)
        if register is not None and connection.ready:
            lines.append(_register(register, name, devices, connection))
        return SetupReport(tuple(line for line in lines if line.text), str(loaded.path))

    def _keep_password(self, target: Target) -> SetupLine:
        name = target.secret
        if name is None:
            return SetupLine(Outcome.DONE, "")
        if target.password is None:
            return SetupLine(Outcome.DONE, f"No password given for {target.stored_url}: the keyring's, if any, is "
                                           "used.")
        try:
            self.store.set(name, target.password)
        except KeyringUnavailable as exc:
            return SetupLine(Outcome.WARNING, f"The password was not saved anywhere: {exc}")
        return SetupLine(Outcome.DONE, f"Password for {target.stored_url} saved in the OS keyring.")

    def _demo(self, target: Target) -> SetupLine:
        password = target.password
        database = Database.connect(target.url, password_for=lambda _name, _ask: password, create=True)
        try:
            migrate.upgrade(database.engine)
            summary = seed_demo(database)
        except Exception as exc:  # the settings are written: say why the demo is missing, do not undo them
            from fulfilstation.errors import describe_error

            return SetupLine(Outcome.WARNING, f"The demo warehouse was not added: {describe_error(exc, database)}")
        finally:
            database.dispose()
        if not summary.seeded:
            return SetupLine(Outcome.WARNING, f"The demo warehouse was not added: {summary.message}")
        return SetupLine(Outcome.DONE, f"Demo warehouse added: {plural(summary.products, 'product')}, "
                                       f"{plural(summary.bins, 'bin')}, {plural(summary.orders, 'open order')}; "
                                       "sign in with PIN 1111 (packer), 2222 (manager) or 3333 (owner).")


def _station_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise SetupRefused("no-station", "A station needs a name (e.g. PACK1): --station NAME. Nothing was written.")
    if len(name) > MAX_NAME:
        raise SetupRefused("station-name", f"A station's name has at most {MAX_NAME} characters; {name[:20]}… has "
                                           f"{len(name)}. Nothing was written.")
    return name


def _devices(current: DeviceSettings, request: SetupRequest) -> DeviceSettings:
    given = {"scanner": request.scanner, "scale": request.scale, "label_printer": request.label_printer,
             "document_printer": request.document_printer}
    return replace(current, **{kind: uri.strip() for kind, uri in given.items() if uri is not None})


def _register(register: Register, name: str, devices: DeviceSettings, connection: ConnectionCheck) -> SetupLine:
    try:
        register(name, devices)
    except Exception as exc:  # the settings are written: registering again happens at each start
        from fulfilstation.errors import describe_error

        return SetupLine(Outcome.WARNING, f"Station {name} is not registered in the database yet "
                                          f"({describe_error(exc)}); it registers itself when the window starts.")
    return SetupLine(Outcome.DONE, f"Station {name} registered in {connection.url} with these devices.")
