"""Least privilege on PostgreSQL: what a station's login may do, and granting exactly that.

Three kinds of role (PostgreSQL only; SQLite has no roles):

* **the owner**: the login that runs ``fulfilstation db upgrade``. It owns the schema (the
  tables, sequences and trigger functions the migrations make) and creates station roles,
  so it needs ``CREATEROLE`` (not ``SUPERUSER``).
* **the station group** of a database (``station_group(database)``: ``fulfilstation_station_<database>``),
  a ``NOLOGIN`` role that holds every privilege a station needs in that database, and
  nothing in any other database on the same server.
* **station logins**, made by ``create_station_role``: ``LOGIN NOSUPERUSER NOCREATEDB
  NOCREATEROLE NOBYPASSRLS NOREPLICATION``, members of the group, with no privilege of
  their own. Being a member of the group is what marks a login as a station.

What a station needs (``station_needs``), and no more:

* ``SELECT, INSERT, UPDATE, DELETE`` on every table of the app, except the append-only ones
  (``APPEND_ONLY``: the audit log, which triggers also guard, and the weight refusals the
  packers' report counts), which get ``SELECT, INSERT``; ``alembic_version`` is read-only;
* ``USAGE, SELECT, UPDATE`` on the sequences (new ids);
* ``USAGE`` on schema ``public`` and ``CONNECT`` on the database.

Never ``TRUNCATE``, ``REFERENCES`` or ``TRIGGER``, never ownership (so no ``ALTER TABLE``,
hence no ``DISABLE TRIGGER``, no ``DROP``), never ``CREATE`` on the schema nor ``TEMPORARY``
on the database: granting also runs ``REVOKE CREATE ON SCHEMA public FROM PUBLIC`` and
``REVOKE TEMPORARY ON DATABASE … FROM PUBLIC`` (both take effect when the owner login owns
the database; the owner keeps them). The app needs no DDL at run time: advisory locks and
``LISTEN``/``pg_notify`` need no privilege, and it makes no temporary tables or ``setval``
calls (the role matrix and packing tests, run as a station login, show it).

Invariants: ``grant_station_privileges`` first revokes everything from the group and then
grants ``station_needs`` for every table in schema ``public``, in the caller's transaction,
so the grants equal the needs after every call (a table a migration added is covered, one
a migration dropped is gone). It refuses (``RoleError``) when the login running it does
not own the tables: PostgreSQL would only warn and grant nothing. ``migrate.upgrade`` calls
``keep_station_grants`` after the migrations, so a site that has a station group keeps its
grants in step with the schema without anyone remembering to. A password is sent to the
server only as a SCRAM verifier computed here (libpq's ``PQencryptPasswordConn``): the
plain text never reaches the server, its logs or this process's logs.

Threading: plain functions on the caller's ``Connection``; the caller commits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from fulfilstation.db.base import Base

SCHEMA = "public"
GROUP_PREFIX = "fulfilstation_station_"
APPEND_ONLY = frozenset({"audit_log", "weight_refusals"})
"""Tables a station may read and append to, never change: the audit log (the migrations'
triggers refuse UPDATE/DELETE too) and the weight refusals the packers' report counts."""
READ_ONLY = frozenset({"alembic_version"})
"""The schema's version: only the owner's ``db upgrade`` writes it."""
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
"""Every privilege PostgreSQL 13-16 has on a table (what ``station_needs`` is compared with)."""
FULL = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND = ("SELECT", "INSERT")
READ = ("SELECT",)
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT", "UPDATE")
ROLE_ATTRIBUTES = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_MAX_NAME = 63  # PostgreSQL's NAMEDATALEN - 1, in bytes


class RoleError(Exception):
    """A station role cannot be made or granted as asked; the message says why and what to do."""


def app_tables() -> frozenset[str]:
    """The tables the app's models define plus ``alembic_version``."""
    return frozenset(Base.metadata.tables) | READ_ONLY


