"""A split order's shipments reach its shop as parts of ONE shop order (both engines): each
push names the root's external id, carries only the lines (the shop's line item ids) and
quantities the parcel held, and only the last part to ship says so."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.integrations.ports import ShippedLine
from fulfilstation.services.orders.arrival import reserve_arrivals
from fulfilstation.services.packing import Weighing
from tests.support.app import sign_in
from tests.support.kits import new_product, pending_order
from tests.support.outbox import add_shop, messages
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.warehouse import expected_weight, scan_units

TODAY = dt.date(2026, 12, 5)


def test_each_part_of_a_split_order_is_pushed_with_its_own_lines(seeded_database: Database) -> None:
    db = seeded_database
    shop = RecordingShop()
    app = shop_app(db, shop, ManualClock())
    add_shop(app)  # the channel "test", where pending_order files its orders
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    new_product(db, "PS-LATE", barcode="04006381333931")
    number = pending_order(db, [("MUG-CER-350", 1), ("PS-LATE", 2)])
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        for line in order.lines:
            line.external_line_id = f"gid://shopify/LineItem/{line.line_no}"
        order_id = order.id
    (outcome,) = reserve_arrivals(db, manager, [order_id], TODAY)
    assert outcome.result == "ready", outcome.message

    def ship(which: str, lines: list[tuple[str, int]]) -> None:
        session_id = app.packing.start(packer, which).session_id
        scan_units(app, packer, session_id, lines)
        app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))

    ship(number, [("MUG-CER-350", 1)])
    assert app.integrations.deliver(manager).delivered == 1
    [(key, external, lines, last)] = shop.parts
    assert (external, lines, last) == (number, (ShippedLine("gid://shopify/LineItem/1", 1, "MUG-CER-350"),), False)

    app.stock.adjust(manager, "PS-LATE", "A-01-1", "the late ones came", by=2)
    ship(f"{number}-2", [("PS-LATE", 2)])
    rest_push = messages(db, "shipment.created")[-1]
    assert rest_push.payload["external_id"] == number  # the shop's order, not "<number>#2"
    assert app.integrations.deliver(manager).delivered == 1
    (_key, external, lines, last) = shop.parts[-1]
    assert (external, lines, last) == (number, (ShippedLine("gid://shopify/LineItem/2", 2, "PS-LATE"),), True)
    assert key != shop.parts[-1][0]
