"""The station while packing a split order (offscreen, both engines): the order header says
"Partial shipment: rest in <number>-2" (or "part of <number>" for the remainder), so the
packer knows the parcel is not the whole order; an unsplit order shows no such line."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.services.orders.arrival import reserve_arrivals
from tests.db.test_backorders import TODAY, ids_of
from tests.support.app import app_for, sign_in
from tests.support.kits import new_product, pending_order, put_stock
from tests.support.station_window import Station


def test_the_pack_header_says_an_order_is_a_partial_shipment(qtbot: QtBot, seeded_database: Database,
                                                             printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    new_product(db, "UI-SP-1", barcode="BCUISP1")
    new_product(db, "UI-SP-2", barcode="BCUISP2")
    put_stock(db, "UI-SP-1", "A-01-1", 1)
    put_stock(db, "UI-SP-2", "A-01-1", 1)
    split = pending_order(db, [("UI-SP-1", 3)])
    whole = pending_order(db, [("UI-SP-2", 1)])
    app = app_for(db)
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    outcomes = reserve_arrivals(db, sign_in(app, "manager"), ids_of(db, [split, whole]), TODAY)
    assert [o.result for o in outcomes] == ["ready", "ready"]
    station = Station(qtbot, db, printer.uri)
    assert station.log_in("packer", "1111")[1] == "ok"
    header = station.window.station.pack.header

    assert station.scan(split)[1] == "ok"
    assert header.number.text() == split
    assert header.split.text() == f"Partial shipment: rest in {split}-2" and header.split.isVisibleTo(header)
    assert station.scan("BCUISP1")[1] == "ok"  # a scan keeps the line
    assert header.split.text() == f"Partial shipment: rest in {split}-2" and header.split.isVisibleTo(header)

    header.show_view(None)  # no order: the line goes with it
    assert header.split.text() == "" and not header.split.isVisibleTo(header)


def test_an_unsplit_order_has_no_partial_line(qtbot: QtBot, seeded_database: Database,
                                              printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    new_product(db, "UI-SP-3", barcode="BCUISP3")
    put_stock(db, "UI-SP-3", "A-01-1", 2)
    whole = pending_order(db, [("UI-SP-3", 2)])
    app = app_for(db)
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    assert reserve_arrivals(db, sign_in(app, "manager"), ids_of(db, [whole]), TODAY)[0].result == "ready"
    station = Station(qtbot, db, printer.uri)
    assert station.log_in("packer", "1111")[1] == "ok"
    header = station.window.station.pack.header
    assert station.scan(whole)[1] == "ok" and header.number.text() == whole
    assert header.split.text() == "" and not header.split.isVisibleTo(header)
