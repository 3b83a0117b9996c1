"""After the commit: printing, reprinting and voiding shipments (real TCP printer simulator),
through the shipping use cases with signed-in actors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drivers.printer import open_label_printer
from drivers.sim.printer import SimDocumentPrinter, ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, Shipment, ShippedSerial, StockMove
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.shipping import PrintOutcome, ShipmentRefused
from fulfilstation.services.shipping.void import void_shipment
from tests.support.app import app_for, sign_in
from tests.support.pdf import pdf_barcodes
from tests.support.warehouse import expected_weight, make_order, stock_of, unit_barcode
from tests.support.zpl import decode_barcodes, render_zpl


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def printing_app(db: Database, printer: ZplPrinterSimulator, **kwargs: object) -> AppServices:
    """The use cases with the simulator as every station's label printer."""
    return app_for(db, label=open_label_printer(printer.uri), **kwargs)  # type: ignore[arg-type]


def ship_packed(app: AppServices, actor: Actor, lines: list[tuple[str, int]], serials: list[str] | None = None,
                service: str | None = None) -> PrintOutcome:
    """An order made, claimed, scanned and shipped by ``actor`` (the use cases all the way)."""
    db = app.packing.database
    number = make_order(db, lines, service=service)
    session_id = app.packing.start(actor, number).session_id
    for sku, quantity in lines:
        for index in range(quantity):
            code = unit_barcode(db, sku)
            outcome = app.packing.scan(actor, session_id, code if not serials else f"]C101{code}21{serials[index]}")
            assert outcome.accepted, outcome.message
    return app.shipping.ship(actor, session_id, Weighing(expected_weight(db, session_id)))


def packed(app: AppServices, actor: Actor, lines: list[tuple[str, int]], serials: list[str] | None = None,
           service: str | None = None) -> int:
    return ship_packed(app, actor, lines, serials, service).shipment_id


def status_of(db: Database, shipment_id: int) -> str:
    with db.unit_of_work() as session:
        return session.get_one(Shipment, shipment_id).status


def tracking_of(db: Database, shipment_id: int) -> str:
    with db.unit_of_work() as session:
        return session.get_one(Shipment, shipment_id).tracking_number or ""


def test_label_printed_after_commit_and_its_barcode_decodes(seeded_database: Database, printer: ZplPrinterSimulator,
                                                            tmp_path: Path) -> None:
    db = seeded_database
    app = printing_app(db, printer)
    outcome = ship_packed(app, sign_in(app), [("MUG-CER-350", 1)])
    assert outcome.printed and outcome.problem is None and outcome.printer == printer.uri
    assert printer.wait_for_jobs(1, timeout=5)
    assert status_of(db, outcome.shipment_id) == "printed"
    sscc = outcome.tracking_numbers[0]
    pages = render_zpl(printer.jobs[0], tmp_path / "label")
    found = [(d.format, d.text, d.symbology) for d in decode_barcodes(pages[0])]
    assert found == [("Code128", f"00{sscc}", "]C1")]


def test_usps_label_carries_the_impb_routing_and_tracking(seeded_database: Database, printer: ZplPrinterSimulator,
                                                          tmp_path: Path) -> None:
    db = seeded_database
    app = printing_app(db, printer)
    outcome = ship_packed(app, sign_in(app), [("NB-A5-DOT", 1)], service="usps/priority")
    tracking = outcome.tracking_numbers[0]
    assert tracking.startswith("94055901234567")
    printer.wait_for_jobs(1, timeout=5)
    found = [(d.text, d.symbology) for d in decode_barcodes(render_zpl(printer.jobs[0], tmp_path / "usps")[0])]
    assert found == [(f"42062704\x1d{tracking}", "]C1")]


