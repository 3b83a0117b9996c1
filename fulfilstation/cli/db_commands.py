"""``fulfilstation db …``: schema and connection management."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace

from sqlalchemy import text
from sqlalchemy.engine import URL

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db import migrate, roles
from fulfilstation.db.engine import NoDatabaseFile
from fulfilstation.db.schema_guard import NewerSchema, is_from_the_future
from fulfilstation.db.url import (
    DatabaseUrlError,
    display_url,
    parse_url,
    resolve_url,
    secret_name,
    strip_password,
)
from fulfilstation.settings import save_settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="database schema and connection")
    sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    sub.add_parser("upgrade", parents=[common], help="migrate the schema to the latest version").set_defaults(
        handler=upgrade)
    sub.add_parser("current", parents=[common], help="show the schema version").set_defaults(handler=current)
    set_url = sub.add_parser("set-url", parents=[common], help="point this station at a database (saved in "
                             "the station settings, password in the OS keyring)")
    set_url.add_argument("url", help="postgresql://USER@HOST:5432/DBNAME or sqlite:///PATH")
    set_url.set_defaults(handler=set_database_url)
    sub.add_parser("set-password", parents=[common], help="store the database password in the OS keyring"
                   ).set_defaults(handler=set_password)
    station_role = sub.add_parser(
        "create-station-role", parents=[common],
        help="(the database's owner, PostgreSQL) create or re-grant a station's login: it may run the app, "
             "but not change the schema, empty tables or rewrite the audit log")
    station_role.add_argument("name", help="the login's name, e.g. station_pack1 (lower-case letters, digits, _)")
    station_role.add_argument("--password-stdin", action="store_true",
                              help="read the password from the first line of standard input instead of asking "
                                   "twice (an existing login keeps its password when the line is empty)")
    station_role.set_defaults(handler=create_station_role)
    revision = sub.add_parser("revision", parents=[common], help="(developers) autogenerate a migration")
    revision.add_argument("message")
    revision.set_defaults(handler=new_revision)


def upgrade(args: argparse.Namespace, context: CliContext) -> int:
    database = context.database(create=True)
    try:
        result = migrate.upgrade(database.engine)
    except (NewerSchema, migrate.NeedsOwner) as exc:
        raise CommandError(str(exc)) from exc
    if result.backup:
        print(f"Backup taken: {result.backup}")
    if result.station_group:
        print(f"Station logins' privileges (role {result.station_group}) match the schema.")
    if result.changed:
        print(f"Upgraded {database.display_url} from {result.before or 'empty'} to {result.after}.")
    else:
        print(f"{database.display_url} is already at the latest schema ({result.after}).")
    return 0


def current(args: argparse.Namespace, context: CliContext) -> int:
    try:
        database = context.database()
    except NoDatabaseFile as missing:
        print(f"{missing.path}: schema empty (needs upgrade to {migrate.head_revision()}; "
              "'fulfilstation db upgrade' creates the file)")
        return 1
    revision, head = migrate.current_revision(database.engine), migrate.head_revision()
    if is_from_the_future(revision):
        state = f"newer than this FulfilStation, which knows up to {head}: update this station"
    elif revision == head:
        state = "up to date"
    else:
        state = f"needs upgrade to {head}"
    print(f"{database.display_url}: schema {revision or 'empty'} ({state})")
    return 0 if revision == head else 1


def set_database_url(args: argparse.Namespace, context: CliContext) -> int:
    try:
        url, password = strip_password(parse_url(args.url))
    except DatabaseUrlError as exc:
        raise CommandError(str(exc)) from exc
    loaded = context.loaded
    save_settings(replace(loaded.settings, database_url=display_url(url)), loaded.path)
    print(f"Station settings ({loaded.path}) now use {display_url(url)}.")
    if password is not None:
        _store_password(url, password)
    return 0


def set_password(args: argparse.Namespace, context: CliContext) -> int:
    url, _source = resolve_url(context.db_url, context.loaded.settings.database_url)
    url, given = strip_password(url)
    if secret_name(url) is None:
        raise CommandError("This station uses an embedded SQLite file, which has no password.")
    password = given if given is not None else getpass.getpass(f"Password for {display_url(url)}: ")
    _store_password(url, password)
    return 0


def _store_password(url: URL, password: str) -> None:
    name = secret_name(url)
    if name is None:
        return
    try:
        SecretStore().set(name, password)
    except KeyringUnavailable as exc:
        raise CommandError(str(exc)) from exc
    print(f"Password for {display_url(url)} saved in the OS keyring.")


def create_station_role(args: argparse.Namespace, context: CliContext) -> int:
    """An admin command outside the use cases (DDL on the server, run by the database's
    owner, not by a signed-in user): so it writes no audit entry. The password is read from
    stdin or typed twice, sent to the server only as a SCRAM verifier, never printed."""
    try:
        name = roles.check_role_name(args.name)
    except roles.RoleError as exc:
        raise CommandError(str(exc)) from exc
    database = context.database()
    if database.backend != "postgresql":
        raise CommandError("Station roles are a PostgreSQL feature: this station uses an SQLite file, which has no "
                           "logins (protect the file with the operating system's permissions instead).")
    password = _new_password(name, args.password_stdin)
    try:
        with database.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": migrate.ADVISORY_LOCK_KEY})
            existed = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                                         {"name": name}).first() is not None
            group = roles.create_station_role(connection, name, password)
    except roles.RoleError as exc:
        raise CommandError(str(exc)) from exc
    url = database.engine.url.set(username=name, password=None)
    station_url = display_url(url)
    print(f"{'Login ' + name + ' granted again' if existed else 'Login ' + name + ' created'} "
          f"(member of {group}): it may run FulfilStation on {database.display_url}, not change its schema.")
    print(f"On the station, use:  fulfilstation db set-url '{station_url}'")
    if "sslmode" not in url.query:
        print("  (over a network add ?sslmode=verify-full&sslrootcert=PATH/TO/ca.crt: see the README's site set-up)")
    if password is not None:
        print("then store the password on the station (never in a file):  fulfilstation db set-password")
    elif not existed:
        print("It has no password: set one with --password-stdin, or let the server trust it some other way.")
    return 0


def _new_password(name: str, from_stdin: bool) -> str | None:
    """The password for the new login: stdin's first line, or typed twice at a terminal.
    None: keep the login's password (an empty line or entry)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line or None
    if not sys.stdin.isatty():
        raise CommandError("No terminal to type the password in: pass --password-stdin and give it on standard "
                           "input (e.g. from a password manager).")
    first = getpass.getpass(f"Password for the new login {name} (empty: keep or set none): ")
    if not first:
        return None
    if getpass.getpass("Type it again: ") != first:
        raise CommandError("The two passwords differ: nothing was changed. Run the command again.")
    return first


def new_revision(args: argparse.Namespace, context: CliContext) -> int:
    migrate.revision(context.database(create=True).engine, args.message)
    return 0
