"""Database URLs: defaults, normalisation, and keeping passwords out of them.

Invariant: a URL that leaves this module for a file, a log line or the screen has no
password in it (``display_url``, ``strip_password``), whether it was given as
``USER:PASSWORD@`` or as a ``?password=`` query parameter — not even in the message about a
URL that cannot be parsed (``masked``). The password is fetched from the
keyring at connect time (``engine.make_engine``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from fulfilstation import paths

ENV_VAR = "FULFIL_DATABASE_URL"
_USERINFO_PASSWORD = re.compile(r"(://[^/@:?#]*:)[^/@]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
POSTGRES_ALIASES = ("postgresql", "postgres")
"""``postgres://`` is how many hosts and tools write a PostgreSQL URL (SQLAlchemy no longer
reads it): both become ``postgresql+psycopg``."""


class DatabaseUrlError(ValueError):
    pass


def resolve_url(cli_url: str | None, settings_url: str) -> tuple[URL, str]:
    """The URL to use and where it came from (``cli``, ``env``, ``settings``, ``default``):
    ``--db`` first, then ``FULFIL_DATABASE_URL``, then the settings file, then the
    embedded SQLite file in the data directory."""
    for text, source in ((cli_url, "cli"), (os.environ.get(ENV_VAR), "env"), (settings_url, "settings")):
        if text:
            return parse_url(text), source
    return sqlite_url(paths.default_sqlite_path()), "default"


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def masked(text: str) -> str:
    """``text`` (a URL that may not even parse) with any password replaced by ``***``."""
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1***@", text))


def parse_url(text: str) -> URL:
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port like 'abc' or '[::1'
        raise DatabaseUrlError(
            f"'{masked(text)}' is not a database URL. Use postgresql://USER@HOST:5432/DBNAME "
            "(a port is a number; an IPv6 host is written [::1]) or sqlite:///PATH/TO/FILE.sqlite3."
        ) from exc
    backend = url.get_backend_name()
    if backend in POSTGRES_ALIASES:
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseUrlError(f"Database '{backend}' is not supported: use PostgreSQL or SQLite.")


def strip_password(url: URL) -> tuple[URL, str | None]:
    """Split a URL into (URL without password, password or None). A ``?password=`` query
    parameter counts as the password (``USER:PASSWORD@`` wins when both are given)."""
    query = dict(url.query)
    in_query = query.pop("password", None)
    password = url.password if url.password is not None else in_query
    if isinstance(password, tuple):  # given more than once in the query: the last one
        password = password[-1]
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, query)
    return bare, (str(password) if password is not None else None)


def display_url(url: URL) -> str:
    """A URL safe to show or log: never contains the password."""
    shown = strip_password(url)[0] if "password" in url.query else url
    return shown.render_as_string(hide_password=True).replace("+psycopg", "").replace("+pysqlite", "")


def secret_name(url: URL) -> str | None:
    """The keyring entry that holds this URL's password, or None for SQLite."""
    from fulfilstation.credentials import database_secret_name

    if url.get_backend_name() != "postgresql":
        return None
    return database_secret_name(url.username or "", url.host or "localhost", url.port, url.database or "")
