"""Database failures put into words a warehouse owner can act on (``fulfilstation.errors``),
and the command line keeping a driver's own log lines out of a plain ``error:`` line."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from fulfilstation.cli import app as cli_app
from fulfilstation.errors import describe_database_error, describe_error


def sqlite_error(message: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))


def test_a_sqlite_file_without_our_tables_says_run_db_upgrade() -> None:
    """A 0-byte or foreign .sqlite3 file: SQLite says "no such table" as an OperationalError,
    which is no unreachable server."""
    words = describe_database_error(sqlite_error("no such table: stock_levels"), None)
    assert "does not have the expected tables (no such table: stock_levels)" in words
    assert "fulfilstation db upgrade" in words and "server" not in words


def test_a_locked_sqlite_file_says_wait_not_check_the_server() -> None:
    words = describe_database_error(sqlite_error("database is locked"), None)
    assert "is busy" in words and "try again" in words and "server" not in words


def test_an_unreachable_server_still_says_check_the_server() -> None:
    words = describe_database_error(sqlite_error("connection refused"), None)
    assert words.startswith("Cannot reach the database") and "server is running" in words


def test_a_damaged_sqlite_file_says_stop_and_restore_without_the_sql() -> None:
    error = DatabaseError("SELECT outbox.channel FROM outbox WHERE outbox.id = ?", (7,),
                          sqlite3.DatabaseError("database disk image is malformed"))
    words = describe_error(error)
    assert words.startswith("The database file at the configured database is damaged (database disk image is "
                            "malformed)") and "backups/" in words
    assert "SELECT" not in words and "sqlalche.me" not in words


def test_any_other_driver_error_is_said_in_words_without_its_sql() -> None:
    error = IntegrityError("INSERT INTO orders (number) VALUES (?)", ("#1001",),
                           sqlite3.IntegrityError("UNIQUE constraint failed: orders.number"))
    words = describe_error(error)
    assert "refused the request (UNIQUE constraint failed: orders.number): nothing was changed" in words
    assert "INSERT" not in words


@pytest.mark.parametrize(("flags", "level"), [((), logging.ERROR), (("-v",), logging.NOTSET)])
def test_psycopg_warnings_are_shown_only_with_verbose(tmp_path: Path, flags: tuple[str, ...], level: int) -> None:
    """PostgreSQL stopping mid-command made psycopg log "WARNING psycopg: error ignored
    terminating <psycopg.Pipeline [BAD]>…" over four lines before the command's own
    ``error: Cannot reach the database …``."""
    logger = logging.getLogger("psycopg")
    logger.setLevel(logging.NOTSET)
    try:
        code = cli_app.run([*flags, "products", "list", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"])
        assert code == 2
        assert logger.level == level
    finally:
        logger.setLevel(logging.NOTSET)
