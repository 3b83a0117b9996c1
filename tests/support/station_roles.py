"""Station logins for tests on a shared PostgreSQL server (roles are cluster-wide).

``station_login(url)`` makes a login named for this test alone with
``roles.create_station_role`` (run as the URL's user, who owns the database's tables) and
yields the URL of the same database as that login; at the end the login and the
database's station group are dropped (``DROP OWNED BY`` first: the group holds privileges
in the database, which the suite's own clean-up drops later). ``owner_role`` does the same
for a non-superuser owner login that owns a database and may create roles.
``permission_errors(engine)`` collects every statement the server refused for want of a
privilege, even one a use case caught (an outage handler logs and carries on).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL

from fulfilstation.db import roles

INSUFFICIENT_PRIVILEGE = "42501"


@contextmanager
def permission_errors(engine: Engine) -> Iterator[list[str]]:
    """The statements run on ``engine`` inside the block that failed with SQLSTATE 42501."""
    refused: list[str] = []

    def _seen(context: Any) -> None:
        if getattr(context.original_exception, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            refused.append(f"{context.statement}: {context.original_exception}")

    event.listen(engine, "handle_error", _seen)
    try:
        yield refused
    finally:
        event.remove(engine, "handle_error", _seen)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def run_admin(url: URL, *statements: str) -> None:
    """Each statement in autocommit on ``url`` (a superuser's)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def drop_station_roles(admin_url: URL, *logins: str) -> None:
    """Drop ``logins`` and the station group of ``admin_url``'s database (a superuser's URL)."""
    assert admin_url.database
    group = roles.station_group(admin_url.database)
    run_admin(admin_url, f'DROP OWNED BY "{group}"', *(f'DROP ROLE IF EXISTS "{login}"' for login in logins),
              f'DROP ROLE IF EXISTS "{group}"')


@contextmanager
def station_login(admin_url: URL, password: str | None = None) -> Iterator[URL]:
    """A station login for ``admin_url``'s database (made by its user, who owns the tables)."""
    name = unique_name("st")
    engine = create_engine(admin_url)
    try:
        with engine.begin() as connection:
            roles.create_station_role(connection, name, password)
    finally:
        engine.dispose()
    try:
        yield admin_url.set(username=name, password=None)
    finally:
        drop_station_roles(admin_url, name)


@contextmanager
def owner_role(admin_url: URL) -> Iterator[URL]:
    """A LOGIN CREATEROLE (not superuser) role that owns ``admin_url``'s (empty) database;
    yields the database's URL as that owner. At the end its objects go back to the superuser
    and it is dropped."""
    name = unique_name("own")
    database = admin_url.database
    run_admin(admin_url, f'CREATE ROLE "{name}" LOGIN CREATEROLE NOSUPERUSER NOCREATEDB',
              f'ALTER DATABASE "{database}" OWNER TO "{name}"')
    try:
        yield admin_url.set(username=name, password=None)
    finally:
        superuser = admin_url.username or "postgres"
        run_admin(admin_url, f'ALTER DATABASE "{database}" OWNER TO "{superuser}"',
                  f'REASSIGN OWNED BY "{name}" TO "{superuser}"', f'DROP OWNED BY "{name}"')
        run_admin(admin_url, f'DROP ROLE "{name}"')


def privileges_of(url: URL, role: str, tables: list[str]) -> dict[str, frozenset[str]]:
    """Table -> the table privileges ``role`` has (its own or inherited), read on ``url``, for
    those of ``tables`` that exist."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            existing = [table for table in tables if connection.execute(
                text("SELECT to_regclass(:table) IS NOT NULL"), {"table": f"public.{table}"}).scalar_one()]
            return {table: frozenset(privilege for privilege in roles.TABLE_PRIVILEGES if connection.execute(
                text("SELECT has_table_privilege(:role, :table, :privilege)"),
                {"role": role, "table": f"public.{table}", "privilege": privilege}).scalar_one())
                for table in existing}
    finally:
        engine.dispose()
