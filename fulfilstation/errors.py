"""Turning failures into sentences a warehouse owner can act on (CLI and window alike)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from fulfilstation.db.database import Database
from fulfilstation.db.migrate import NeedsOwner
from fulfilstation.db.schema_guard import NewerSchema
from fulfilstation.db.url import DatabaseUrlError
from fulfilstation.services.refused import Refused
from fulfilstation.settings import SettingsError


def describe_database_error(exc: Exception, database: Database | None) -> str:
    where = database.display_url if database else "the configured database"
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, OperationalError):
        certificate = _certificate_problem(str(getattr(exc, "orig", exc)))
        if certificate:
            return (f"The database server at {where} could not be verified: {certificate}. Check that the URL's "
                    "sslrootcert= names the certificate authority's file (ca.crt) that signed the server's "
                    "certificate, as the database's administrator gave it, and that the URL's host is the name on "
                    "that certificate; then try again.")
        if "password" in detail.lower() or "authentication" in detail.lower():
            return (f"The database at {where} refused the login ({detail}). Store the right password with "
                    "'fulfilstation db set-password'.")
        if detail.startswith(("no such table", "no such column")):  # SQLite: a file without our tables
            return (f"The database at {where} does not have the expected tables ({detail}). "
                    "Run 'fulfilstation db upgrade'.")
        if "database is locked" in detail:  # SQLite: another program holds the file
            return (f"The database at {where} is busy ({detail}): another program is writing to it. "
                    "Wait a moment and try again.")
        return (f"Cannot reach the database at {where} ({detail}). Check that the database server is running "
                "and reachable from this PC, and that the database URL is right (as given, or in the station "
                "settings).")
    if isinstance(exc, ProgrammingError) and getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
        return (f"The database login at {where} may not do this ({detail}): nothing was changed. A station's login "
                "cannot change the schema or the audit log; schema upgrades are run by the database's owner "
                "('fulfilstation db upgrade' with the owner's login).")
    if isinstance(exc, ProgrammingError):
        return (f"The database at {where} does not have the expected tables ({detail}). "
                "Run 'fulfilstation db upgrade'.")
    if "malformed" in detail or "not a database" in detail:  # SQLite: the file (or its log) is damaged
        return (f"The database file at {where} is damaged ({detail}). Stop FulfilStation on every PC that uses "
                "it, keep a copy of the file and its -wal and -shm files, then restore the latest copy from "
                "the data directory's backups/ folder, or get help before packing more orders.")
    return (f"The database at {where} refused the request ({detail}): nothing was changed. Try again; if it "
            "repeats, restart FulfilStation.")


def _certificate_problem(text: str) -> str | None:
    """What went wrong with TLS verification, in a few words, or None when it was not TLS."""
    lowered = text.lower()
    if "root certificate file" in lowered and "does not exist" in lowered:
        return "the certificate authority's file named by sslrootcert= does not exist"
    if "certificate verify failed" in lowered:
        return "its certificate is not signed by the certificate authority in sslrootcert="
    if "server certificate for" in lowered and "does not match" in lowered:
        return "the name on its certificate does not match the host in the URL"
    if "ssl" in lowered and "certificate" in lowered:
        return "its certificate was refused"
    return None


class StartupError(RuntimeError):
    """A start-up failure already put into words (``describe_error`` returns it as is)."""


def describe_error(exc: Exception, database: Database | None = None) -> str:
    """One paragraph for any failure at start-up or in a command."""
    if isinstance(exc, Refused):
        return exc.message
    if isinstance(exc, (SettingsError, DatabaseUrlError, StartupError, NewerSchema, NeedsOwner)):
        return str(exc)
    if isinstance(exc, DBAPIError):  # any driver error: in words, never the SQL and its parameters
        return describe_database_error(exc, database)
    return f"{type(exc).__name__}: {exc}"