def test_paper_out_leaves_label_pending_and_reprint_sends_the_same_label(
        seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    app = printing_app(db, printer)
    packer = sign_in(app)
    printer.state = "paper-out"
    failed = ship_packed(app, packer, [("MUG-CER-350", 1)])
    shipment_id = failed.shipment_id
    assert not failed.printed and "out of labels" in (failed.problem or "")
    assert printer.jobs == [] and status_of(db, shipment_id) == "label-pending"
    printer.state = "ok"
    latest = app.shipping.last_labels(packer.station_id)  # type: ignore[arg-type]
    assert latest is not None and latest.shipment_id == shipment_id
    again = app.shipping.reprint(packer)  # the station's latest shipment
    assert again is not None and again.shipment_id == shipment_id
    assert again.printed and again.tracking_numbers == failed.tracking_numbers
    assert status_of(db, shipment_id) == "printed"
    once_more = app.shipping.reprint(packer, failed.tracking_numbers[0])
    assert once_more is not None and once_more.printed
    assert printer.wait_for_jobs(2, timeout=5) and printer.jobs[0] == printer.jobs[1]
    assert once_more.tracking_numbers == failed.tracking_numbers
    with db.unit_of_work() as session:
        assert len(session.scalars(select(Shipment)).all()) == 1
        reprints = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.reprinted")).all()
    assert [(e.user_id, e.station_id, e.entity_id, e.details["printed"]) for e in reprints] == [
        (packer.user_id, packer.station_id, shipment_id, True)] * 2


def test_reprint_without_a_shipment_at_the_station_is_none(seeded_database: Database,
                                                          printer: ZplPrinterSimulator) -> None:
    app = printing_app(seeded_database, printer)
    assert app.shipping.reprint(sign_in(app)) is None
    with pytest.raises(ShipmentRefused, match="no live shipment with tracking or order number 'NOPE'") as none:
        app.shipping.reprint(sign_in(app), "NOPE")
    assert none.value.code == "shipment-not-found" and printer.jobs == []


def test_void_restores_stock_order_and_serials(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    before = stock_of(db, "SPK-BT-MINI")
    shipment_id = packed(app, packer, [("SPK-BT-MINI", 1)], serials=["SN-V1"])
    tracking = tracking_of(db, shipment_id)
    assert stock_of(db, "SPK-BT-MINI") == (before[0] - 1, before[1])  # reserved for the order, then shipped
    with pytest.raises(NotAllowed, match="only a manager or an owner can void a shipment") as not_packer:
        app.shipping.void(packer, tracking, "customer cancelled")
    assert not_packer.value.code == "not-allowed" and status_of(db, shipment_id) != "voided"
    with pytest.raises(ShipmentRefused, match="Say why") as no_reason:  # new: a void keeps its reason
        app.shipping.void(manager, tracking, "  ")
    assert no_reason.value.code == "reason-required" and status_of(db, shipment_id) != "voided"
    outcome = app.shipping.void(manager, tracking, "customer cancelled")
    assert (outcome.shipment_id, outcome.tracking_number, outcome.refund) == (shipment_id, tracking, None)
    assert status_of(db, shipment_id) == "voided"
    on_hand, reserved = stock_of(db, "SPK-BT-MINI")
    assert (on_hand, reserved) == (before[0], before[1] + 1)  # back on the shelf, reserved for the order again
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        assert session.get_one(Order, shipment.order_id).status == "ready"
        assert session.scalars(select(ShippedSerial)).all() == []
        assert (shipment.voided_by_id, shipment.void_reason) == (manager.user_id, "customer cancelled")
        moves = session.scalars(select(StockMove).where(StockMove.shipment_id == shipment_id,
                                                        StockMove.reason == "void")).all()
        assert [(m.user_id, m.station_id) for m in moves] == [(manager.user_id, manager.station_id)]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.voided")).one()
        assert (entry.user_id, entry.station_id, entry.entity_id) == (manager.user_id, manager.station_id,
                                                                       shipment_id)
        assert entry.details["reason"] == "customer cancelled" and entry.details["by"] == "manager"
    # Voiding it again: the use case no longer finds a live shipment by that number …
    with pytest.raises(ShipmentRefused, match="no live shipment") as again:
        app.shipping.void(manager, tracking, "again")
    assert again.value.code == "shipment-not-found"
    # … and the transaction itself refuses a void shipment (a race with another manager).
    with pytest.raises(ShipmentRefused, match="already void") as raced:
        void_shipment(db, manager, shipment_id, "again")
    assert raced.value.code == "shipment-void"


def test_manifested_shipment_cannot_be_voided(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    shipment_id = packed(app, sign_in(app), [("MUG-CER-350", 1)])
    from fulfilstation.db.models import CarrierAccount, Manifest

    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        manifest = Manifest(number="M-TEST-1", carrier_account_id=account.id,
                            manifest_date=shipment.created_at.date())
        session.add(manifest)
        session.flush()
        shipment.manifest_id = manifest.id
    with pytest.raises(ShipmentRefused, match="closed manifest") as refused:
        app.shipping.void(sign_in(app, "manager"), tracking_of(db, shipment_id), "customer cancelled")
    assert refused.value.code == "on-manifest" and status_of(db, shipment_id) != "voided"


def test_station_ships_then_prints_label_and_packing_slip(seeded_database: Database, printer: ZplPrinterSimulator,
                                                          tmp_path: Path) -> None:
    db = seeded_database
    documents = SimDocumentPrinter()
    app = printing_app(db, printer, document=documents, station="PACK-S")
    packer = sign_in(app)
    number = make_order(db, [("MUG-CER-350", 1)])
    view = app.packing.start(packer, number)
    app.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-CER-350"))
    outcome = app.shipping.ship(packer, view.session_id, Weighing(expected_weight(db, view.session_id)))
    assert outcome.printed and outcome.slip_problem is None and outcome.slip_saved_to is None
    assert outcome.order_number == number and outcome.printer == printer.uri
    assert printer.wait_for_jobs(1, timeout=5)
    assert len(documents.documents) == 1 and documents.documents[0][0] == f"packing slip {number}"
    codes = [d.text for page in pdf_barcodes(documents.documents[0][1], tmp_path) for d in page]
    assert number in codes
    sheet = app.packing.command_sheet()
    sheet_codes = {d.text for page in pdf_barcodes(sheet, tmp_path / "sheet") for d in page}
    assert {"FS:NEXT", "FS:REPRINT", "FS:NEWPKG", "FS:SHIP", "FS:CANCEL", "FS:LOGOUT", "BOX-S"} <= sheet_codes


def test_station_voids_by_tracking_or_order_number(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db, station="PACK-V")
    packer = sign_in(app)
    assert app.site.weight_unit() == "lb"  # the demo site's setting
    first = packed(app, packer, [("MUG-CER-350", 1)])
    tracking = tracking_of(db, first)
    assert tracking in app.shipping.void(sign_in(app, "manager"), tracking, "wrong address").message
    assert status_of(db, first) == "voided"
    with pytest.raises(ShipmentRefused, match="no live shipment") as again:
        app.shipping.void(sign_in(app, "manager"), tracking, "again")
    assert isinstance(again.value, Refused)  # one type for every entry point
    second = packed(app, packer, [("SOAP-LAV-100", 1)])
    with db.unit_of_work() as session:
        number = session.get_one(Order, session.get_one(Shipment, second).order_id).number
    owner = sign_in(app, "owner")
    assert "is void" in app.shipping.void(owner, number, "customer cancelled").message
    assert status_of(db, second) == "voided"
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "shipment.voided", AuditEntry.user_id == owner.user_id)) == 1


def test_every_label_pending_shipment_is_listed_per_station_and_reprinted_by_id(
        seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    printer.state = "paper-out"  # five printer faults: five shipments left label-pending
    at_a = printing_app(db, printer, station="PACK-A")
    at_b = printing_app(db, printer, station="PACK-B")
    a_ids = [packed(at_a, sign_in(at_a), [("MUG-CER-350", 1)]) for _ in range(3)]
    b_ids = [packed(at_b, sign_in(at_b), [("MUG-CER-350", 1)]) for _ in range(2)]
    assert [s.id for s in at_a.shipping.label_pending()] == [*a_ids, *b_ids]  # site-wide, oldest first
    assert [s.id for s in at_a.shipping.label_pending("PACK-A")] == a_ids
    assert [s.id for s in at_a.shipping.label_pending("pack-b")] == b_ids
    printer.state = "ok"
    packer = sign_in(at_a)
    plan = at_a.shipping.reprint_plan(packer, a_ids[0])
    assert plan.startswith("Reprint prints label 1 of 1 for T-") and plan.endswith(f"on {printer.uri}.")
    assert tracking_of(db, a_ids[0]) in plan
    for shipment_id in [*a_ids, *b_ids]:  # any of them, not only the last
        outcome = at_a.shipping.reprint(packer, shipment_id)
        assert outcome is not None and outcome.printed and outcome.shipment_id == shipment_id
        assert outcome.what.startswith("label 1 of 1 for T-")
    assert at_a.shipping.label_pending() == []
    assert len(printer.wait_for_jobs(5, timeout=5)) == 5
    assert at_a.shipping.reprint(packer, str(b_ids[0])) is not None  # digits that are no tracking number: the id


def test_reprinting_a_voided_shipment_says_why_not(seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    app = printing_app(db, printer)
    packer, manager = sign_in(app), sign_in(app, "manager")
    outcome = ship_packed(app, packer, [("MUG-CER-350", 1)])
    tracking = outcome.tracking_numbers[0]
    app.shipping.void(manager, tracking, "Box crushed")
    for reference in (tracking, outcome.shipment_id, outcome.order_number):
        with pytest.raises(ShipmentRefused, match=r"was voided on .* by Morgan Manager \(Box crushed\)") as why:
            app.shipping.reprint(packer, reference)
        assert why.value.code == "voided"
        with pytest.raises(ShipmentRefused, match="Not reprinted"):
            app.shipping.reprint_plan(packer, reference)
    assert len(printer.jobs) == 1  # only the first print
    no_printer = app_for(db)
    with pytest.raises(ShipmentRefused, match="has no label printer"):
        no_printer.shipping.reprint_plan(sign_in(no_printer), packed(app, packer, [("MUG-CER-350", 1)]))
