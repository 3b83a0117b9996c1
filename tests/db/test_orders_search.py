"""Finding orders and reading one (SQLite and PostgreSQL): ``app.orders.search`` finds an
order by its number, customer, SKU, product barcode or tracking number, filters by status,
hold, ship-by and carrier in one query; ``app.orders.detail`` lists an order's lines,
reservations, scans, shipments, holds and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.orders import OrderSummary
from tests.support.app import app_for, sign_in
from tests.support.orders import MUG_AND_SOAP, pack_all, ship_packed
from tests.support.warehouse import make_order, unit_barcode


def numbers(found: list[OrderSummary]) -> list[str]:
    return [summary.number for summary in found]


def set_order(db: Database, number: str, **values: Any) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(**values))


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements run on ``db`` inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_search_finds_by_number_customer_sku_barcode_and_tracking(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    mugs = make_order(db, MUG_AND_SOAP)
    candle = make_order(db, [("CNDL-CED-200", 1)])
    set_order(db, candle, ship_to_name="Zoë O'Hara-Smith", ship_to_company="Acme 100% Tea")
    tracking = ship_packed(app, packer, pack_all(app, packer, mugs, MUG_AND_SOAP))
    orders = app.orders
    assert numbers(orders.search(mugs)) == [mugs]
    assert numbers(orders.search(f"  {mugs.lower()} ")) == [mugs]
    assert numbers(orders.search("zoë o'hara")) == [candle]
    assert numbers(orders.search("100%")) == [candle]  # the company; % is a character, not a wildcard
    assert candle in numbers(orders.search("cndl-ced")) and mugs not in numbers(orders.search("cndl-ced"))
    assert mugs in numbers(orders.search("SOAP-LAV-100"))
    assert mugs in numbers(orders.search(unit_barcode(db, "SOAP-LAV-100")))  # a product's barcode, scanned
    assert numbers(orders.search(tracking)) == [mugs]
    assert numbers(orders.search(tracking[-8:])) == [mugs]
    assert numbers(orders.search(f"]C1{tracking}")) == [mugs]  # a scanner's AIM prefix is not part of the data
    assert orders.search("no such thing anywhere") == []
    found = orders.search(mugs)[0]
    assert (found.status, found.tracking, found.carrier, found.lines, found.units) == \
        ("shipped", tracking, "courier", 2, 3)
    assert found.service_key == "courier/local" and found.service_name == "Local Courier (next day)"
    with statements(db) as seen:
        everything = orders.search(limit=5000)
    assert len(seen) == 1 and len(everything) == 52  # the demo's 50 and ours, one query
    assert len(orders.search(limit=10)) == 10


def test_search_filters_by_status_hold_ship_by_and_carrier(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    today = dt.date.today()
    late = make_order(db, [("MUG-ENA-300", 1)], service="ups/ground")
    due = make_order(db, [("MUG-ENA-300", 1)], service="fedex/2day")
    later = make_order(db, [("MUG-ENA-300", 1)])
    set_order(db, late, ship_by=today - dt.timedelta(days=2))
    set_order(db, later, ship_by=today + dt.timedelta(days=3))
    app.orders.hold(manager, due, "Waiting for the customer")
    ours = {late, due, later}

    def among(**filters: Any) -> list[str]:
        return [n for n in numbers(app.orders.search("T-", **filters)) if n in ours]

    assert among() == [late, due, later]  # open orders, oldest ship-by first
    assert among(hold=True) == [due] and among(hold=False) == [late, later]
    assert among(ship_by="late") == [late] and among(ship_by="today") == [due] and among(ship_by="later") == [later]
    assert among(carrier="ups") == [late] and among(carrier="FedEx") == [due]
    assert among(status="ready") == [late, due, later] and among(status="shipped") == []
    summaries = {s.number: s for s in app.orders.search("T-")}
    assert summaries[late].late and not summaries[due].late and summaries[due].hold_reason == "Waiting for the customer"
    assert summaries[later].carrier is None  # chosen when it is packed: no rating in a search
    app.orders.cancel(manager, late, "Customer cancelled")
    assert among(ship_by="late") == [] and among(status="cancelled") == [late]
    assert numbers(app.orders.search("T-"))[-1] == late  # closed orders after the open ones
    late_demo = app.orders.search(ship_by="late")
    assert late_demo and all(s.late and s.is_open and s.ship_by is not None and s.ship_by < today for s in late_demo)


def test_detail_lists_lines_reservations_scans_shipments_holds_and_history(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = make_order(db, MUG_AND_SOAP, hold="Payment under review")  # held when it came in
    app.orders.release(manager, number, "Payment cleared")
    app.orders.hold(manager, number, "Customer wants gift wrap")
    app.orders.release(manager, number)
    view = app.packing.start(packer, number)
    refused = app.packing.scan(packer, view.session_id, unit_barcode(db, "NB-A5-DOT"))
    assert not refused.accepted
    app.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-CER-350"))

    midway = app.orders.detail(number)
    assert midway.number == number and midway.summary.status == "packing"
    assert [(line.sku, line.ordered, line.packed, line.shipped) for line in midway.lines] == [
        ("MUG-CER-350", 2, 1, 0), ("SOAP-LAV-100", 1, 0, 0)]
    assert sorted((r.sku, r.quantity) for r in midway.reservations) == [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)]
    assert all(r.bin for r in midway.reservations)
    assert [(s.code, s.result, s.station, s.user) for s in midway.scans] == [
        (unit_barcode(db, "NB-A5-DOT"), "refused", "PACK-T", "Pat Packer"),
        (unit_barcode(db, "MUG-CER-350"), "accepted", "PACK-T", "Pat Packer")]
    assert midway.scans[0].message == refused.message

    for sku in ("MUG-CER-350", "SOAP-LAV-100"):
        view = app.packing.scan(packer, view.session_id, unit_barcode(db, sku)).view
    first = ship_packed(app, packer, view)
    app.shipping.void(manager, first, "Box crushed")
    second = ship_packed(app, packer, pack_all(app, packer, number, MUG_AND_SOAP))

    detail = app.orders.detail(number)
    assert detail.summary.status == "shipped" and detail.summary.tracking == second
    assert [(line.sku, line.packed, line.shipped) for line in detail.lines] == [("MUG-CER-350", 0, 2),
                                                                                ("SOAP-LAV-100", 0, 1)]
    assert detail.reservations == ()
    assert [(s.tracking, s.status, s.void_reason, s.voided_by) for s in detail.shipments] == [
        (first, "voided", "Box crushed", "Morgan Manager"), (second, "label-pending", None, None)]
    assert all(s.carrier == "courier" and s.packages == 1 and s.created_by == "Pat Packer" for s in detail.shipments)
    assert len(detail.scans) == 4 + 3  # both packs, the refused scan too
    assert [(h.held_by, h.reason, h.released_by, h.release_reason) for h in detail.holds] == [
        (None, "Payment under review", "Morgan Manager", "Payment cleared"),
        ("Morgan Manager", "Customer wants gift wrap", "Morgan Manager", None)]
    assert detail.holds[1].held_at is not None and detail.holds[1].released_at is not None
    actions = [entry.action for entry in detail.history]
    assert actions == ["order.released", "order.held", "order.released", "pack.started", "shipment.created",
                       "shipment.voided", "pack.started", "shipment.created"]
    assert {entry.who for entry in detail.history} == {"Morgan Manager", "Pat Packer"}
    assert all(entry.station == "PACK-T" for entry in detail.history)
    assert detail.history[5].details["reason"] == "Box crushed"
    assert detail.ship_to.name == "Test Person" and detail.ship_to.region == "IL"
    as_json = detail.as_json()
    assert as_json["summary"]["number"] == number and as_json["shipments"][0]["created_at"].startswith("20")
