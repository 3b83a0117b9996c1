"""What every command needs: settings, secrets (with a terminal prompt), the database, and
``AppServices`` — the one door every command goes through."""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field

from fulfilstation.credentials import SecretStore, SessionSecrets
from fulfilstation.db.database import Database
from fulfilstation.files import SystemFileOpener
from fulfilstation.ports import DeviceToolkit
from fulfilstation.runtime import open_database
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.setup import StationSetup
from fulfilstation.settings import LoadedSettings, load_settings
from fulfilstation.station_printers import ConfiguredPrinters


class CommandError(Exception):
    """A failure to report to the user in words, with exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def terminal_prompt(name: str, explanation: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    if explanation:
        print(explanation, file=sys.stderr)
    try:
        return getpass.getpass(f"Password for {name.removeprefix('db:')}: ")
    except (EOFError, KeyboardInterrupt):
        return None


@dataclass
class CliContext:
    db_url: str | None
    toolkit: DeviceToolkit | None = None
    _loaded: LoadedSettings | None = None
    _database: Database | None = None
    _app: AppServices | None = None
    _printers: tuple[str | None, str | None] = (None, None)
    secrets: SessionSecrets = field(default_factory=lambda: SessionSecrets(prompt=terminal_prompt))

    @property
    def loaded(self) -> LoadedSettings:
        if self._loaded is None:
            self._loaded = load_settings(create=False)
        return self._loaded

    def database(self, *, create: bool = False) -> Database:
        """The database itself: for the ``db`` and ``demo`` commands only (schema, seeding).
        Only a command that builds the schema passes ``create=True``: any other one never
        creates an SQLite file or its folder (``NoDatabaseFile`` says where it looked)."""
        if self._database is None:
            opened = open_database(self.loaded, self.db_url, self.secrets, create=create)
            for notice in opened.notices:
                print(notice, file=sys.stderr)
            self._database = opened.database
        return self._database

    def app(self, *, label_printer: str | None = None, document_printer: str | None = None) -> AppServices:
        """The use cases, built once: printers from ``--label-printer``/``--document-printer``,
        else this PC's settings for its own station, else the station's recorded ones. The
        first call decides the printers: a later call naming other ones is a bug (ValueError)."""
        wanted = (label_printer, document_printer)
        if self._app is not None and wanted != (None, None) and wanted != self._printers:
            raise ValueError("CliContext.app: printers are chosen by the first call (before signing in)")
        if self._app is None:
            self._printers = wanted
            settings = self.loaded.settings
            printers = ConfiguredPrinters(self.toolkit, settings.station_name, settings.devices,
                                          label_printer, document_printer)
            ports = Ports(printers=printers, secrets=SecretStore(), files=SystemFileOpener(),
                          settings_file=self.loaded.path, settings_read_only=self.loaded.read_only)
            self._app = build_services(self.database(), ports, settings.station_name)
        return self._app

    def station_setup(self) -> StationSetup:
        """The set-up door (``fulfilstation setup``): this PC's settings file, the keyring, the
        devices. It reads and writes the settings file itself: call it before ``loaded``."""
        return StationSetup(self.toolkit)

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
