"""``fulfilstation pack`` and ``orders`` as scripts use them (real processes, both engines).

``pack`` signs the packer in (``--user`` and ``--pin``) and ships through the same use case
as the station window: the label goes to the station's printer — this PC's ``station.toml``
printer for its own station, the station's recorded printer for another, or
``--label-printer`` — here the ZPL printer simulator on TCP; the packing slip goes to the
document printer or, without one, into the data folder's ``documents/``; a label bought
from EasyPost (the local stub) is bought after the commit and printed the same way."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, PackSession, ScanEvent, Shipment, Station
from fulfilstation.domain.gs1 import is_valid_gs1
from fulfilstation.services.stations.registry import register_station
from fulfilstation.settings import DeviceSettings, StationSettings, save_settings
from tests.db.test_cli import cli, plain
from tests.support.app import app_for
from tests.support.easypost_account import KEY, KEYRING_NAME, SERVICE, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.pdf import pdf_text
from tests.support.warehouse import make_order, unit_barcode, user_id

PACKER = ("--user", "packer", "--pin", "1111")
STUB_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
                "FULFIL_STUB_KEYRING": json.dumps({KEYRING_NAME: KEY})}  # the command's keyring holds the key
HERE = "PACK-CLI"  # this PC's station, as its station.toml names it


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def no_pin_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FULFIL_PIN", raising=False)


def order_json(url: str, number: str) -> dict[str, object]:
    result = cli("orders", "show", number, "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_orders_json_has_the_documented_keys(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    listing = json.loads(cli("orders", "list", "--status", "ready", "--json", "--db", url).stdout)
    assert len(listing) == 48 and all(not order["hold"] for order in listing)
    held = json.loads(cli("orders", "list", "--status", "held", "--json", "--db", url).stdout)
    assert len(held) == 2 and all(order["hold_reason"] for order in held)
    order = listing[0]
    assert {"number", "status", "carrier", "service", "lines", "suggested_box", "expected_weight_g"} <= set(order)
    assert set(order["expected_weight_g"]) == {"min", "max"}
    line = order["lines"][0]
    assert {"sku", "quantity", "barcodes", "unit_weight_g"} <= set(line)
    assert isinstance(line["barcodes"], list) and all(isinstance(code, str) for code in line["barcodes"])
    assert cli("orders", "show", "NOPE", "--db", url).returncode == 1


def test_pack_command_ships_with_the_documented_data(seeded_database: Database,
                                                    printer: ZplPrinterSimulator) -> None:
    url = plain(seeded_database.engine.url)
    number = make_order(seeded_database, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)], service="courier/local")
    info = order_json(url, number)
    scans = [code for line in info["lines"] for code in [line["barcodes"][0]] * line["quantity"]]  # type: ignore[index]
    weight = (info["expected_weight_g"]["min"] + info["expected_weight_g"]["max"]) // 2  # type: ignore[index]
    args = ["pack", number, "--station", "SCRIPT-1", *PACKER, "--weight", f"{weight}g", "--db", url,
            "--label-printer", printer.uri]
    for code in scans:
        args += ["--scan", code]
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    tracking = result.stdout.strip()
    assert len(tracking) == 18 and is_valid_gs1(tracking)
    [label] = printer.wait_for_jobs(1)
    assert tracking.encode() in label and f"Label printed on {printer.uri}." in result.stderr
    shipped = order_json(url, number)
    assert shipped["status"] == "shipped" and shipped["tracking_numbers"] == [tracking]
    assert shipped["carrier"] == "courier"
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Station).where(Station.name == "SCRIPT-1")) == 1
        assert session.scalar(select(Shipment.tracking_number)) == tracking


def test_pack_command_refusal_cancels_and_keeps_only_the_scans(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    info = order_json(url, number)
    good = info["lines"][0]["barcodes"][0]  # type: ignore[index]
    result = cli("pack", number, "--station", "SCRIPT-2", *PACKER, "--scan", good, "--scan", good,
                 "--weight", "1lb", "--db", url)
    assert result.returncode == 1 and "Too many Ceramic Mug" in result.stderr
    with seeded_database.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert session.scalars(select(PackSession.status)).all() == ["cancelled"]
        assert session.scalar(select(func.count()).select_from(ScanEvent)) == 2
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0
    weight_refused = cli("pack", number, "--station", "SCRIPT-2", *PACKER, "--scan", good,
                         "--weight", "5kg", "--db", url)
    assert weight_refused.returncode == 1 and "heavier than expected" in weight_refused.stderr
    assert "--accept-weight-by NAME --accept-weight-pin PIN --accept-weight-reason TEXT" in weight_refused.stderr


def test_a_manager_accepts_a_weight_with_a_reason(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    mug = unit_barcode(seeded_database, "MUG-CER-350")
    light = ["pack", number, "--station", "SCRIPT-3", *PACKER, "--scan", mug, "--weight", "30g", "--db", url]
    manager = ["--accept-weight-by", "manager", "--accept-weight-pin", "2222"]
    no_reason = cli(*light, *manager)
    assert no_reason.returncode == 2 and "--accept-weight-reason" in no_reason.stderr
    no_manager = cli(*light, "--accept-weight-reason", "Scale checked")
    assert no_manager.returncode == 2 and "--accept-weight-by" in no_manager.stderr
    a_packer = cli(*light, "--accept-weight-by", "packer2", "--accept-weight-pin", "4444",
                   "--accept-weight-reason", "Scale checked")
    assert a_packer.returncode == 1 and "only a manager or an owner can accept" in a_packer.stderr
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0
    shipped = cli(*light, *manager, "--accept-weight-reason", "Substitute item approved")
    assert shipped.returncode == 3, shipped.stderr  # no label printer: label pending
    assert "Weight accepted by Morgan Manager at " in shipped.stderr and "light): Substitute item approved" \
        in shipped.stderr
    with seeded_database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "weight.override")).one()
        assert entry.details["reason"] == "Substitute item approved" and entry.details["measured_g"] == 30
    history = cli("orders", "history", number, "--db", url)
    assert "Weight accepted by Morgan Manager at" in history.stdout and "Substitute item approved" in history.stdout


def test_pack_command_refuses_held_orders_and_bad_weights(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    held = make_order(seeded_database, [("MUG-CER-350", 1)], hold="Fraud check")
    result = cli("pack", held, "--station", "S", *PACKER, "--weight", "1lb", "--db", url)
    assert result.returncode == 1 and "on hold: Fraud check" in result.stderr
    bad = cli("pack", held, "--station", "S", *PACKER, "--weight", "heavy", "--db", url)
    assert bad.returncode == 2 and "is not a weight" in bad.stderr


def one_mug(db: Database, service: str | None = None) -> tuple[str, list[str]]:
    """A ready order of one mug and the ``pack`` arguments that scan and weigh it."""
    number = make_order(db, [("MUG-CER-350", 1)], service=service)
    expected = app_for(db).orders.show(number).expected_weight_g
    assert expected is not None
    weight = (expected["min"] + expected["max"]) // 2
    return number, ["--scan", unit_barcode(db, "MUG-CER-350"), "--weight", f"{weight}g"]


def this_pc(label_printer: str) -> None:
    """This PC's station.toml: station HERE with ``label_printer`` (as the Device settings save it)."""
    save_settings(StationSettings(station_name=HERE, devices=DeviceSettings(label_printer=label_printer)))


