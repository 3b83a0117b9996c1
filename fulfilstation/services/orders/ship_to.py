"""Changing an order's ship-to address (``Permission.EDIT_ADDRESS``): any order not yet
shipped or cancelled — also while it is being packed, since its label is made when it ships.

The address is checked by the same rules as the site's ship-from address
(``fulfilstation.domain.address``); the customer's email is kept unless a new one is given.
Invariants: one short transaction with a conditional UPDATE (the order still open), and the
audit entry ``order.address_changed`` with the old and the new address and the actor. An
unchanged address changes nothing and writes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order
from fulfilstation.domain.address import Address, AddressProblem, checked
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.lookup import CLOSED, OrderRefused, find_order


def ship_to_of(order: Order) -> Address:
    return Address(order.ship_to_name, order.ship_to_line1, order.ship_to_city, order.ship_to_postal_code,
                   order.ship_to_country, order.ship_to_line2, order.ship_to_region, order.ship_to_company,
                   order.ship_to_phone, order.ship_to_email)


def set_ship_to(database: Database, actor: Actor, number: str, address: Address) -> Address:
    """Ship the order to ``address``; returns the address as stored (cleaned)."""
    try:
        new = checked(address, "The ship-to address")
    except AddressProblem as problem:
        raise OrderRefused("bad-address", str(problem)) from problem
    with database.unit_of_work() as session:
        order = find_order(session, number)
        old = ship_to_of(order)
        if new.email is None:
            new = replace(new, email=old.email)
        if new == old:
            return old
        changed = rows_changed(session, update(Order).where(Order.id == order.id, Order.status.not_in(CLOSED)).values(
            ship_to_name=new.name, ship_to_company=new.company, ship_to_line1=new.line1, ship_to_line2=new.line2,
            ship_to_city=new.city, ship_to_region=new.region, ship_to_postal_code=new.postal_code,
            ship_to_country=new.country, ship_to_phone=new.phone, ship_to_email=new.email))
        if not changed:
            session.refresh(order)
            if order.status == OrderStatus.SHIPPED.value:
                raise OrderRefused("order-shipped", f"Order {order.number} has shipped: its address can no longer "
                                   "change. If the parcel is still here, void the shipment first.")
            raise OrderRefused("order-cancelled", f"Order {order.number} was cancelled: its address can no longer "
                               "change.")
        audit.record(session, actor, "order.address_changed", "order", order.id,
                     {"order": order.number, "from": old.as_json(), "to": new.as_json()})
        return new
