"""``fulfilstation site …`` as an owner runs it (real processes, SQLite and PostgreSQL): the
ship-from address reaches the labels, units and tolerance reach the station's checks, a
bad value is refused in words with nothing stored, and every change is the signed-in
owner's (``--user`` and ``--pin``), named in the audit log."""

from __future__ import annotations

import json

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.packing.loading import site_tolerance
from fulfilstation.services.shipping.carrier_choice import ship_from
from fulfilstation.services.site.settings import site_settings
from tests.db.test_cli import cli, plain
from tests.support.warehouse import user_id

OWNER = ("--user", "owner", "--pin", "3333")


def test_the_ship_from_address_reaches_the_labels(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    result = cli("site", "set-address", "--db", url, "--name", "Ōsaka Trading Co", "--line1", "77 Harbor Rd",
                 "--line2", "Dock 3", "--city", "Portland", "--region", "or", "--postal-code", "97209",
                 "--country", "us", "--phone", "+1 503 555 0199", *OWNER)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Ship-from address saved: Ōsaka Trading Co, 77 Harbor Rd, Dock 3, Portland, OR, 97209, "
                             "US, +1 503 555 0199\n")
    with db.unit_of_work() as session:
        assert ship_from(session) == ("Ōsaka Trading Co", "77 Harbor Rd", "Dock 3", "Portland OR 97209", "US")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.ship_from_changed")).one()
        assert entry.details["from"]["name"] == "Demo Goods Warehouse" and entry.details["to"]["region"] == "OR"
        assert (entry.user_id, entry.details["by"], entry.details["via"]) == (user_id(db, "owner"), "owner", "pin")
    shown = json.loads(cli("site", "show", "--json", "--db", url).stdout)
    assert shown["ship_from"] == {"name": "Ōsaka Trading Co", "line1": "77 Harbor Rd", "line2": "Dock 3",
                                  "city": "Portland", "region": "OR", "postal_code": "97209", "country": "US",
                                  "phone": "+1 503 555 0199"}


def test_an_incomplete_or_wrong_address_is_refused_and_nothing_changes(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    before = site_settings(db)["ship_from"]
    for extra, problem in ((["--country", "USA", "--region", "OR"], "two-letter ISO code"),
                           (["--country", "US"], "two-letter state"),
                           (["--country", "US", "--region", "OR", "--city", " "], "needs its city")):
        args = ["--name", "X", "--line1", "1 Main St", "--city", "Portland", "--postal-code", "97209", *extra]
        result = cli("site", "set-address", "--db", url, *args, *OWNER)
        assert result.returncode == 1 and problem in result.stderr, (extra, result.stderr)
    assert site_settings(db)["ship_from"] == before


def test_units_and_tolerance_reach_the_station(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    units = cli("site", "set-units", "--db", url, "--weight", "kg", *OWNER)
    assert units.stdout.strip() == "Weights are shown in kg.", units.stderr
    assert cli("site", "set-tolerance", "--db", url, "--grams", "80", "--percent", "3", *OWNER).returncode == 0
    refused = cli("site", "set-tolerance", "--db", url, "--grams", "80", "--percent", "75", *OWNER)
    assert refused.returncode == 1 and "between 0 and 50" in refused.stderr
    assert site_settings(db)["units"]["weight"] == "kg"
    with db.unit_of_work() as session:
        tolerance = site_tolerance(session)
    assert (tolerance.grams, tolerance.percent) == (80, 3.0)
    with db.unit_of_work() as session:
        changes = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ("site.units_changed", "site.weight_tolerance_changed"))).order_by(AuditEntry.id)).all()
        assert [(entry.action, entry.user_id) for entry in changes] == [
            ("site.units_changed", user_id(db, "owner")), ("site.weight_tolerance_changed", user_id(db, "owner"))]


