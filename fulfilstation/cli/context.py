"""What every command needs: settings, secrets (with a terminal prompt) and the database."""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field

from fulfilstation.credentials import SessionSecrets
from fulfilstation.db.database import Database
from fulfilstation.ports import DeviceToolkit
from fulfilstation.runtime import open_database
from fulfilstation.settings import LoadedSettings, load_settings


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
    secrets: SessionSecrets = field(default_factory=lambda: SessionSecrets(prompt=terminal_prompt))

    @property
    def loaded(self) -> LoadedSettings:
        if self._loaded is None:
            self._loaded = load_settings()
        return self._loaded

    def database(self) -> Database:
        if self._database is None:
            opened = open_database(self.loaded, self.db_url, self.secrets)
            for notice in opened.notices:
                print(notice, file=sys.stderr)
            self._database = opened.database
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