def privileges_for(table: str) -> tuple[str, ...]:
    """What a station needs on ``table`` (any table of schema public)."""
    if table in READ_ONLY:
        return READ
    if table in APPEND_ONLY:
        return APPEND
    return FULL


def station_needs(tables: Iterable[str] | None = None) -> dict[str, frozenset[str]]:
    """Table name -> the privileges a station needs on it (default: ``app_tables()``)."""
    return {table: frozenset(privileges_for(table)) for table in (app_tables() if tables is None else tables)}


def station_group(database: str) -> str:
    """The NOLOGIN role holding a station's privileges in ``database`` (at most 63 bytes: a
    long database name is shortened and told apart by a hash of the whole name)."""
    name = GROUP_PREFIX + database
    if len(name.encode()) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    short = name.encode()[:_MAX_NAME - 9].decode(errors="ignore")
    return f"{short}_{digest}"


def check_role_name(name: str) -> str:
    """``name`` when it is a plain role name (lower-case letters, digits, ``_``; at most 63)."""
    if not _NAME.fullmatch(name):
        raise RoleError(f"'{name}' is not a role name this command makes: use lower-case letters, digits and _, "
                        "starting with a letter or _, at most 63 characters (e.g. station_pack1).")
    return name


def create_station_role(connection: Connection, name: str, password: str | None) -> str:
    """Create the LOGIN role ``name`` for a station of the connected database (or, when it
    exists, make it one again: attributes reset, password replaced when given), make it a
    member of the database's station group (created when missing) and grant the group what
    a station needs. Returns the group's name. Run by the owner (``CREATEROLE`` and owner of
    the tables); refuses a superuser, the login running it and a role owning tables."""
    _require_postgres(connection)
    check_role_name(name)
    me = connection.execute(text("SELECT current_user")).scalar_one()
    if name == me:
        raise RoleError(f"'{name}' is the login running this command (the owner): a station needs a login of its own.")
    _require_owner(connection)
    group = _ensure_group(connection)
    quoted = _quote(connection, name)
    verifier = "" if password is None else f" PASSWORD {_literal(connection, _scram(connection, name, password))}"
    existing = connection.execute(text("SELECT rolsuper, rolreplication, rolbypassrls FROM pg_roles "
                                       "WHERE rolname = :name"), {"name": name}).first()
    if existing is None:
        _ddl(connection, f"CREATE ROLE {quoted} LOGIN INHERIT {ROLE_ATTRIBUTES}{verifier}")
    else:
        if any(existing):  # only a superuser may take these away
            raise RoleError(f"'{name}' is a superuser or has REPLICATION or BYPASSRLS: a station's login must have "
                            "none of them. Choose another name, or have a superuser remove them first.")
        owned = connection.execute(text("SELECT count(*) FROM pg_tables WHERE tableowner = :name"),
                                   {"name": name}).scalar_one()
        if owned:
            raise RoleError(f"'{name}' owns tables of this database: a station's login must own nothing. "
                            "Choose another name.")
        _ddl(connection, f"ALTER ROLE {quoted} LOGIN INHERIT NOCREATEDB NOCREATEROLE{verifier}")
    _ddl(connection, f"GRANT {_quote(connection, group)} TO {quoted}")
    for kind in ("TABLES", "SEQUENCES"):  # its rights are the group's: none of its own
        _ddl(connection, f"REVOKE ALL ON ALL {kind} IN SCHEMA {SCHEMA} FROM {quoted}")
    _ddl(connection, f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM {quoted}")
    grant_station_privileges(connection)
    return group


def grant_station_privileges(connection: Connection) -> str | None:
    """Make the station group's privileges in the connected database exactly
    ``station_needs`` for the tables there now (every station login inherits them). The
    group's name, or None when the database has none (no station role was ever made)."""
    _require_postgres(connection)
    group = current_group(connection)
    if not _role_exists(connection, group):
        return None
    _require_owner(connection)
    who = _quote(connection, group)
    database = _quote(connection, _database(connection))
    _ddl(connection, f"REVOKE ALL ON ALL TABLES IN SCHEMA {SCHEMA} FROM {who}")
    _ddl(connection, f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {SCHEMA} FROM {who}")
    _ddl(connection, f"REVOKE ALL ON SCHEMA {SCHEMA} FROM {who}")
    _ddl(connection, f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC")
    _ddl(connection, f"GRANT USAGE ON SCHEMA {SCHEMA} TO {who}")
    _ddl(connection, f"GRANT CONNECT ON DATABASE {database} TO {who}")
    _ddl(connection, f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
    for table in _tables(connection):
        privileges = ", ".join(privileges_for(table))
        _ddl(connection, f"GRANT {privileges} ON TABLE {SCHEMA}.{_quote(connection, table)} TO {who}")
    _ddl(connection, f"GRANT {', '.join(SEQUENCE_PRIVILEGES)} ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {who}")
    return group


def keep_station_grants(connection: Connection) -> str | None:
    """After ``db upgrade``: re-grant the station group when there is one and the login may
    (it owns the tables); a station's own login starting up changes nothing. The group's
    name when granted, else None."""
    if connection.dialect.name != "postgresql":
        return None
    if not _role_exists(connection, current_group(connection)) or not _owns_tables(connection):
        return None
    return grant_station_privileges(connection)


def owns_schema(connection: Connection) -> bool:
    """Whether the connected login owns (or is a member of the owner of) every table in public."""
    return _owns_tables(connection)


def current_group(connection: Connection) -> str:
    return station_group(_database(connection))


def station_logins(connection: Connection) -> list[str]:
    """The LOGIN roles that are members of the connected database's station group."""
    rows = connection.execute(text(
        "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :group AND m.rolcanlogin ORDER BY 1"),
        {"group": current_group(connection)})
    return [row[0] for row in rows]


def _ensure_group(connection: Connection) -> str:
    group = current_group(connection)
    if not _role_exists(connection, group):
        _ddl(connection, f"CREATE ROLE {_quote(connection, group)} NOLOGIN {ROLE_ATTRIBUTES}")
    return group


def _require_postgres(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        raise RoleError("Database roles are a PostgreSQL feature: an SQLite file has no logins; protect the "
                        "file with the operating system's permissions instead.")


def _require_owner(connection: Connection) -> None:
    if not _owns_tables(connection):
        owners = ", ".join(sorted({row[0] for row in connection.execute(text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = :schema"), {"schema": SCHEMA})}))
        raise RoleError(f"This login does not own the database's tables (the owner: {owners or 'nobody yet'}): "
                        "run this command with the owner's login, the one that runs 'fulfilstation db upgrade'"
                        + ("" if owners else ", after running 'fulfilstation db upgrade'") + ".")


def _owns_tables(connection: Connection) -> bool:
    owned: Any = connection.execute(text(
        "SELECT count(*) > 0 AND bool_and(pg_has_role(current_user, tableowner, 'USAGE')) "
        "FROM pg_tables WHERE schemaname = :schema"), {"schema": SCHEMA}).scalar_one()
    return bool(owned)


def _role_exists(connection: Connection, name: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}).first() is not None


def _tables(connection: Connection) -> list[str]:
    return list(connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY 1"),
                                   {"schema": SCHEMA}).scalars())


def _database(connection: Connection) -> str:
    name: str = connection.execute(text("SELECT current_database()")).scalar_one()
    return name


def _ddl(connection: Connection, statement: str) -> None:
    """A statement with no parameters, as written (a SCRAM verifier's ``:`` is no bind parameter)."""
    connection.exec_driver_sql(statement)


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _raw(connection: Connection) -> Any:
    return connection.connection.dbapi_connection


def _scram(connection: Connection, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for role ``name``, computed by libpq here."""
    verifier: bytes = _raw(connection).pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return verifier.decode()


def _literal(connection: Connection, value: str) -> str:
    from psycopg import sql

    rendered: str = sql.Literal(value).as_string(_raw(connection))
    return rendered