def test_only_a_signed_in_owner_changes_the_site(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    before = site_settings(db)
    unsigned = cli("site", "set-tolerance", "--db", url, "--grams", "80", "--percent", "3")
    assert unsigned.returncode == 2 and "sign in with --user NAME and --pin PIN" in unsigned.stderr
    no_pin = cli("site", "set-tolerance", "--db", url, "--grams", "80", "--percent", "3", "--user", "owner")
    assert no_pin.returncode == 2 and "needs a PIN" in no_pin.stderr  # no terminal to ask on
    packer = cli("site", "set-tolerance", "--db", url, "--grams", "80", "--percent", "3", "--user", "packer",
                 "--pin", "1111")
    assert packer.returncode == 1
    assert packer.stderr == ("error: Pat Packer is a packer: only an owner can change the site settings. Ask one to "
                             "do it, or to sign in here.\n")
    manager = cli("site", "set-units", "--db", url, "--weight", "kg", "--badge", "BADGE-0002")
    assert manager.returncode == 1 and "Morgan Manager is a manager: only an owner can" in manager.stderr
    wrong_pin = cli("site", "set-units", "--db", url, "--weight", "kg", "--user", "owner", "--pin", "1111")
    assert wrong_pin.returncode == 1 and wrong_pin.stderr == "error: Wrong PIN. Try again.\n"
    assert site_settings(db) == before
    with db.unit_of_work() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("site.%"))).all() == []


def test_partial_shipments_are_turned_on_and_off_by_the_owner(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    on = cli("site", "set-partial-shipments", "on", "--db", url, *OWNER)
    assert on.returncode == 0, on.stderr
    assert on.stdout == ("Partial shipments are on: an order that cannot be fully reserved ships what is in stock, "
                         "and the rest waits as a backorder of its own.\n")
    assert site_settings(db)["partial_shipments"] is True
    assert "\nPartial shipments are on: an order that cannot be fully reserved ships what is in stock" in cli(
        "site", "show", "--db", url).stdout
    refused = cli("site", "set-partial-shipments", "off", "--db", url, "--user", "manager", "--pin", "2222")
    assert refused.returncode == 1 and refused.stderr.startswith("error: ")
    assert site_settings(db)["partial_shipments"] is True
    off = cli("site", "set-partial-shipments", "off", "--db", url, *OWNER)
    assert off.stdout == ("Partial shipments are off: an order that cannot be fully reserved waits whole as a "
                          "backorder.\n")
    assert site_settings(db)["partial_shipments"] is False
    with db.unit_of_work() as session:
        changes = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "site.partial_shipments_changed").order_by(AuditEntry.id)).all()
    assert [(c["from"], c["to"], c["by"]) for c in changes] == [(None, True, "owner"), (True, False, "owner")]


def test_the_owner_sets_what_the_reports_need(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    done = cli("site", "set-reports", "--db", url, "--time-zone", "America/Chicago", "--target", "ready=20",
               "--target", "shipped=90", "--labour-rate", "18.50", *OWNER)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("Reports: the site's days are America/Chicago days; targets "
                                   "received → ready 20 min, ready → picked 120 min, picked → packed 60 min, "
                                   "packed → shipped 90 min; "
                                   "packing labour $18.50 an hour.")
    stored = site_settings(seeded_database)["reports"]
    assert stored == {"time_zone": "America/Chicago", "targets": {"ready": 20, "picked": 120, "packed": 60,
                                                                  "shipped": 90},
                      "labour_rate_minor": 1850, "currency": "USD"}
    again = cli("site", "set-reports", "--db", url, "--target", "picked=45", *OWNER)  # the rest stays
    assert again.returncode == 0 and site_settings(seeded_database)["reports"]["targets"]["picked"] == 45
    assert site_settings(seeded_database)["reports"]["time_zone"] == "America/Chicago"
    nowhere = cli("site", "set-reports", "--db", url, "--time-zone", "Mars/Olympus", *OWNER)
    assert nowhere.returncode == 1 and "'Mars/Olympus' is not a time zone" in nowhere.stderr
    bad = cli("site", "set-reports", "--db", url, "--target", "lunch=30", *OWNER)
    assert bad.returncode != 0 and "write STEP=MINUTES" in bad.stderr
    manager = cli("site", "set-reports", "--db", url, "--labour-rate", "1", "--user", "manager", "--pin", "2222")
    assert manager.returncode == 1 and "only an owner" in manager.stderr
    assert site_settings(seeded_database)["reports"]["labour_rate_minor"] == 1850
    with seeded_database.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action == "site.reports_changed")).all()
    assert len(actions) == 2
