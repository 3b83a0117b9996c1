"""The Shipments area through ``app.shipping`` (both engines): search by tracking (shipment,
package, a scanned label) or order number; the label-pending list of every station; reprint
from another station on the actor's own printer (an EasyPost label bought once, never twice);
void refused for a packer and done by a manager. Real TCP printer simulator, local EasyPost stub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Station
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping import ShipmentRefused
from tests.support.app import STATION, FixedPrinters, app_for, sign_in
from tests.support.easypost_account import SERVICE, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.shipped import ship_order, shipment_status
from tests.support.warehouse import stock_of


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


@pytest.fixture
def printers(printer: ZplPrinterSimulator) -> FixedPrinters:
    """The simulator as every station's label printer, recording which station was asked."""
    return FixedPrinters(label=open_label_printer(printer.uri))


@pytest.fixture
def app(seeded_database: Database, printers: FixedPrinters, tmp_path: Path) -> AppServices:
    return desk_app(seeded_database, printers, tmp_path)


def desk_app(db: Database, printers: FixedPrinters, tmp_path: Path) -> AppServices:
    """``app_for`` with ``printers`` kept by the test (packing slips go to ``tmp_path``)."""
    return build_services(db, Ports(printers=printers, documents_dir=tmp_path), STATION)


def asked(printers: FixedPrinters) -> list[str]:
    """The stations whose label printer the use cases asked for, in order."""
    return [station for station, _configured in printers.asked]


def test_search_by_package_and_shipment_tracking_and_by_order(app: AppServices) -> None:
    packer = sign_in(app, "packer", "PACK-A")
    number, outcome = ship_order(app, packer, [("MUG-CER-350", 2)], box_per_unit=True)
    other, _ = ship_order(app, packer, [("SOAP-LAV-100", 1)])
    first, second = outcome.tracking_numbers
    for text in (first, second, f"  {second} ", number, f"]C100{second}"):  # the last: the label's GS1-128 scan
        found = app.shipping.search(text)
        assert [row.order_number for row in found] == [number], text
    row = app.shipping.search(second)[0]
    assert row.tracking_numbers == (first, second) and row.reference == first
    assert (row.status, row.station, row.created_by, row.packages) == (ShipmentStatus.PRINTED, "PACK-A",
                                                                         "Pat Packer", 2)
    assert row.weight_g > 0 and row.cost_minor > 0 and row.currency == "USD"
    assert (row.carrier_code, row.service_code) == ("courier", "local") and row.carrier_name and row.service_name
    assert not row.on_manifest and row.voidable and row.printed_at is not None
    assert set(row.as_json()) >= {"id", "order_number", "tracking_numbers", "carrier", "service", "status",
                                  "station", "created_at", "created_by", "packages", "weight_g", "on_manifest",
                                  "cost_minor", "currency"}
    assert [r.order_number for r in app.shipping.search()] == [other, number]  # newest first
    assert app.shipping.search("NO-SUCH-THING") == []
    assert [r.order_number for r in app.shipping.search(number[-4:])][-1] == number  # "contains", from 3 characters
    assert [r.order_number for r in app.shipping.search(number.lower())] == [number]
    assert [r.order_number for r in app.shipping.search(limit=1)] == [other]


def test_status_filter_and_an_unknown_status(app: AppServices) -> None:
    packer = sign_in(app, "packer", "PACK-A")
    printed, _ = ship_order(app, packer, [("MUG-CER-350", 1)])
    assert [r.order_number for r in app.shipping.search(status="printed")] == [printed]
    assert app.shipping.search(status="voided") == [] and app.shipping.search(label_pending=True) == []
    with pytest.raises(ShipmentRefused, match="no shipment status 'lost'"):
        app.shipping.search(status="lost")


def test_label_pending_lists_the_shipments_of_every_station_oldest_first(
        app: AppServices, printer: ZplPrinterSimulator) -> None:
    printer.state = "paper-out"
    a, failed = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    b, _ = ship_order(app, sign_in(app, "packer2", "PACK-B"), [("SOAP-LAV-100", 1)])
    assert not failed.printed and "out of labels" in (failed.problem or "")
    printer.state = "ok"
    printed, _ = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    pending = app.shipping.label_pending()
    assert [(row.order_number, row.station) for row in pending] == [(a, "PACK-A"), (b, "PACK-B")]
    assert all(row.label_pending and row.tracking_numbers for row in pending)
    assert [r.order_number for r in app.shipping.search(label_pending=True)] == [a, b]
    assert [r.order_number for r in app.shipping.search(b, label_pending=True)] == [b]
    assert printed not in {row.order_number for row in pending}


