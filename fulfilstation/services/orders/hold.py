"""Holding and releasing an order (a manager's or owner's).

A held order keeps its status; stations cannot claim it (``packing.start`` refuses it "on
hold" with the reason) and, when it was held while being packed, the ship transaction
refuses to ship it, saying who held it and why (``shipping.record``). A reason is required
to hold. Shipped and cancelled orders cannot be held.

Invariants: each change is one short transaction whose conditional UPDATE (``hold =
false`` and the order still open; ``hold = true`` to release) settles a race with another
manager or with a station shipping the order; the audit entry (``order.held`` /
``order.released``) names the actor and the reason. A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.lookup import CLOSED, OrderRefused, find_order, packing_where, reason_given
from fulfilstation.services.orders.search import summary_of
from fulfilstation.services.orders.views import OrderSummary


def hold_order(database: Database, actor: Actor, number: str, reason: str, today: dt.date) -> OrderSummary:
    """Put the order on hold for ``reason``; OrderRefused when it is shipped, cancelled or already held."""
    why = reason_given(reason, "held")
    with database.unit_of_work() as session:
        order = find_order(session, number)
        held = rows_changed(session, update(Order).where(Order.id == order.id, Order.hold.is_(False),
                                                         Order.status.not_in(CLOSED))
                            .values(hold=True, hold_reason=why))
        if not held:
            raise _not_held(session, order)
        session.refresh(order)
        details = {"order": order.number, "reason": why, "status": order.status}
        if order.status == OrderStatus.PACKING.value:
            details["while_packing"] = packing_where(session, order.id)
        audit.record(session, actor, "order.held", "order", order.id, details)
        return summary_of(session, order.id, today)


def release_order(database: Database, actor: Actor, number: str, reason: str | None,
                  today: dt.date) -> OrderSummary:
    """Take the hold off the order (``reason`` optional); OrderRefused when it is not on hold."""
    note = (reason or "").strip() or None
    if note is not None:
        note = reason_given(note, "released")
    with database.unit_of_work() as session:
        order = find_order(session, number)
        was = order.hold_reason
        released = rows_changed(session, update(Order).where(Order.id == order.id, Order.hold.is_(True))
                                .values(hold=False, hold_reason=None))
        if not released:
            session.refresh(order)
            raise OrderRefused("not-on-hold", f"Order {order.number} is not on hold ({order.status}): nothing to "
                               "release.")
        audit.record(session, actor, "order.released", "order", order.id,
                     {"order": order.number, "reason": note, "was": was})
        return summary_of(session, order.id, today)


def _not_held(session: Session, order: Order) -> OrderRefused:
    session.refresh(order)
    if order.status == OrderStatus.SHIPPED.value:
        return OrderRefused("order-shipped", f"Order {order.number} has already shipped: it can no longer be held. "
                            "If the parcel is still here, void its shipment first, then hold the order.")
    if order.status == OrderStatus.CANCELLED.value:
        return OrderRefused("order-cancelled", f"Order {order.number} was cancelled: there is nothing to hold.")
    held = audit.last_done(session, "order.held", "order", order.id)
    by = f" by {held.who}" if held is not None else ""
    return OrderRefused("already-on-hold", f"Order {order.number} is already on hold{by}: "
                        f"{order.hold_reason or 'no reason given'}. Release it first to hold it for another reason.")
