"""``fulfilstation carriers …`` as an owner runs it, on SQLite and PostgreSQL: a carrier set
up from nothing (service, zone chart, rates, transit, account with a number range) is
offered and priced by rate shopping and issues tracking numbers from its range; an EasyPost
carrier is offered once ``set-key`` has put its key in the keyring (and nowhere else);
broken tables and overlapping ranges change nothing.

Most commands run in this process (``fulfilstation.cli.run``) so that they use the test's
in-memory keyring; ``list --json`` and the keyring-less case run as real processes."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fulfilstation.carriers.check_digits import ups_tracking
from fulfilstation.carriers.easypost_adapter import Address, EasyPostProblem, LabelRequest, adapter_for
from fulfilstation.carriers.numbering import issue_tracking_number, tracking_range
from fulfilstation.carriers.rating import Price, add_business_days
from fulfilstation.cli import run
from fulfilstation.credentials import SecretStore
from fulfilstation.db.base import Base
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange, ServiceRate
from fulfilstation.services.carriers.tables import TableRefused, parse_rates, read_rows
from fulfilstation.services.orders.quotes import quote
from tests.db.test_cli import ROOT, cli, plain
from tests.db.test_rating import MUG_AND_SOAP, WED, order_for
from tests.support.easypost_account import KEY
from tests.support.easypost_stub import EasyPostStub

DATA = Path(__file__).resolve().parents[1] / "data" / "carriers"


OWNER = ("--user", "owner", "--pin", "3333")
CHANGING = {"add-carrier", "add-service", "add-account", "add-range", "add-easypost", "set-key", "import-rates",
            "import-zones", "import-transit"}


class Carriers:
    """Runs ``fulfilstation carriers …`` against one database in this process; the commands
    that change something sign in as the owner (``sign_in``: other arguments, or none)."""

    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = plain(db.engine.url)
        self.capsys = capsys

    def __call__(self, *args: str, sign_in: tuple[str, ...] = OWNER) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = run(["carriers", *args, *(sign_in if args[0] in CHANGING else ()), "--db", self.url])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out


@pytest.fixture
def carriers(seeded_database: Database, capsys: pytest.CaptureFixture[str]) -> Carriers:
    return Carriers(seeded_database, capsys)


def offered(db: Database, number: str) -> set[str]:
    return {option.service for option in quote(db, number, today=WED).options}


def count(db: Database, model: type[Base]) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def rates_of(db: Database, service: str) -> dict[tuple[int, int], int]:
    carrier, code = service.split("/")
    with db.unit_of_work() as session:
        return {(r.zone, r.max_weight_g): r.price_minor for r in session.scalars(
            select(ServiceRate).join(CarrierService, CarrierService.id == ServiceRate.service_id).join(Carrier)
            .where(Carrier.code == carrier, CarrierService.code == code))}


def everything_stored(db: Database) -> str:
    """Every row of every table, as text."""
    with db.unit_of_work() as session:
        return "\n".join(repr(row) for table in Base.metadata.sorted_tables
                         for row in session.execute(select(table)).all())


def test_a_carrier_set_up_from_nothing_is_offered_priced_and_numbers_its_labels(
        seeded_database: Database, carriers: Carriers) -> None:
    db = seeded_database
    carriers.ok("add-carrier", "parcelco", "--name", "ParcelCo")
    carriers.ok("add-service", "parcelco/ground", "--name", "ParcelCo Ground", "--service-code", "03",
                "--fuel-percent", "10", "--residential", "2.00")
    out = carriers.ok("import-zones", "parcelco", str(DATA / "parcelco_zones.csv"), "--origin", "432",
                      "--column", "Ground")
    assert "5 ZIP prefix ranges (zones 2, 4, 5)" in out  # 967-968 has no Ground zone; the footnote is skipped
    out = carriers.ok("import-rates", "parcelco/ground", str(DATA / "parcelco_ground_rates.csv"))
    assert "32 prices (zones 2, 3, 4, 5, 6, 7, 8)" in out
    assert "No zone rules of parcelco lead to zones 3, 6, 7, 8 yet" in out
    carriers.ok("import-transit", "parcelco/ground", str(DATA / "parcelco_ground_transit.csv"))
    rates = rates_of(db, "parcelco/ground")
    assert (rates[(5, 454)], rates[(5, 1361)], rates[(2, 31751)], rates[(5, 31751)]) == (500, 700, 101000, 9999)
    assert (6, 4536) not in rates and len(rates) == 32  # empty cells are no rate

    number = order_for(db, MUG_AND_SOAP)  # to ZIP 62704: zone 5 from 432xx
    assert "parcelco/ground" not in offered(db, number)  # no account yet
    out = carriers.ok("add-account", "parcelco", "--number", "1a2b3c", "--name", "ParcelCo main",
                      "--origin-zip", "43219", "--range-kind", "ups", "--first", "1000", "--last", "1999")
    assert "Added account 1A2B3C (ParcelCo main) to parcelco, the default account." in out
    assert "ups numbers 1,000–1,999: 1,000 left" in out

    q = quote(db, number, today=WED)
    # 1025 g billable → the 3 lb break (1361 g) of zone 5: $7.00; residential $2.00; fuel 10 % of $7.00
    assert (q.service, q.price) == ("parcelco/ground", Price(700, 200, 70, 970, "USD", 1025))
    assert q.arrives == add_business_days(WED, 3) and q.reason == "cheapest; no delivery date promised"
    with db.unit_of_work() as session:
        account = session.scalars(select(CarrierAccount).where(CarrierAccount.account_number == "1A2B3C")).one()
        service = session.scalars(select(CarrierService).where(CarrierService.name == "ParcelCo Ground")).one()
        number_range = tracking_range(session, account)
        assert number_range is not None and account.is_default
        tracking = issue_tracking_number(session, account, service, number_range)
    assert tracking == ups_tracking("1A2B3C", "03", 1000) and tracking.startswith("1Z1A2B3C030001000")


def test_an_easypost_carrier_is_offered_once_set_key_stored_its_key(
        seeded_database: Database, carriers: Carriers, stub: EasyPostStub, monkeypatch: pytest.MonkeyPatch) -> None:
    db = seeded_database
    out = carriers.ok("add-easypost", "--code", "ep-test", "--name", "USPS (EasyPost)", "--easypost-carrier",
                      "USPS", "--service", "priority:USPS Priority Mail:Priority", "--carrier-account",
                      "ca_stub", "--api-base", stub.base_url)
    assert "set-key ep-test/ca_stub" in out
    number = order_for(db, [("MUG-CER-350", 1)])
    assert "ep-test/priority" not in offered(db, number)  # no key yet
    with db.unit_of_work() as session:
        account = session.scalars(select(CarrierAccount).join(Carrier).where(Carrier.code == "ep-test")).one()
        name, settings = account.name, dict(account.settings)
    assert settings == {"easypost_carrier": "USPS", "easypost_carrier_account": "ca_stub", "api_base": stub.base_url}
    with pytest.raises(EasyPostProblem) as missing:
        adapter_for(name, None, settings)
    told = re.search(r"fulfilstation carriers set-key \"([^\"]+)\"", str(missing.value))
    assert told is not None  # the message names the command; run exactly that

    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY + "\n"))
    code, out, err = carriers("set-key", told.group(1))
    assert code == 0, err
    assert "is stored in this computer's password store (entry easypost:ep-test)" in out
    assert KEY not in out + err and KEY not in everything_stored(db)
    assert SecretStore().get("easypost:ep-test") == KEY
    assert "ep-test/priority" in offered(db, number)

    with db.unit_of_work() as session:
        keyring_name = session.scalars(select(CarrierAccount.keyring_name).join(Carrier)
                                       .where(Carrier.code == "ep-test")).one()
    adapter = adapter_for(name, keyring_name, settings)  # the key as the packing station will read it
    home = Address("FulfilStation", "1 Dock St", "Columbus", "43219", "US", state="OH")
    to = Address("Pat Doe", "2 Main St", "Springfield", "62704", "US", state="IL")
    shipment = adapter.create_shipment(LabelRequest("CARRIERS-CLI-1", home, to, 500, carrier_account_id="ca_stub"))
    label = adapter.buy(shipment, settings["easypost_carrier"], "Priority")
    assert (label.carrier, label.service, label.cost_minor) == ("USPS", "Priority", 985)


def test_set_key_refuses_what_it_cannot_store(seeded_database: Database, carriers: Carriers,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("EZAKsomething\n"))
    code, _out, err = carriers("set-key", "ups/0W1X23")
    assert code == 1 and "needs no API key" in err
    carriers.ok("add-easypost", "--code", "ep-ups", "--name", "UPS (EasyPost)", "--easypost-carrier", "UPS",
                "--service", "ground:UPS Ground:Ground")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = carriers("set-key", "ep-ups/easypost", "--stdin")
    assert code == 2 and "No API key was given" in err
    assert SecretStore().get("easypost:ep-ups") is None


def test_without_a_keyring_set_key_says_so_and_stores_nothing(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    assert cli("carriers", "add-easypost", "--code", "ep-usps", "--name", "USPS (EasyPost)", "--easypost-carrier",
               "USPS", "--service", "priority:USPS Priority Mail:Priority", "--db", url, *OWNER).returncode == 0
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "carriers", "set-key", "ep-usps/easypost",
                             "--db", url, *OWNER], input=KEY + "\n", capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 1 and "No password store" in result.stderr
    assert "The API key was not stored." in result.stderr and KEY not in result.stdout + result.stderr
    with db.unit_of_work() as session:
        assert session.scalars(select(CarrierAccount.keyring_name).join(Carrier)
                               .where(Carrier.code == "ep-usps")).one() is None


def test_a_rate_file_with_broken_lines_imports_nothing(seeded_database: Database, carriers: Carriers,
                                                       tmp_path: Path) -> None:
    db = seeded_database
    before = rates_of(db, "ups/ground")
    broken = tmp_path / "ground.csv"
    broken.write_text("weight_kg,Zone 2,zone_3,Zone 004\n"
                      "0.5,$8.42,,9.10\n"
                      "1,$9.00,7.2x,\n"
                      "\n"
                      "heavy,$1.00,$2.00,$3.00\n"
                      "2,10.00,11.00,12.00,13.00\n"
                      "1,$9.50,,\n", encoding="utf-8")
    code, out, err = carriers("import-rates", "ups/ground", str(broken), "--replace")
    assert code == 1 and out == ""
    assert "Nothing was imported" in err
    assert "line 3: zone_3: '7.2x' is not a price" in err
    assert "line 5: 'heavy' is not a weight" in err
    assert "line 6: 5 cells, but the header has 4 columns" in err
    assert "line 7: the weight 1 is already on line 3" in err
    assert rates_of(db, "ups/ground") == before  # --replace too: nothing removed

    good = tmp_path / "good.csv"
    good.write_text("weight_kg,Zone 2,zone_3,Zone 004\n0.5,$8.42,,9.10\n1,$9.00,$9.20,\n", encoding="utf-8")
    code, _out, err = carriers("import-rates", "ups/ground", str(good))
    assert code == 1 and "already has rates (63 rows)" in err and "--replace" in err
    out = carriers.ok("import-rates", "ups/ground", str(good), "--replace")
    assert "4 prices (zones 2, 3, 4), replacing 63 old rows" in out
    assert rates_of(db, "ups/ground") == {(2, 500): 842, (4, 500): 910, (2, 1000): 900, (3, 1000): 920}


def test_zone_and_transit_files_with_broken_lines_import_nothing(seeded_database: Database, carriers: Carriers,
                                                                 tmp_path: Path) -> None:
    zones = tmp_path / "zones.csv"
    zones.write_text("origin,dest_from,dest_to,zone\n432,600,629,5\n432,620,625,6\n432,63,6,5\n,9,9,8\n")
    code, _out, err = carriers("import-zones", "courier", str(zones))
    assert code == 1
    assert "line 3: ZIP prefixes 620–625 overlap 600–629 on line 2" in err
    assert "line 4: '63–6' is not a range of ZIP prefixes" in err
    transit = tmp_path / "transit.csv"
    transit.write_text("Zone,Transit days\n2,1\nZone 3,two\n2,3\n")
    code, _out, err = carriers("import-transit", "courier/local", str(transit), "--replace")
    assert code == 1 and "line 3: 'two' is not a number of business days" in err
    assert "line 4: zone 2 is already on line 2" in err
    info = next(c for c in json.loads(_list_json(seeded_database)) if c["code"] == "courier")
    assert info["zone_rules"] == 10 and info["services"][0]["transit_zones"] == [2, 3, 4, 5, 6, 7, 8]


def test_overlapping_and_duplicate_ranges_are_refused(seeded_database: Database, carriers: Carriers) -> None:
    db = seeded_database
    ranges = count(db, NumberRange)
    # FedEx Express numbers carry no account: any overlap with the demo range (10e9–2e10−1) collides
    code, _out, err = carriers("add-account", "fedex", "--number", "123456789", "--name", "FedEx 2",
                               "--range-kind", "fedex-express", "--first", "19,999,999,000",
                               "--last", "20,000,000,000")
    assert code == 1
    assert ("The fedex-express range 19,999,999,000–20,000,000,000 overlaps numbers 10,000,000,000–19,999,999,999 "
            "of account 510087020 (FedEx demo account, carrier fedex)") in err
    # the same GS1 company prefix and extension digit on another carrier collides; another extension digit does not
    carriers.ok("add-carrier", "pallets", "--name", "Pallet Freight")
    code, _out, err = carriers("add-account", "pallets", "--number", "0614141", "--name", "Pallets",
                               "--range-kind", "sscc", "--first", "500", "--last", "600")
    assert code == 1 and "overlaps numbers 1–999,999,999 of account 0614141" in err
    assert count(db, NumberRange) == ranges and count(db, CarrierAccount) == 4  # the refused accounts are not kept
    carriers.ok("add-account", "pallets", "--number", "0614141", "--name", "Pallets", "--range-kind", "sscc",
                "--prefix", "1", "--first", "500", "--last", "600")
    # a UPS range is per shipper number: another shipper's 1–9,999,999 is fine, the same shipper's is not
    carriers.ok("add-account", "ups", "--number", "9Z8Y7X", "--name", "UPS east", "--range-kind", "ups",
                "--first", "1", "--last", "9999999")
    code, _out, err = carriers("add-range", "ups/0W1X23", "--range-kind", "ups", "--first", "10", "--last", "20")
    assert code == 1 and "already has a ups range" in err and "--replace" in err
    with db.unit_of_work() as session:  # the demo account has used numbers 1–41
        demo = session.scalars(select(NumberRange).join(CarrierAccount)
                               .where(CarrierAccount.account_number == "0W1X23")).one()
        demo.next_value = 42
    code, _out, err = carriers("add-range", "ups/0W1X23", "--range-kind", "ups", "--first", "41", "--last", "99",
                               "--replace")
    assert code == 1 and "starts at 42 or later" in err
    out = carriers.ok("add-range", "ups/0W1X23", "--range-kind", "ups", "--first", "42", "--last", "99", "--replace")
    assert "ups numbers 42–99: 58 left" in out
    assert count(db, NumberRange) == ranges + 2


@pytest.mark.parametrize(("carrier", "number", "kind", "problem"), [
    ("ups", "0W1X2", "ups", "a UPS shipper number is 6 letters or digits"),
    ("ups", "0W1X2!", None, "a UPS shipper number is 6 letters or digits"),
    ("usps", "12345678", None, "a USPS mailer id (MID) is 6 or 9 digits"),
    ("usps", "123456", "usps-impb 1 99999999999", "lies within 0–9,999,999,999"),
    ("fedex", "51008702", None, "a FedEx account number is 9 digits"),
    ("courier", "06141A1", "sscc", "your GS1 company prefix, 4 to 12 digits"),
    ("courier", "765432", "ups", "Service local's code 'LOC' cannot go in a UPS tracking number"),
])
def test_account_numbers_must_fit_the_carriers_numbering(seeded_database: Database, carriers: Carriers,
                                                         carrier: str, number: str, kind: str | None,
                                                         problem: str) -> None:
    accounts = count(seeded_database, CarrierAccount)
    kind, first, last = (kind.split() + ["1", "9"])[:3] if kind else (None, "1", "9")
    numbering = ["--range-kind", kind, "--first", first, "--last", last] if kind else []
    code, _out, err = carriers("add-account", carrier, "--number", number, "--name", "Another", *numbering)
    assert code == 1 and problem in err
    assert count(seeded_database, CarrierAccount) == accounts
    carriers.ok("add-account", "usps", "--number", "123456", "--name", "Six-digit MID")  # fine without a range


def test_rate_tables_in_the_shapes_carriers_publish() -> None:
    """No database: headers, units, money and encodings as they come from spreadsheets."""
    semicolons = "\ufeffweight_g;Zone 002;2;zone_3\r\n250;€4,00;;\r\n".encode()
    with pytest.raises(TableRefused, match="zone 2 has two columns"):
        parse_rates(read_rows(semicolons), "EUR")
    windows = "Weight (oz);Zone 5;Zone 6\r\n8;€4.00;4.50 EUR\r\n16;1.234,00;-\r\n".encode("cp1252")
    with pytest.raises(TableRefused) as refused:
        parse_rates(read_rows(windows), "EUR")
    assert refused.value.problems == [(3, "Zone 5: '1.234,00' is not a price: write it like 8.42 or $8.42")]
    windows = windows.replace(b"1.234,00", b"1,234.00")
    assert parse_rates(read_rows(windows), "EUR") == [(2, 5, 227, 400), (2, 6, 227, 450), (3, 5, 454, 123400)]
    with pytest.raises(TableRefused) as refused:  # the yen has no minor unit
        parse_rates(read_rows("weight_kg,Zone 1\n0.5,¥1900\n2,2100.5\n".encode()), "JPY")
    assert refused.value.problems == [(3, "Zone 1: '2100.5' is not a price: write it like 8.42 or $8.42")]
    assert parse_rates(read_rows("kg,1\n0.5,¥1900\n".encode()), "JPY") == [(2, 1, 500, 1900)]


def _list_json(db: Database) -> str:
    result = cli("carriers", "list", "--json", "--db", plain(db.engine.url))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_list_json_shows_accounts_ranges_and_key_state_never_the_key(seeded_database: Database,
                                                                     carriers: Carriers) -> None:
    db = seeded_database
    carriers.ok("add-easypost", "--code", "ep-usps", "--name", "USPS (EasyPost)", "--easypost-carrier", "USPS",
                "--service", "priority:USPS Priority Mail:Priority", "--service",
                "ground:USPS Ground Advantage:GroundAdvantage")
    listed = json.loads(_list_json(db))
    assert [c["code"] for c in listed] == ["courier", "ep-usps", "fedex", "ups", "usps"]
    assert all(set(c) == {"code", "name", "kind", "active", "zone_rules", "services", "accounts"} for c in listed)
    ups = next(c for c in listed if c["code"] == "ups")
    assert set(ups["services"][0]) == {"service", "name", "service_code", "currency", "active", "dim_divisor",
                                       "fuel_surcharge_bp", "residential_surcharge_minor", "rates", "rate_zones",
                                       "transit_zones"}
    assert ups["services"][0]["service"] == "ups/ground" and ups["services"][0]["rates"] == 63
    account = ups["accounts"][0]
    assert set(account) == {"id", "gateway", "gateway_carrier", "account_number", "name", "default", "active",
                            "origin_postal_code", "api_key", "keyring_name", "number_ranges", "settings"}
    assert (account["account_number"], account["default"], account["api_key"]) == ("0W1X23", True, "not-needed")
    assert (account["gateway"], account["gateway_carrier"]) == ("local", None)
    assert account["number_ranges"] == [{"kind": "ups", "prefix": "", "first": 1, "next": 1, "last": 9_999_999,
                                         "left": 9_999_999}]
    easypost = next(c for c in listed if c["code"] == "ep-usps")
    assert easypost["kind"] == "api" and [s["service_code"] for s in easypost["services"]] == ["Priority",
                                                                                               "GroundAdvantage"]
    assert (easypost["accounts"][0]["api_key"], easypost["accounts"][0]["keyring_name"]) == ("missing", None)

    # in this process the keyring is the test's: once the key is stored, list says so and never shows it
    SecretStore().set("easypost:ep-usps", KEY)
    with db.unit_of_work() as session:
        session.scalars(select(CarrierAccount).join(Carrier).where(Carrier.code == "ep-usps")).one() \
            .keyring_name = "easypost:ep-usps"
    code, out, _err = carriers("list", "--json")
    assert code == 0 and KEY not in out
    assert next(c for c in json.loads(out) if c["code"] == "ep-usps")["accounts"][0]["api_key"] == "stored"
    text = carriers.ok("list")
    assert "* 0W1X23  UPS demo account  from 43219  ups range 1–9,999,999: 9,999,999 left" in text
    assert "API key: stored on this computer" in text and KEY not in text
