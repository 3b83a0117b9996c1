"""Returning a kit on SQLite and PostgreSQL: an RMA line naming a kit the order shipped is
authorised as its component lines (what physically comes back), never more kits than
shipped, and each component unit is refunded at an equal share of the kit's price."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.services.packing import Weighing
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from tests.db.test_kits import KIT_CODE, gift_order
from tests.support.app import app_for, sign_in
from tests.support.warehouse import unit_barcode


def test_a_kit_comes_back_as_its_parts_each_refunded_at_its_share(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = gift_order(db)  # 2 × GIFT-SET (2 × MUG-ENA-300 + 1 × SOAP-LAV-100 each) and a candle
    with db.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        kit_id = session.scalars(select(Product.id).where(Product.sku == "GIFT-SET")).one()
        session.execute(update(OrderLine).where(OrderLine.order_id == order_id).values(unit_price_minor=0))
        session.execute(update(OrderLine).where(OrderLine.order_id == order_id, OrderLine.product_id == kit_id)
                        .values(unit_price_minor=3000))
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    app.orders.reserve_stock(manager, [number])
    view = app.packing.start(packer, number)
    for sku, units in (("MUG-ENA-300", 4), ("SOAP-LAV-100", 2), ("CNDL-CED-200", 1)):
        for _unit in range(units):
            view = app.packing.scan(packer, view.session_id, unit_barcode(db, sku)).view
    assert view.expected_g is not None and KIT_CODE
    app.shipping.ship(packer, view.session_id, Weighing(view.expected_g))

    with pytest.raises(ReturnsRefused, match="has 2 kits of GIFT-SET left to return") as too_many:
        app.returns.create(manager, number, [NewRmaLine("GIFT-SET", 3, "no-longer-needed")], label=False)
    assert too_many.value.code == "too-many"
    made = app.returns.create(manager, number, [NewRmaLine("gift-set", 1, "no-longer-needed")], label=False)
    rma = app.returns.find(made.number)
    assert made.units == 3 and [(li.sku, li.expected) for li in rma.lines] == [("MUG-ENA-300", 2),
                                                                               ("SOAP-LAV-100", 1)]
    for sku in ("MUG-ENA-300", "MUG-ENA-300", "SOAP-LAV-100"):
        app.returns.receive(packer, made.number, unit_barcode(db, sku))
    for sku in ("MUG-ENA-300", "MUG-ENA-300", "SOAP-LAV-100"):
        last = app.returns.grade(packer, made.number, sku, "opened", "dispose")
    assert last.closed and last.rma.refund_minor == 3000  # one kit's price: 3 units × 1000
    later = app.returns.create(manager, number, [NewRmaLine("GIFT-SET", 1, "other")], label=False)
    assert later.units == 3
    with pytest.raises(ReturnsRefused, match="has 0 kits of GIFT-SET left"):
        app.returns.create(manager, number, [NewRmaLine("GIFT-SET", 1, "other")], label=False)
