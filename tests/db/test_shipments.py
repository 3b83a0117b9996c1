"""After the commit: printing, reprinting and voiding shipments (real TCP printer simulator)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Shipment, ShippedSerial
from fulfilstation.services.packing import (
    PackRefused,
    Weighing,
    last_shipment_of_station,
    print_shipment,
    scan_item,
    ship,
    start_pack,
    void_shipment,
)
from tests.db.test_packing import expected_weight
from tests.support.warehouse import make_order, station_id, stock_of, unit_barcode, user_id
from tests.support.zpl import decode_barcodes, render_zpl


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def packed(db: Database, lines: list[tuple[str, int]], serials: list[str] | None = None,
           service: str | None = None) -> int:
    number = make_order(db, lines, service=service)
    session_id = start_pack(db, number, station_id(db), user_id(db)).session_id
    for sku, quantity in lines:
        for index in range(quantity):
            code = unit_barcode(db, sku)
            scan_item(db, session_id, code if not serials else f"]C101{code}21{serials[index]}")
    shipment_id, _labels = ship(db, session_id, Weighing(expected_weight(db, session_id)))
    return shipment_id


def status_of(db: Database, shipment_id: int) -> str:
    with db.unit_of_work() as session:
        return session.get_one(Shipment, shipment_id).status


def test_label_printed_after_commit_and_its_barcode_decodes(seeded_database: Database, printer: ZplPrinterSimulator,
                                                            tmp_path: Path) -> None:
    db = seeded_database
    shipment_id = packed(db, [("MUG-CER-350", 1)])
    outcome = print_shipment(db, open_label_printer(printer.uri), shipment_id)
    assert outcome.printed and outcome.problem is None
    assert printer.wait_for_jobs(1, timeout=5)
    assert status_of(db, shipment_id) == "printed"
    sscc = outcome.tracking_numbers[0]
    pages = render_zpl(printer.jobs[0], tmp_path / "label")
    found = [(d.format, d.text, d.symbology) for d in decode_barcodes(pages[0])]
    assert found == [("Code128", f"00{sscc}", "]C1")]


def test_usps_label_carries_the_impb_routing_and_tracking(seeded_database: Database, printer: ZplPrinterSimulator,
                                                          tmp_path: Path) -> None:
    db = seeded_database
    shipment_id = packed(db, [("NB-A5-DOT", 1)], service="usps/priority")
    outcome = print_shipment(db, open_label_printer(printer.uri), shipment_id)
    tracking = outcome.tracking_numbers[0]
    assert tracking.startswith("94055901234567")
    printer.wait_for_jobs(1, timeout=5)
    found = [(d.text, d.symbology) for d in decode_barcodes(render_zpl(printer.jobs[0], tmp_path / "usps")[0])]
    assert found == [(f"42062704\x1d{tracking}", "]C1")]


def test_paper_out_leaves_label_pending_and_reprint_sends_the_same_label(
        seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    shipment_id = packed(db, [("MUG-CER-350", 1)])
    printer.state = "paper-out"
    failed = print_shipment(db, open_label_printer(printer.uri), shipment_id)
    assert not failed.printed and "out of labels" in (failed.problem or "")
    assert printer.jobs == [] and status_of(db, shipment_id) == "label-pending"
    printer.state = "ok"
    assert last_shipment_of_station(db, station_id(db)) == shipment_id
    again = print_shipment(db, open_label_printer(printer.uri), shipment_id)
    assert again.printed and again.tracking_numbers == failed.tracking_numbers
    once_more = print_shipment(db, open_label_printer(printer.uri), shipment_id)
    assert printer.wait_for_jobs(2, timeout=5) and printer.jobs[0] == printer.jobs[1]
    assert once_more.tracking_numbers == failed.tracking_numbers
    with db.unit_of_work() as session:
        assert len(session.scalars(select(Shipment)).all()) == 1


def test_void_restores_stock_order_and_serials(seeded_database: Database) -> None:
    db = seeded_database
    before = stock_of(db, "SPK-BT-MINI")
    shipment_id = packed(db, [("SPK-BT-MINI", 1)], serials=["SN-V1"])
    assert stock_of(db, "SPK-BT-MINI") == (before[0] - 1, before[1])  # reserved for the order, then shipped
    with pytest.raises(PackRefused, match="Only a manager"):
        void_shipment(db, shipment_id, user_id(db, "packer"))
    void_shipment(db, shipment_id, user_id(db, "manager"), "customer cancelled")
    assert status_of(db, shipment_id) == "voided"
    on_hand, reserved = stock_of(db, "SPK-BT-MINI")
    assert (on_hand, reserved) == (before[0], before[1] + 1)  # back on the shelf, reserved for the order again
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        assert session.get_one(Order, shipment.order_id).status == "ready"
        assert session.scalars(select(ShippedSerial)).all() == []
    with pytest.raises(PackRefused, match="already void"):
        void_shipment(db, shipment_id, user_id(db, "manager"))


def test_manifested_shipment_cannot_be_voided(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id = packed(db, [("MUG-CER-350", 1)])
    from fulfilstation.db.models import CarrierAccount, Manifest

    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        manifest = Manifest(number="M-TEST-1", carrier_account_id=account.id,
                            manifest_date=shipment.created_at.date())
        session.add(manifest)
        session.flush()
        shipment.manifest_id = manifest.id
    with pytest.raises(PackRefused, match="closed manifest"):
        void_shipment(db, shipment_id, user_id(db, "manager"))


def test_station_ships_then_prints_label_and_packing_slip(seeded_database: Database, printer: ZplPrinterSimulator,
                                                          tmp_path: Path) -> None:
    from drivers.sim.printer import SimDocumentPrinter
    from fulfilstation.services.packing.station_facade_old import StationServices
    from fulfilstation.services.stations.registry import ensure_station
    from tests.support.pdf import pdf_barcodes

    db = seeded_database
    services = StationServices(db, ensure_station(db, "PACK-S"), tmp_path / "station.toml")
    number = make_order(db, [("MUG-CER-350", 1)])
    view = services.start(number, user_id(db))
    services.scan(view.session_id, unit_barcode(db, "MUG-CER-350"))
    documents = SimDocumentPrinter()
    outcome = services.ship_and_print(view.session_id, Weighing(expected_weight(db, view.session_id)),
                                      open_label_printer(printer.uri), documents)
    assert outcome.printed and outcome.slip_problem is None
    assert printer.wait_for_jobs(1, timeout=5)
    assert len(documents.documents) == 1
    codes = [d.text for page in pdf_barcodes(documents.documents[0][1], tmp_path) for d in page]
    assert number in codes
    sheet = services.command_sheet()
    sheet_codes = {d.text for page in pdf_barcodes(sheet, tmp_path / "sheet") for d in page}
    assert {"FS:NEXT", "FS:REPRINT", "FS:NEWPKG", "FS:SHIP", "FS:CANCEL", "FS:LOGOUT", "BOX-S"} <= sheet_codes


def test_station_voids_by_tracking_or_order_number(seeded_database: Database, tmp_path: Path) -> None:
    from fulfilstation.services.packing.station_facade_old import StationServices
    from fulfilstation.services.stations.registry import ensure_station

    db = seeded_database
    services = StationServices(db, ensure_station(db, "PACK-V"), tmp_path / "station.toml")
    assert services.weight_unit() == "lb"  # the demo site's setting
    first = packed(db, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        tracking = session.get_one(Shipment, first).tracking_number or ""
    assert tracking in services.void(tracking, user_id(db, "manager"), "wrong address")
    assert status_of(db, first) == "voided"
    with pytest.raises(PackRefused, match="No shipment"):
        services.void(tracking, user_id(db, "manager"), "again")
    second = packed(db, [("SOAP-LAV-100", 1)])
    with db.unit_of_work() as session:
        number = session.get_one(Order, session.get_one(Shipment, second).order_id).number
    services.void(number, user_id(db, "owner"), "customer cancelled")
    assert status_of(db, second) == "voided"
