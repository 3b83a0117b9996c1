"""Cancelling an order (a manager's or owner's): only an order that is neither shipped nor
being packed — the refusal says what to do first (cancel the pack; void the shipment).

Invariants: one short transaction. The conditional UPDATE (status pending or ready →
cancelled) decides a race between two managers, or with a station claiming the order:
exactly one wins. In the same transaction the order's reservations are released: its
allocations are deleted (``DELETE … RETURNING`` says exactly what they held) and each
stock level's ``reserved`` drops by exactly that, by a conditional UPDATE that never takes
it below zero; on-hand stock does not change (nothing moved), so no stock move is written.
The audit entry ``order.cancelled`` names the actor, the reason and what was released; the
outbox message ``order.cancelled`` tells the shop. A hold on the order ends with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Allocation, Bin, Order, OrderLine, OutboxMessage, Product, Shipment, StockLevel
from fulfilstation.domain.enums import OrderStatus, ShipmentStatus
from fulfilstation.services import audit, outbox
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.lookup import OrderRefused, find_order, packing_where, reason_given
from fulfilstation.services.orders.search import summary_of
from fulfilstation.services.orders.views import CancelledOrder, Reservation
from fulfilstation.services.picking.closing import finish_lists_of

CANCELLABLE = (OrderStatus.PENDING.value, OrderStatus.READY.value)


def cancel_order(database: Database, actor: Actor, number: str, reason: str, today: dt.date) -> CancelledOrder:
    why = reason_given(reason, "cancelled")
    with database.unit_of_work() as session:
        order = find_order(session, number)
        was_held = order.hold_reason if order.hold else None
        cancelled = rows_changed(session, update(Order).where(Order.id == order.id, Order.status.in_(CANCELLABLE))
                                 .values(status=OrderStatus.CANCELLED.value, hold=False, hold_reason=None))
        if not cancelled:
            raise _not_cancelled(session, order)
        released = _release(session, order)
        finish_lists_of(session, order.id)
        details = {"order": order.number, "reason": why, "released": [_json(r) for r in released]}
        if was_held is not None:
            details["was_held"] = was_held
        audit.record(session, actor, "order.cancelled", "order", order.id, details)
        session.add(OutboxMessage(topic="order.cancelled", dedup_key=f"order.cancelled:{order.id}",
                                  channel=outbox.shop_channel_of(session, order.channel), order_id=order.id,
                                  payload={"order_id": order.id, "order": order.number, "channel": order.channel,
                                           "external_id": order.external_id, "reason": why}))
        return CancelledOrder(summary_of(session, order.id, today), released)


def _release(session: Session, order: Order) -> tuple[Reservation, ...]:
    lines = select(OrderLine.id).where(OrderLine.order_id == order.id)
    deleted = session.execute(delete(Allocation).where(Allocation.order_line_id.in_(lines))
                              .returning(Allocation.stock_level_id, Allocation.quantity)
                              .execution_options(synchronize_session=False)).all()
    held: dict[int, int] = defaultdict(int)
    for level_id, quantity in deleted:
        held[level_id] += quantity
    for level_id, quantity in sorted(held.items()):  # one order of locks for every cancel
        given_back = rows_changed(session, update(StockLevel).where(
            StockLevel.id == level_id, StockLevel.reserved >= quantity)
            .values(reserved=StockLevel.reserved - quantity))
        if not given_back:
            raise OrderRefused("stock-mismatch", f"The stock figures do not match order {order.number}'s "
                               f"reservations (stock level {level_id} holds fewer than {quantity} reserved units): "
                               "nothing changed. Ask an owner to check that bin's stock before cancelling.")
    names = {level_id: (sku, code, lot) for level_id, sku, code, lot in session.execute(
        select(StockLevel.id, Product.sku, Bin.code, StockLevel.lot_code)
        .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.id.in_(list(held))))}
    return tuple(Reservation(names[level_id][0], names[level_id][1], names[level_id][2] or None, quantity)
                 for level_id, quantity in sorted(held.items(), key=lambda item: names[item[0]][:2]))


def _not_cancelled(session: Session, order: Order) -> OrderRefused:
    session.refresh(order)
    if order.status == OrderStatus.PACKING.value:
        return OrderRefused("order-being-packed", f"Order {order.number} is being packed "
                            f"{packing_where(session, order.id)}: cancel that pack first (at the station, or ask "
                            "its packer), then cancel the order.")
    if order.status == OrderStatus.SHIPPED.value:
        tracking = session.scalar(select(Shipment.tracking_number).where(
            Shipment.order_id == order.id, Shipment.status != ShipmentStatus.VOIDED.value)
            .order_by(Shipment.id.desc()).limit(1))
        return OrderRefused("order-shipped", f"Order {order.number} has shipped"
                            f"{f' ({tracking})' if tracking else ''}: if the parcel is still here, void the shipment "
                            "first (that puts its items back), then cancel the order; else start a return.")
    return OrderRefused("order-cancelled", f"Order {order.number} is already cancelled.")


def _json(reservation: Reservation) -> dict[str, object]:
    return {"sku": reservation.sku, "bin": reservation.bin, "lot": reservation.lot, "quantity": reservation.quantity}