def test_reprint_from_another_station_prints_on_the_actors_printer_and_marks_it_printed(
        app: AppServices, printer: ZplPrinterSimulator, printers: FixedPrinters) -> None:
    printer.state = "paper-out"
    number, failed = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    assert not failed.printed and shipment_status(app, number) == "label-pending"
    printer.state = "ok"
    manager = sign_in(app, "manager", "PACK-DESK")
    pending = app.shipping.label_pending()[0]
    outcome = app.shipping.reprint(manager, pending.reference)
    assert outcome is not None and outcome.printed and outcome.problem is None, outcome
    assert asked(printers) == ["PACK-A", "PACK-DESK"]  # the actor's station's printer, not PACK-A's
    assert outcome.tracking_numbers == failed.tracking_numbers  # the same label, never a new number
    assert printer.wait_for_jobs(1, timeout=5)
    assert app.shipping.label_pending() == []
    assert app.shipping.search(number)[0].status is ShipmentStatus.PRINTED
    with app.shipping.database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.reprinted")).one()
        desk = session.scalars(select(Station.id).where(Station.name == "PACK-DESK")).one()
        assert (entry.entity_id, entry.user_id, entry.station_id) == (pending.id, manager.user_id, desk)


def test_reprint_says_why_it_did_not_print(seeded_database: Database, tmp_path: Path,
                                          printer: ZplPrinterSimulator) -> None:
    no_printer = app_for(seeded_database, documents_dir=tmp_path)
    number, outcome = ship_order(no_printer, sign_in(no_printer, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    assert not outcome.printed
    again = no_printer.shipping.reprint(sign_in(no_printer, "manager", "PACK-DESK"), number)
    assert again is not None and not again.printed and "No label printer" in (again.problem or "")
    assert shipment_status(no_printer, number) == "label-pending"
    with pytest.raises(ShipmentRefused, match="no live shipment"):
        no_printer.shipping.reprint(sign_in(no_printer, "manager"), "NOPE-123")


def test_a_label_pending_easypost_shipment_is_bought_once_on_reprint(
        seeded_database: Database, stub: EasyPostStub, printer: ZplPrinterSimulator, printers: FixedPrinters,
        tmp_path: Path) -> None:
    db = seeded_database
    add_easypost_account(db, stub, price_minor=1)
    app = desk_app(db, printers, tmp_path)
    stub.delay("buy", 2.5)  # EasyPost sells the label, but answers after the 1 s timeout
    number, shipped = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)], service=SERVICE)
    assert not shipped.printed and "could not be bought" in (shipped.problem or "")
    assert stub.purchases == 1 and printer.jobs == []
    pending = app.shipping.label_pending()
    assert [(row.order_number, row.tracking_numbers, row.carrier_code) for row in pending] == [
        (number, (), "ep-usps")]
    assert pending[0].reference == number
    manager = sign_in(app, "manager", "PACK-DESK")
    outcome = app.shipping.reprint(manager, pending[0].reference)
    assert outcome is not None and outcome.printed, outcome
    assert (stub.purchases, stub.count("buy")) == (1, 1)  # found the label bought before: not bought again
    assert printer.wait_for_jobs(1, timeout=5)
    row = app.shipping.search(number)[0]
    assert row.status is ShipmentStatus.PRINTED and row.tracking_numbers == outcome.tracking_numbers
    assert row.cost_minor == 985  # what EasyPost charged
    again = app.shipping.reprint(manager, row.reference)
    assert again is not None and again.printed and stub.purchases == 1
    assert printer.wait_for_jobs(2, timeout=5) and printer.jobs[0] == printer.jobs[1]
    assert asked(printers) == ["PACK-DESK", "PACK-DESK"]  # PACK-A never got that far: no label to print


def test_void_is_refused_for_a_packer_and_done_by_a_manager(app: AppServices) -> None:
    packer = sign_in(app, "packer", "PACK-A")
    before = stock_of(app.shipping.database, "MUG-CER-350")
    number, outcome = ship_order(app, packer, [("MUG-CER-350", 1)])
    tracking = outcome.tracking_numbers[0]
    shipped = stock_of(app.shipping.database, "MUG-CER-350")
    with pytest.raises(NotAllowed, match="only a manager or an owner can void a shipment"):
        app.shipping.void(packer, tracking, "customer cancelled")
    assert app.shipping.search(tracking)[0].status is ShipmentStatus.PRINTED
    assert stock_of(app.shipping.database, "MUG-CER-350") == shipped
    voided = app.shipping.void(sign_in(app, "manager"), tracking, "customer cancelled")
    assert voided.tracking_number == tracking and "is void" in voided.message
    row = app.shipping.search(tracking)[0]
    assert (row.status, row.void_reason, row.voidable) == (ShipmentStatus.VOIDED, "customer cancelled", False)
    assert row.voided_at is not None and app.shipping.search(number, status="voided") == [row]
    assert stock_of(app.shipping.database, "MUG-CER-350") == (before[0], before[1] + 1)  # back, reserved for it
    with pytest.raises(ShipmentRefused, match=r"was voided on .* by Morgan Manager \(customer cancelled\)"):
        app.shipping.reprint(sign_in(app, "manager"), tracking)


def test_a_search_is_two_queries_however_many_rows(app: AppServices, printer: ZplPrinterSimulator) -> None:
    packer = sign_in(app, "packer", "PACK-A")
    printer.state = "paper-out"
    for _ in range(3):
        ship_order(app, packer, [("MUG-CER-350", 2)], box_per_unit=True)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = app.shipping.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        rows = app.shipping.search()
        pending = app.shipping.label_pending()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(rows) == 3 and len(pending) == 3 and all(len(row.tracking_numbers) == 2 for row in pending)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len(statements) == 4  # two per call: the rows, then their packages' tracking numbers