def shipment_of(db: Database, number: str) -> Shipment:
    with db.unit_of_work() as session:
        shipment = session.scalars(select(Shipment).join(Order, Order.id == Shipment.order_id)
                                   .where(Order.number == number)).one()
        session.expunge(shipment)
    return shipment


def test_pack_prints_on_this_pcs_printer_and_saves_the_slip(seeded_database: Database,
                                                            printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    this_pc(printer.uri)
    number, scans = one_mug(db)
    unsigned = cli("pack", number, "--user", "packer", *scans, "--db", url)  # no PIN, no terminal to ask on
    assert unsigned.returncode == 2 and "needs a PIN" in unsigned.stderr and unsigned.stdout == ""
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(PackSession)) == 0
        assert session.scalar(select(func.count()).select_from(Station).where(Station.name == HERE)) == 0

    result = cli("pack", number, *PACKER, *scans, "--db", url)  # no --station: this PC's
    assert result.returncode == 0, result.stderr
    tracking = result.stdout.strip()
    [label] = printer.wait_for_jobs(1)
    assert is_valid_gs1(tracking) and tracking.encode() in label
    slip = tmp_path / "documents" / HERE / f"packing-slip-{number}.pdf"
    assert result.stderr.splitlines()[-2:] == [f"Label printed on {printer.uri}.",
                                               f"No document printer: packing slip saved to {slip}"]
    text = pdf_text(slip.read_bytes(), tmp_path)
    assert number in text and tracking in text
    shipment = shipment_of(db, number)
    with db.unit_of_work() as session:
        here = session.scalars(select(Station.id).where(Station.name == HERE)).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.created")).one()
        assert (entry.user_id, entry.station_id, entry.details["by"]) == (user_id(db, "packer"), here, "packer")
    assert (shipment.status, shipment.station_id, shipment.tracking_number) == ("printed", here, tracking)


