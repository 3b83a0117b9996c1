"""Orders packed and shipped through ``AppServices``, as a signed-in packer does it at a station."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.models import Order, Shipment
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Weighing
from fulfilstation.services.shipping import PrintOutcome
from tests.support.warehouse import make_order, unit_barcode


def ship_order(app: AppServices, packer: Actor, lines: list[tuple[str, int]], *, service: str | None = None,
               box_per_unit: bool = False) -> tuple[str, PrintOutcome]:
    """A new order for ``lines`` packed at the packer's station and shipped: (order number,
    what happened to its labels). ``box_per_unit``: one package per unit."""
    db = app.shipping.database
    number = make_order(db, lines, service=service)
    view = app.packing.start(packer, number)
    units = [sku for sku, quantity in lines for _ in range(quantity)]
    for index, sku in enumerate(units):
        scanned = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
        assert scanned.accepted, scanned.message
        view = scanned.view
        if box_per_unit and index < len(units) - 1:
            assert view.expected_g is not None
            view = app.packing.close_package(packer, view.session_id, Weighing(view.expected_g))
    assert view.expected_g is not None
    return number, app.shipping.ship(packer, view.session_id, Weighing(view.expected_g))


def shipment_status(app: AppServices, number: str) -> str:
    """The status of order ``number``'s latest shipment."""
    with app.shipping.database.unit_of_work() as session:
        return session.scalars(select(Shipment.status).join(Order, Order.id == Shipment.order_id)
                               .where(Order.number == number).order_by(Shipment.id.desc())).first() or ""
