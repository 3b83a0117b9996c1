"""Serials at the packing bench against the serials received (both engines): a product whose
serials are captured on receipt refuses a serial that never came in and ships the ones that
did (marked shipped, back in stock when voided); a product whose serials were never
captured is packed with a note, not blocked."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import ScanEvent, SerialNumber
from fulfilstation.services.packing import Refusal, Weighing
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, unit_barcode

LAMP, SPEAKER = "LAMP-LED-DSK", "SPK-BT-MINI"


def _receive_serials(db: Database, sku: str, serials: list[str]) -> None:
    app = app_for(db)
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Lamp Works", bin="RECV-01").number
    cursor = None
    for serial in serials:
        for code in (unit_barcode(db, sku), serial):
            outcome = app.receiving.scan(packer, number, code, cursor)
            cursor = outcome.cursor
        assert outcome.accepted, outcome.message
    app.receiving.close(packer, number)


def _status(db: Database, serial: str) -> tuple[str, int | None]:
    with db.unit_of_work() as session:
        row = session.execute(select(SerialNumber.status, SerialNumber.shipment_id)
                              .where(SerialNumber.serial == serial)).one()
        return row[0], row[1]


def test_a_serial_that_never_came_in_is_refused_and_one_that_did_ships(seeded_database: Database) -> None:
    db = seeded_database
    _receive_serials(db, LAMP, ["LMP-1", "LMP-2"])
    app = app_for(db)
    packer = sign_in(app, "packer")
    number = make_order(db, [(LAMP, 1)])
    view = app.packing.start(packer, number)
    asked = app.packing.scan(packer, view.session_id, unit_barcode(db, LAMP))
    assert asked.pending
    never = app.packing.scan(packer, view.session_id, "LMP-999")
    assert not never.accepted and never.refusal is Refusal.SERIAL_NOT_RECEIVED
    assert never.message.startswith("Serial LMP-999 of LAMP-LED-DSK never came in on a receipt")
    came = app.packing.scan(packer, view.session_id, "LMP-2")
    assert came.accepted and came.note is None and "not checked" not in came.message
    shipped = app.shipping.ship(packer, view.session_id, Weighing(expected_weight(db, view.session_id)))
    assert _status(db, "LMP-2") == ("shipped", shipped.shipment_id)
    assert _status(db, "LMP-1") == ("in-stock", None)
    manager = sign_in(app, "manager")
    app.shipping.void(manager, shipped.tracking_numbers[0], "label damaged")
    assert _status(db, "LMP-2") == ("in-stock", None)


def test_a_product_whose_serials_were_never_captured_is_packed_with_a_note(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    number = make_order(db, [(SPEAKER, 1)])
    view = app.packing.start(packer, number)
    app.packing.scan(packer, view.session_id, unit_barcode(db, SPEAKER))
    outcome = app.packing.scan(packer, view.session_id, "SPK-ANY-1")
    assert outcome.accepted
    assert outcome.note == "Serial SPK-ANY-1 not checked: serials of SPK-BT-MINI were never captured on a receipt."
    assert outcome.note in outcome.message
    with db.unit_of_work() as session:
        recorded = session.scalars(select(ScanEvent.message).where(ScanEvent.serial_number == "SPK-ANY-1")).one()
    assert outcome.note in recorded
