"""Least privilege on PostgreSQL (issue #15, point 2): the owner migrates, a station's login
runs the app and nothing more (PostgreSQL only; on the shared server, with roles named for
each test and dropped at its end).

* the grants after ``db upgrade`` and ``db create-station-role`` (the CLI, as a process, run by
  a non-superuser owner) equal what ``roles.station_needs`` says, on every table of the models
  and ``alembic_version``; a table a later migration adds is granted by that ``db upgrade``;
* as the station: emptying, rewriting or un-guarding the audit log, DDL and dropping tables
  fail with a permission error; packing and shipping an order works.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ProgrammingError

from fulfilstation.db import migrate, roles
from fulfilstation.db.database import Database
from fulfilstation.db.url import display_url
from fulfilstation.errors import describe_error
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import Refused
from tests.support.app import app_for, sign_in
from tests.support.station_roles import (
    drop_station_roles,
    owner_role,
    permission_errors,
    privileges_of,
    station_login,
    unique_name,
)
from tests.support.warehouse import expected_weight, make_order, scan_units

ROOT = Path(__file__).resolve().parents[2]
INSUFFICIENT_PRIVILEGE = "42501"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=environment, timeout=180, input=stdin)


def plain(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def role_facts(url: URL, name: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication, "
                "has_schema_privilege(rolname, 'public', 'CREATE') AS may_create, "
                "has_database_privilege(rolname, current_database(), 'TEMPORARY') AS may_temp, "
                "(SELECT count(*) FROM pg_tables WHERE tableowner = rolname) AS owns, "
                "(SELECT rolpassword FROM pg_authid a WHERE a.rolname = r.rolname) AS verifier "
                "FROM pg_roles r WHERE rolname = :name"), {"name": name}).mappings().one()
            sequences = connection.execute(text(
                "SELECT c.relname, has_sequence_privilege(:name, c.oid, 'USAGE') "
                "AND has_sequence_privilege(:name, c.oid, 'SELECT') AND has_sequence_privilege(:name, c.oid, 'UPDATE')"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = 'public'"), {"name": name}).all()
            return {**row, "sequences": {relname: granted for relname, granted in sequences}}
    finally:
        engine.dispose()


def test_owner_upgrades_and_creates_a_station_role_that_gets_what_roles_py_says(
        postgres_empty_url: URL) -> None:
    station = unique_name("st_cli")
    password = "correct horse 42"
    with owner_role(postgres_empty_url) as owner:
        try:
            upgraded = cli("db", "upgrade", "--db", plain(owner))
            assert upgraded.returncode == 0, upgraded.stderr
            made = cli("db", "create-station-role", station, "--password-stdin", "--db", plain(owner),
                       stdin=password + "\n")
            assert made.returncode == 0, made.stderr
            assert f"fulfilstation db set-url 'postgresql://{station}@" in made.stdout
            assert "fulfilstation db set-password" in made.stdout
            assert password not in made.stdout + made.stderr

            tables = sorted(roles.app_tables())
            assert privileges_of(postgres_empty_url, station, tables) == roles.station_needs()
            facts = role_facts(postgres_empty_url, station)
            assert (facts["rolcanlogin"], facts["rolsuper"], facts["rolcreatedb"], facts["rolcreaterole"],
                    facts["rolbypassrls"], facts["rolreplication"]) == (True, False, False, False, False, False)
            assert not facts["may_create"] and not facts["may_temp"] and facts["owns"] == 0
            assert str(facts["verifier"]).startswith("SCRAM-SHA-256$")
            sequences = facts["sequences"]
            assert isinstance(sequences, dict) and sequences and all(sequences.values())
            assert privileges_of(postgres_empty_url, "public", tables) == {table: frozenset() for table in tables}

            again = cli("db", "create-station-role", station, "--password-stdin", "--db", plain(owner), stdin="\n")
            assert again.returncode == 0 and "granted again" in again.stdout, again.stderr
            assert role_facts(postgres_empty_url, station)["verifier"] == facts["verifier"]  # empty line: kept
            upgrade_again = cli("db", "upgrade", "--db", plain(owner))
            assert upgrade_again.returncode == 0 and roles.station_group(str(owner.database)) in upgrade_again.stdout
            assert privileges_of(postgres_empty_url, station, tables) == roles.station_needs()
        finally:
            drop_station_roles(postgres_empty_url, station)


def test_a_table_a_later_migration_adds_is_granted_by_that_upgrade(postgres_empty_url: URL) -> None:
    """Stations made at 0013; ``db upgrade`` to head adds weight_refusals (0014): the
    station may use it as ``roles.py`` says (read and append), at once."""
    database = Database.connect(postgres_empty_url)
    try:
        migrate.upgrade(database.engine, target="0013")
        with station_login(postgres_empty_url) as station_url:
            tables = sorted(roles.app_tables())
            before = privileges_of(postgres_empty_url, str(station_url.username), tables)
            assert "weight_refusals" not in before  # not made yet
            assert before == roles.station_needs(before)
            result = migrate.upgrade(database.engine)
            assert result.changed and result.station_group == roles.station_group(str(postgres_empty_url.database))
            after = privileges_of(postgres_empty_url, str(station_url.username), tables)
            assert after == roles.station_needs()
            assert after["weight_refusals"] == frozenset({"SELECT", "INSERT"})
    finally:
        database.dispose()


def test_a_station_starting_up_changes_no_grant(postgres_seeded_url: URL) -> None:
    """The window runs ``migrate.upgrade`` at start; as a station login at head it does nothing
    and raises nothing (it owns no table, so it grants nothing)."""
    with station_login(postgres_seeded_url) as station_url:
        database = Database.connect(station_url)
        try:
            result = migrate.upgrade(database.engine)
        finally:
            database.dispose()
        assert not result.changed and result.station_group is None
        engine = create_engine(station_url)
        try:
            with engine.begin() as connection, pytest.raises(roles.RoleError, match="does not own the database's"):
                roles.grant_station_privileges(connection)
        finally:
            engine.dispose()


def test_without_a_terminal_the_password_comes_from_stdin_or_not_at_all(postgres_empty_url: URL) -> None:
    result = cli("db", "create-station-role", unique_name("st"), "--db", plain(postgres_empty_url))
    assert result.returncode == 2 and "--password-stdin" in result.stderr


def test_a_station_finding_the_schema_behind_is_told_to_ask_the_owner(postgres_empty_url: URL) -> None:
    owner = Database.connect(postgres_empty_url)
    try:
        migrate.upgrade(owner.engine, target="0013")
        with station_login(postgres_empty_url) as station_url:
            result = cli("db", "upgrade", "--db", plain(station_url))
            assert result.returncode == 2
            assert "may not change the schema" in result.stderr and "'fulfilstation db upgrade'" in result.stderr
            assert migrate.current_revision(owner.engine) == "0013"
    finally:
        owner.dispose()


FORBIDDEN = {
    "truncate the audit log": "TRUNCATE audit_log",
    "update the audit log": "UPDATE audit_log SET action = 'rewritten'",
    "delete the audit log": "DELETE FROM audit_log",
    "disable the audit log's triggers": "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "delete weight refusals": "DELETE FROM weight_refusals",
    "truncate orders": "TRUNCATE orders CASCADE",
    "create a table": "CREATE TABLE stolen (id integer)",
    "create a temporary table": "CREATE TEMPORARY TABLE scratch (id integer)",
    "drop orders": "DROP TABLE orders",
    "alter orders": "ALTER TABLE orders ADD COLUMN sneaky integer",
    "set the schema version": "UPDATE alembic_version SET version_num = '9999'",
    "create a role": "CREATE ROLE intruder",
}


def test_the_station_cannot_touch_the_schema_or_the_audit_log(postgres_seeded_url: URL) -> None:
    with station_login(postgres_seeded_url) as station_url:
        engine = create_engine(station_url)
        try:
            outcomes = {}
            with permission_errors(engine) as refused:
                for what, statement in FORBIDDEN.items():
                    with engine.connect() as connection:
                        try:
                            connection.exec_driver_sql(statement)
                            outcomes[what] = "done"
                        except ProgrammingError as exc:
                            outcomes[what] = getattr(exc.orig, "sqlstate", None) or "other"
            assert outcomes == {what: INSUFFICIENT_PRIVILEGE for what in FORBIDDEN}
            assert len(refused) == len(FORBIDDEN)  # the watcher the other station tests rely on sees them
            with engine.connect() as connection, pytest.raises(ProgrammingError) as truncate:
                connection.exec_driver_sql("TRUNCATE audit_log")
            words = describe_error(truncate.value, Database(engine))
            assert words.startswith(f"The database login at {display_url(station_url)} may not do this "
                                    "(permission denied for table audit_log): nothing was changed.")
            assert "TRUNCATE" not in words
            with engine.connect() as connection:  # the audit log is whole (read as the station)
                assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0
        finally:
            engine.dispose()


def test_the_station_packs_and_ships_an_order(postgres_seeded_url: URL) -> None:
    with station_login(postgres_seeded_url) as station_url:
        database = Database.connect(station_url)
        try:
            app = app_for(database)
            lines = [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)]
            number = make_order(database, lines)
            with permission_errors(database.engine) as refused:
                packer = sign_in(app, "packer")
                session_id = app.packing.start(packer, number).session_id
                assert scan_units(app, packer, session_id, lines).complete
                weight = expected_weight(database, session_id)
                with pytest.raises(Refused):  # far too light: refused, and the refusal recorded
                    app.shipping.ship(packer, session_id, Weighing(weight // 2))
                outcome = app.shipping.ship(packer, session_id, Weighing(weight))
            assert refused == []
            assert outcome.order_number == number and outcome.tracking_numbers
            with database.engine.connect() as connection:
                status = connection.execute(text("SELECT status FROM orders WHERE number = :n"), {"n": number})
                assert status.scalar_one() == "shipped"
                assert connection.execute(text("SELECT count(*) FROM audit_log WHERE action = 'shipment.created' "
                                               "AND user_id IS NOT NULL")).scalar_one() >= 1
                assert connection.execute(text("SELECT count(*) FROM weight_refusals WHERE pack_session_id = :s"),
                                          {"s": session_id}).scalar_one() == 1
        finally:
            database.dispose()


def test_create_station_role_on_sqlite_says_roles_are_postgres_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    assert cli("db", "upgrade", "--db", url).returncode == 0
    result = cli("db", "create-station-role", "station_one", "--password-stdin", "--db", url, stdin="x\n")
    assert result.returncode == 2
    assert "PostgreSQL feature" in result.stderr and result.stdout == ""


def test_a_role_name_that_is_not_plain_is_refused_before_anything_happens() -> None:
    result = cli("db", "create-station-role", "Robert'); DROP TABLE orders;--", "--password-stdin", stdin="x\n")
    assert result.returncode == 2 and "is not a role name" in result.stderr


@pytest.mark.parametrize("name", ["station_1", "_s", "a" * 63])
def test_plain_role_names_pass(name: str) -> None:
    assert roles.check_role_name(name) == name


def test_a_long_database_name_gives_a_group_name_postgres_keeps_whole() -> None:
    long_one, other = "d" * 60 + "one", "d" * 60 + "two"
    assert len(roles.station_group(long_one).encode()) <= 63
    assert roles.station_group(long_one) != roles.station_group(other)
    assert roles.station_group("fulfil") == "fulfilstation_station_fulfil"
