"""The station header counts the whole packing queue, not the rows listed (offscreen, both
engines): with 1,533 orders ready to pack the table lists the first 200 and the header says
1,533 ready and the real number held."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OrderLine, Product
from tests.support.station_window import WAIT_MS, Station

READY, HELD = 1_533, 7  # the demo warehouse has 48 ready and 2 held: bulk orders make up the rest


def add_queue(database: Database, ready: int, held: int) -> None:
    """``ready`` + ``held`` ready orders of one line each, with bulk INSERTs (no reservations:
    the queue does not need them)."""
    with database.unit_of_work() as session:
        product_id = session.scalars(select(Product.id).where(Product.sku == "MUG-CER-350")).one()
        order_ids = session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), [
            dict(channel="bulk", external_id=f"Q-{n}", number=f"Q-{n:05d}", status="ready", ship_to_name=f"Buyer {n}",
                 ship_to_line1=f"{n} Main St", ship_to_city="Springfield", ship_to_region="IL",
                 ship_to_postal_code="62704", ship_to_country="US", ship_by=dt.date.today() + dt.timedelta(days=30),
                 hold=n < held, hold_reason="Checking the address" if n < held else None)
            for n in range(ready + held)]).all()
        session.execute(insert(OrderLine), [dict(order_id=order_id, line_no=1, product_id=product_id, quantity=1)
                                            for order_id in order_ids])


def test_the_header_counts_the_whole_queue(qtbot: QtBot, seeded_database: Database,
                                           printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    qtbot.waitUntil(lambda: window.counts.text().endswith("shipped"), timeout=WAIT_MS)
    assert window.counts.text() == "48 ready to pack · 2 on hold · 0 shipped"
    add_queue(seeded_database, READY - 48, HELD - 2)
    window.refresh_queue()
    qtbot.waitUntil(lambda: window.counts.text() == "1,533 ready to pack · 7 on hold · 0 shipped", timeout=WAIT_MS)
    assert window.queue_model.rowCount() == 200, "the table lists the first 200"
    done = "Queue up to date: the first 200 of 1,540 orders listed"  # the insert's change notice may reload it again
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == done, timeout=WAIT_MS)


def test_the_queue_waits_for_the_end_of_a_pack_then_loads_once(qtbot: QtBot, seeded_database: Database,
                                                               printer: ZplPrinterSimulator) -> None:
    """The queue is not on screen while a pack is: changes meanwhile (here 1,000 new orders)
    load nothing until the pack ends, then the queue is loaded and shows them."""
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    assert station.log_in("packer", "1111")[1] == "ok"
    qtbot.waitUntil(lambda: window.counts.text() == "48 ready to pack · 2 on hold · 0 shipped", timeout=WAIT_MS)
    loads: list[int] = []
    original = window._queue_loaded
    window._queue_loaded = lambda snapshot: (loads.append(len(snapshot.orders)), original(snapshot))  # type: ignore[method-assign]
    number = str(window.queue_model.index(0, 0).data())
    station.scan(number)
    assert station.controller.view is not None and station.controller.view.order_number == number
    qtbot.wait(300)  # the claim's own change notice has come and gone
    loads.clear()
    add_queue(seeded_database, 1_000, 0)
    for _ in range(3):
        window.refresh_queue()
    qtbot.wait(500)
    assert loads == [] and window.counts.text().startswith("48 ready"), "nothing is loaded while the pack is on screen"
    station.scan("FS:CANCEL")  # asks to scan it again to confirm
    assert "cancelled" in station.scan("FS:CANCEL")[0]  # the pack ends: the order goes back to the queue
    qtbot.waitUntil(lambda: window.counts.text().startswith("1,048 ready"), timeout=WAIT_MS)
    assert loads == [200], "loaded once, when the pack ended"
