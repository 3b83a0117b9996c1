"""Lot- and serial-tracked returns on SQLite and PostgreSQL: a lot-tracked unit needs its lot
(a GS1 scan or typed), one the order shipped, and goes back into that lot with its expiry, so
a trace of the lot finds it; a serial-tracked unit needs a serial shipped with the order, once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, Product, SerialNumber, StockLevel, StockMove
from fulfilstation.services.packing import Weighing
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from tests.db.test_shipments import ship_packed
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, unit_barcode


def test_a_lot_tracked_unit_comes_back_into_its_lot(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = make_order(db, [("COF-ESP-250", 2)])
    session_id = app.packing.start(packer, order).session_id
    for _ in range(2):
        asked = app.packing.scan(packer, session_id, unit_barcode(db, "COF-ESP-250"))
        found = re.search(r"take lot (\S+) from", asked.message)
        if found:  # the packer is asked for the lot: scan it
            lot = found.group(1)
            assert app.packing.scan(packer, session_id, lot).accepted
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    with db.unit_of_work() as session:
        lots = set(session.scalars(select(StockMove.lot_code).join(Product, Product.id == StockMove.product_id)
                                   .where(Product.sku == "COF-ESP-250", StockMove.reason == "ship")))
        expiry = session.scalar(select(StockLevel.expiry_date).where(StockLevel.lot_code == lot).limit(1))
    assert lots == {lot}
    made = app.returns.create(manager, order, [NewRmaLine("COF-ESP-250", 2, "other")], label=False)
    barcode = unit_barcode(db, "COF-ESP-250")
    with pytest.raises(ReturnsRefused, match="Scan the lot of COF-ESP-250") as no_lot:
        app.returns.receive(packer, made.number, barcode)
    assert no_lot.value.code == "lot-needed" and app.returns.find(made.number).status == "open"
    with pytest.raises(ReturnsRefused, match="did not ship on this order") as wrong:
        app.returns.receive(packer, made.number, barcode, lot="NOPE-9")
    assert wrong.value.code == "wrong-lot"
    typed = app.returns.receive(packer, made.number, barcode, lot=lot.lower())
    assert f"lot {lot} in: 1 of 2" in typed.message
    app.returns.grade(packer, made.number, "COF-ESP-250", "like-new", "restock", bin="A-01-1")
    with db.unit_of_work() as session:
        level = session.execute(select(StockLevel.lot_code, StockLevel.expiry_date)
                                .join(Bin, Bin.id == StockLevel.bin_id)
                                .join(Product, Product.id == StockLevel.product_id)
                                .where(Bin.code == "A-01-1", Product.sku == "COF-ESP-250")).all()
    assert [tuple(row) for row in level] == [(lot, expiry)]  # its lot, and the lot's expiry
    assert any(place.bin == "A-01-1" for place in app.stock.trace(lot).in_stock)  # a recall finds it
    assert app.stock.check().consistent


def test_a_serial_tracked_unit_needs_a_serial_shipped_with_the_order(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    ship_packed(app, packer, [("SPK-BT-MINI", 2)], serials=["SN-R1", "SN-R2"])
    order = _last_order(db)
    made = app.returns.create(manager, order, [NewRmaLine("SPK-BT-MINI", 2, "defective")], label=False)
    barcode = unit_barcode(db, "SPK-BT-MINI")
    with pytest.raises(ReturnsRefused, match="Scan the serial number of SPK-BT-MINI") as none:
        app.returns.receive(packer, made.number, barcode)
    assert none.value.code == "serial-needed"
    with pytest.raises(ReturnsRefused, match="Serial SN-OTHER of SPK-BT-MINI was not shipped with this order"):
        app.returns.receive(packer, made.number, barcode, serial="SN-OTHER")
    assert "serial SN-R1 in: 1 of 2" in app.returns.receive(packer, made.number, barcode, serial="sn-r1").message
    with pytest.raises(ReturnsRefused, match="SN-R1 of SPK-BT-MINI already came back"):
        app.returns.receive(packer, made.number, barcode, serial="SN-R1")
    gs1 = app.returns.receive(packer, made.number, f"]C101{barcode}21SN-R2")  # the serial in a GS1 scan
    assert "serial SN-R2 in: 2 of 2" in gs1.message
    with db.unit_of_work() as session:
        statuses = set(session.scalars(select(SerialNumber.status).where(SerialNumber.serial.in_(["SN-R1", "SN-R2"]))))
    assert statuses <= {"in-stock"}


def _last_order(db: Database) -> str:
    with db.unit_of_work() as session:
        return session.scalars(select(Order.number).order_by(Order.id.desc()).limit(1)).one()
