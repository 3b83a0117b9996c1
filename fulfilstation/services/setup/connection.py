"""Checking the database a station is being set up with: it answers, the login is accepted,
and its schema is (or is not) the one this FulfilStation needs.

Invariant: nothing here writes — not the database (it is only read), not the keyring, not
a file (an embedded SQLite file that does not exist is reported, never created). The
password is handed to the driver only; it is never put into a URL or a message.
Blocking (a server may take up to ``engine.CONNECT_TIMEOUT_S`` to fail): call it off the
GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from fulfilstation import paths
from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.schema_guard import is_from_the_future
from fulfilstation.db.url import DatabaseUrlError, display_url, parse_url, secret_name, sqlite_url, strip_password
from fulfilstation.errors import describe_database_error
from fulfilstation.services.setup.values import ConnectionCheck, SchemaState, SetupRefused

EMBEDDED = ("", "sqlite", "embedded")
"""How ``--db`` names this PC's own SQLite file in the data directory."""

_LOGIN_REFUSED = ("password authentication failed", "no password supplied", "authentication failed")


@dataclass(frozen=True)
class Target:
    """The database to set up: its URL without a password, the password to use (None: the
    keyring's, or none), and what the settings file will hold (``""``: embedded)."""

    url: URL
    password: str | None
    stored_url: str

    @property
    def embedded(self) -> bool:
        return self.stored_url == ""

    @property
    def secret(self) -> str | None:
        return secret_name(self.url)


def target_of(text: str, password: str | None) -> Target:
    """Where ``text`` points. A password given apart wins over one written in the URL."""
    text = text.strip()
    if text.lower() in EMBEDDED:
        return Target(sqlite_url(paths.default_sqlite_path()), None, "")
    try:
        url, in_url = strip_password(parse_url(text))
    except DatabaseUrlError as exc:
        raise SetupRefused("bad-url", f"{exc} Nothing was written.") from exc
    if url.get_backend_name() == "sqlite" and not url.database:
        raise SetupRefused("bad-url", "An SQLite URL names its file: sqlite:///PATH/TO/FILE.sqlite3, or 'sqlite' "
                                      "for this PC's embedded database. Nothing was written.")
    if url.get_backend_name() == "postgresql" and not (url.username and url.database):
        raise SetupRefused("bad-url", f"{display_url(url)} names no login or no database: use "
                                      "postgresql://USER@HOST:5432/DBNAME. Nothing was written.")
    return Target(url, password if password else in_url, display_url(url))


def check_connection(target: Target, store: SecretStore) -> ConnectionCheck:
    """Connect and read the schema revision; ``SetupRefused`` when the database cannot be
    used (unreachable, login refused), saying what to fix."""
    head = migrate.head_revision()
    shown = display_url(target.url)
    if target.url.get_backend_name() == "sqlite" and not Path(str(target.url.database)).is_file():
        return ConnectionCheck(shown, target.embedded, SchemaState.NOT_CREATED, None, head)
    password = target.password if target.password is not None else _stored(target, store)
    database = Database.connect(target.url, password_for=lambda _name, _ask: password, create=False)
    try:
        revision = migrate.current_revision(database.engine)
    except DBAPIError as exc:
        raise SetupRefused("no-connection", _why(exc, database, shown, password)) from exc
    finally:
        database.dispose()
    if revision == head:
        state = SchemaState.UP_TO_DATE
    elif revision is None:
        state = SchemaState.EMPTY
    elif is_from_the_future(revision):
        state = SchemaState.NEWER
    else:
        state = SchemaState.NEEDS_UPGRADE
    return ConnectionCheck(shown, target.embedded, state, revision, head)


def _stored(target: Target, store: SecretStore) -> str | None:
    name = target.secret
    if name is None:
        return None
    try:
        return store.get(name)
    except KeyringUnavailable:
        return None


def _why(exc: DBAPIError, database: Database, shown: str, password: str | None) -> str:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    if any(words in detail.lower() for words in _LOGIN_REFUSED):
        how = ("check the password and give it again" if password is not None else
               "give the login's password (typed when asked, or on standard input with --password-stdin)")
        return (f"The database at {shown} refused the login ({detail}): {how}. Nothing was written.")
    return f"{describe_database_error(exc, database)} Nothing was written."
