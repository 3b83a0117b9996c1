"""Every command that changes data acts as a signed-in user, on SQLite and PostgreSQL.

For each changing command (``site``, ``carriers``, ``orders set-service``, ``manifest``,
``pack``): without a way to sign in it stops with exit status 2 and the database is exactly
as before; signed in with a role that may not do it (a packer; a manager for an owner's
change) it prints ``error: <who> is a …: only … can …`` and exits 1, and nothing but the
sign-in itself is recorded; signed in with the right role it succeeds and the audit entry of
the change names that user (and how they signed in). The commands run in this process
(``fulfilstation.cli.run``, as ``main.py`` does) so the matrix stays quick; real processes
check the same promises in ``test_site_cli``, ``test_orders_service_cli`` and ``test_pack_cli``."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from sqlalchemy import select

from fulfilstation.cli import run
from fulfilstation.db.base import Base
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Station
from fulfilstation.settings import default_station_name
from tests.db.test_cli import plain
from tests.db.test_manifests import pack_at
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.warehouse import make_order, unit_barcode, user_id

PINS = {"packer": "1111", "manager": "2222", "owner": "3333"}
NAMES = {"packer": "Pat Packer is a packer", "manager": "Morgan Manager is a manager"}
BADGES = {"packer": "BADGE-0001", "manager": "BADGE-0002", "owner": "BADGE-0003"}
WORDS = {"manager": "a manager or an owner", "owner": "an owner"}
NOT_SIGNED_IN = "error: This command changes data: sign in with --user NAME and --pin PIN"
RATES = "weight_kg,Zone 2\n0.5,$8.42\n"
ZONES = "origin,dest_from,dest_to,zone\n432,600,629,5\n"
TRANSIT = "zone,days\n2,1\n"


@dataclass(frozen=True)
class Change:
    """A changing command: its arguments (``{dir}`` is a folder of the test's own, ``{order}``
    an order made for it), the least role that may run it, the audit action it records, what
    it reads on standard input and what it refuses in words (``doing``)."""

    argv: tuple[str, ...]
    least: str
    action: str
    doing: str
    stdin: str = ""


CHANGES = {
    "site set-address": Change(("site", "set-address", "--name", "Dock 9", "--line1", "9 Pier Rd", "--city",
                                "Portland", "--region", "OR", "--postal-code", "97209", "--country", "US"),
                               "owner", "site.ship_from_changed", "change the site settings"),
    "site set-units": Change(("site", "set-units", "--weight", "kg"), "owner", "site.units_changed",
                             "change the site settings"),
    "site set-tolerance": Change(("site", "set-tolerance", "--grams", "80", "--percent", "3"), "owner",
                                 "site.weight_tolerance_changed", "change the site settings"),
    "carriers add-carrier": Change(("carriers", "add-carrier", "parcelco", "--name", "ParcelCo"), "owner",
                                   "carrier.added", "set up carriers"),
    "carriers add-service": Change(("carriers", "add-service", "courier/express", "--name", "Courier Express",
                                    "--service-code", "EXP"), "owner", "carrier.service_added", "set up carriers"),
    "carriers add-account": Change(("carriers", "add-account", "usps", "--number", "123456", "--name",
                                    "Six-digit MID"), "owner", "carrier.account_added", "set up carriers"),
    "carriers add-range": Change(("carriers", "add-range", "ups/0W1X23", "--range-kind", "ups", "--first", "42",
                                  "--last", "99", "--replace"), "owner", "carrier.range_replaced", "set up carriers"),
    "carriers add-easypost": Change(("carriers", "add-easypost", "--code", "ep-test", "--name", "USPS (EasyPost)",
                                     "--easypost-carrier", "USPS", "--service", "priority:USPS Priority Mail:Priority"),
                                    "owner", "carrier.added", "set up carriers"),
    "carriers set-key": Change(("carriers", "set-key", "ep-usps/ep-demo", "--stdin"), "owner", "carrier.key_set",
                               "set up carriers", stdin="EZTKanother_key\n"),
    "carriers import-rates": Change(("carriers", "import-rates", "courier/local", "{dir}/rates.csv", "--replace"),
                                    "owner", "carrier.rates_imported", "set up carriers"),
    "carriers import-zones": Change(("carriers", "import-zones", "courier", "{dir}/zones.csv", "--replace"),
                                    "owner", "carrier.zones_imported", "set up carriers"),
    "carriers import-transit": Change(("carriers", "import-transit", "courier/local", "{dir}/transit.csv",
                                       "--replace"), "owner", "carrier.transit_imported", "set up carriers"),
    "orders set-service": Change(("orders", "set-service", "{order}", "usps/priority"), "manager",
                                 "order.service_changed", "change an order's shipping service"),
    "manifest close": Change(("manifest", "close", "--carrier", "courier", "--out", "{dir}/courier.pdf"), "manager",
                             "manifest.closed", "close a manifest"),
}


@pytest.fixture(autouse=True)
def no_pin_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FULFIL_PIN", raising=False)


def rows(db: Database, *skip: str) -> dict[str, list[str]]:
    """Every row of every table but ``skip``, as text, by table. ``change_counters`` is left
    out: it is the change feed's bookkeeping (SQLite), bumped by whatever was written —
    here the log-in audit rows a refused sign-in may leave."""
    with db.unit_of_work() as session:
        return {table.name: sorted(repr(row) for row in session.execute(select(table)).all())
                for table in Base.metadata.sorted_tables if table.name not in (*skip, "change_counters")}


def audit_since(db: Database, last_id: int) -> list[AuditEntry]:
    with db.unit_of_work() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)))
        session.expunge_all()
    return entries


def last_audit_id(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


class Cli:
    """``fulfilstation …`` run in this process on one database; (exit status, stdout, stderr)."""

    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.url = plain(db.engine.url)
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, argv: tuple[str, ...], *sign_in: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))  # not a terminal: nobody is asked for a PIN
        self.capsys.readouterr()
        code = run([*argv, *sign_in, "--db", self.url])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(seeded_database: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(seeded_database, capsys, monkeypatch)


def prepared(db: Database, change: Change, folder: Path) -> tuple[str, ...]:
    """What ``change`` needs in the database and on disk; its arguments filled in."""
    (folder / "rates.csv").write_text(RATES, encoding="utf-8")
    (folder / "zones.csv").write_text(ZONES, encoding="utf-8")
    (folder / "transit.csv").write_text(TRANSIT, encoding="utf-8")
    order = ""
    if change.argv[:2] == ("orders", "set-service"):
        order = make_order(db, [("MUG-CER-350", 1)])
    elif change.argv[:2] == ("manifest", "close"):
        pack_at(db, "PACK-A")  # an open shipment of the own courier
    elif change.argv[:2] == ("carriers", "set-key"):
        add_easypost_account(db, cast(EasyPostStub, SimpleNamespace(base_url="http://127.0.0.1:9/v2")))
    return tuple(arg.format(dir=folder, order=order) for arg in change.argv)


def pin_of(user: str) -> tuple[str, ...]:
    return ("--user", user, "--pin", PINS[user])


def refused_roles(least: str) -> list[str]:
    return ["packer"] if least == "manager" else ["packer", "manager"]


@pytest.mark.parametrize("name", sorted(CHANGES), ids=lambda name: name.replace(" ", "-"))
def test_each_change_needs_a_sign_in_with_the_right_role_and_is_audited_as_its_user(
        seeded_database: Database, cli: Cli, tmp_path: Path, name: str) -> None:
    db, change = seeded_database, CHANGES[name]
    argv = prepared(db, change, tmp_path)
    before = rows(db)

    for sign_in in ((), ("--user", change.least)):  # nobody; a name without a PIN (no terminal to ask on)
        code, out, err = cli(argv, *sign_in, stdin=change.stdin)
        assert (code, out) == (2, ""), (sign_in, err)
        assert err.startswith(NOT_SIGNED_IN if not sign_in else f"error: Signing in as {change.least} needs a PIN")
        assert rows(db) == before  # not even a station or a log-in was recorded

    mark = last_audit_id(db)
    for user in refused_roles(change.least):
        code, out, err = cli(argv, *pin_of(user), stdin=change.stdin)
        assert (code, out) == (1, ""), (user, err)
        assert err == (f"error: {NAMES[user]}: only {WORDS[change.least]} can {change.doing}. Ask one to do it, or "
                       "to sign in here.\n")
    code, out, err = cli(argv, "--badge", BADGES["packer"], stdin=change.stdin)
    assert code == 1 and f"only {WORDS[change.least]} can {change.doing}" in err
    assert rows(db, "audit_log", "stations") == {k: v for k, v in before.items() if k not in ("audit_log",
                                                                                               "stations")}
    assert {entry.action for entry in audit_since(db, mark)} == {"user.login"}  # only the sign-ins

    user = change.least
    code, out, err = cli(argv, *pin_of(user), stdin=change.stdin)
    assert code == 0, err
    entries = [entry for entry in audit_since(db, mark) if entry.action == change.action]
    assert entries and all(entry.user_id == user_id(db, user) for entry in entries)
    assert all((entry.details["by"], entry.details["via"]) == (user, "pin") for entry in entries)
    with db.unit_of_work() as session:
        here = session.scalars(select(Station.id).where(Station.name == default_station_name())).one()
    assert all(entry.station_id == here for entry in entries)  # signed in at this PC's station


def test_the_owner_may_do_a_managers_job_and_a_badge_signs_in(seeded_database: Database, cli: Cli,
                                                              tmp_path: Path) -> None:
    db = seeded_database
    argv = prepared(db, CHANGES["orders set-service"], tmp_path)
    mark = last_audit_id(db)
    code, _out, err = cli(argv, "--badge", BADGES["owner"])
    assert code == 0, err
    [entry] = [e for e in audit_since(db, mark) if e.action == "order.service_changed"]
    assert (entry.user_id, entry.details["by"], entry.details["via"]) == (user_id(db, "owner"), "owner", "badge")
    code, _out, err = cli(argv, "--user", "manager", "--badge", BADGES["owner"])  # someone else's badge
    assert code == 1 and err == "error: That badge is not manager's: nothing changed.\n"


def test_the_pin_may_come_from_the_environment(seeded_database: Database, cli: Cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = seeded_database
    monkeypatch.setenv("FULFIL_PIN", "3333")
    code, out, err = cli(("site", "set-units", "--weight", "kg"), "--user", "owner")
    assert (code, out.strip()) == (0, "Weights are shown in kg."), err
    monkeypatch.setenv("FULFIL_PIN", "1111")  # the packer's PIN, given for the owner
    code, _out, err = cli(("site", "set-units", "--weight", "lb"), "--user", "owner")
    assert (code, err) == (1, "error: Wrong PIN. Try again.\n")
    with db.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("site.%"))).all()
    assert actions == ["site.units_changed"]


def test_pack_needs_a_sign_in_and_changes_nothing_without_one(seeded_database: Database, cli: Cli) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    argv = ("pack", number, "--station", "SCRIPT-9", "--scan", unit_barcode(db, "MUG-CER-350"), "--weight", "1lb")
    before = rows(db)
    for sign_in in ((), ("--user", "packer")):
        code, out, err = cli(argv, *sign_in)
        assert (code, out) == (2, "") and err.startswith("error: "), err
        assert rows(db) == before
    code, out, err = cli(argv, "--user", "packer", "--pin", "2222")  # the manager's PIN
    assert (code, out, err) == (1, "", "error: Wrong PIN. Try again.\n")
    changed = {name for name, table in rows(db).items() if table != before[name]}
    assert changed - {"stations"} == {"users"}  # only the wrong PIN counted (the station named may be registered)


def test_sign_in_refusals_are_sentences(seeded_database: Database, cli: Cli) -> None:
    argv = CHANGES["site set-units"].argv
    attempts: list[tuple[tuple[str, ...], str]] = [
        (("--user", "nobody", "--pin", "3333"), "error: There is no active user called 'nobody'.\n"),
        (("--badge", "BADGE-9999"), "error: This badge is not known. Ask a manager to register it, or sign in with "
                                    "your PIN.\n"),
        (("--user", "owner", "--pin", "0000"), "error: Wrong PIN. Try again.\n"),
    ]
    for sign_in, said in attempts:
        assert cli(argv, *sign_in) == (1, "", said), sign_in
