"""Opening the database the way every entry point does (GUI, CLI, tests).

Order of precedence for the URL: ``--db`` > ``FULFIL_DATABASE_URL`` > settings file >
embedded SQLite in the data directory. A password written into the settings file is
moved to the keyring and removed from the file; a password given on the command line or
in the environment is used for this run only and stored nowhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from fulfilstation.credentials import KeyringUnavailable, SecretStore, SessionSecrets
from fulfilstation.db.database import Database
from fulfilstation.db.url import display_url, resolve_url, secret_name, strip_password
from fulfilstation.settings import LoadedSettings, save_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    notices: tuple[str, ...]


def open_database(loaded: LoadedSettings, cli_url: str | None, secrets: SessionSecrets,
                  store: SecretStore | None = None, *, create: bool = True) -> OpenedDatabase:
    """The database the settings name. ``create=False``: a missing SQLite file is an error
    (``NoDatabaseFile``), not a new empty database."""
    notices: list[str] = []
    given, source = resolve_url(cli_url, loaded.settings.database_url)
    url, password = strip_password(given)
    name = secret_name(url)
    if password is not None and name is not None:
        secrets.remember(name, password)
        if source == "settings" and not loaded.read_only:
            notices.append(_move_password_out_of_file(loaded, display_url(url), name, password, store))
    log.info("database: %s", display_url(url))
    return OpenedDatabase(Database.connect(url, password_for=secrets.get, create=create), tuple(notices))


def _move_password_out_of_file(loaded: LoadedSettings, safe_url: str, name: str, password: str,
                               store: SecretStore | None) -> str:
    save_settings(replace(loaded.settings, database_url=safe_url), loaded.path)
    try:
        (store or SecretStore()).set(name, password)
    except KeyringUnavailable as exc:
        return (f"The database password was removed from {loaded.path} (passwords are never kept in "
                f"files) but could not be saved in the keyring: {exc}")
    return f"The database password was moved from {loaded.path} into the OS keyring."