def test_the_label_printer_option_and_another_stations_printer(seeded_database: Database,
                                                               printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    this_pc(printer.uri)
    slips = tmp_path / "slips"
    with ZplPrinterSimulator() as given, ZplPrinterSimulator() as bench:
        number, scans = one_mug(db)
        result = cli("pack", number, *PACKER, *scans, "--label-printer", given.uri, "--document-printer",
                     f"pdf://{slips}", "--db", url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().encode() in given.wait_for_jobs(1)[0]
        assert result.stderr.splitlines()[-2:] == [f"Label printed on {given.uri}.", "Packing slip printed."]
        [slip] = slips.glob("*.pdf")
        assert number in pdf_text(slip.read_bytes(), tmp_path)

        register_station(db, "BENCH-2", scanner="wedge:", scale=None, label_printer=bench.uri, document_printer=None)
        number, scans = one_mug(db)
        there = cli("pack", number, "--station", "BENCH-2", *PACKER, *scans, "--db", url)
        assert there.returncode == 0, there.stderr
        assert there.stdout.strip().encode() in bench.wait_for_jobs(1)[0]
        assert f"Label printed on {bench.uri}." in there.stderr  # the printer recorded for that station
        assert len(given.jobs) == 1
    assert printer.jobs == []  # this PC's printer is its own station's only
    assert shipment_of(db, number).station_id is not None


def test_a_label_that_did_not_print_exits_3_and_the_reprint_it_names_prints_it(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    with ZplPrinterSimulator(state="paper-out") as empty:
        this_pc(empty.uri)
        number, scans = one_mug(db)
        result = cli("pack", number, *PACKER, *scans, "--db", url)
        assert empty.jobs == [] and result.returncode == 3
        tracking = result.stdout.strip()
        assert is_valid_gs1(tracking)  # shipped: the tracking number is the script's to keep
        assert "Shipped, but the label was not printed:" in result.stderr and "out of labels" in result.stderr
        shipment = shipment_of(db, number)
        assert (shipment.status, shipment.tracking_number) == ("label-pending", tracking)
        assert order_json(url, number)["status"] == "shipped"
        advice = re.search(r"fulfilstation (shipments reprint \S+)", result.stderr)  # what it says to run
        assert advice is not None and advice.group(1) == f"shipments reprint {number}"
        empty.state = "ok"  # a new roll
        again = cli(*advice.group(1).split(), *PACKER, "--db", url)
        assert again.returncode == 0, again.stdout + again.stderr
        [label] = empty.wait_for_jobs(1)
        assert tracking.encode() in label  # the same label: no second tracking number
    assert shipment_of(db, number).status == "printed"


def test_pack_buys_an_easypost_label_and_prints_it(seeded_database: Database, printer: ZplPrinterSimulator,
                                                   stub: EasyPostStub, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    add_easypost_account(db, stub, price_minor=900)  # its key in the keyring the command reads (STUB_KEYRING)
    this_pc(printer.uri)
    number, scans = one_mug(db, service=SERVICE)
    assert app_for(db).orders.quote(number).service == SERVICE  # the order is routed to EasyPost
    result = cli("pack", number, *PACKER, *scans, "--db", url, env=STUB_KEYRING)
    assert result.returncode == 0, result.stderr
    shipment = shipment_of(db, number)
    bought = stub.shipments[shipment.external_id or ""]
    assert result.stdout == f"{bought['tracking_code']}\n" and stub.purchases == 1
    assert (shipment.tracking_number, shipment.status, shipment.cost_minor) == (bought["tracking_code"], "printed",
                                                                                985)
    [label] = printer.wait_for_jobs(1)
    assert label == f"^XA^FO50,50^BCN,100,Y,N,N^FD{bought['tracking_code']}^FS^XZ".encode()  # as EasyPost sent it
    assert f"Label printed on {printer.uri}." in result.stderr
    slip = tmp_path / "documents" / HERE / f"packing-slip-{number}.pdf"
    assert bought["tracking_code"] in pdf_text(slip.read_bytes(), tmp_path)
    with db.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "shipment",
                                                                  AuditEntry.entity_id == shipment.id)
                                  .order_by(AuditEntry.id)).all()
        created, bought_by = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "shipment")
                                             .order_by(AuditEntry.id)).all()
        here = session.scalars(select(Station.id).where(Station.name == HERE)).one()
    assert actions == ["shipment.created", "shipment.label_bought"]
    assert (created.user_id, created.station_id, created.details["by"]) == (user_id(db, "packer"), here, "packer")
    assert (bought_by.user_id, bought_by.station_id) == (user_id(db, "packer"), here)  # who spent the money
