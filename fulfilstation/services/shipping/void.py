"""Voiding a shipment that has not been manifested (a manager's or owner's job).

One transaction: the conditional UPDATE (live and not on a manifest) decides a race with a
close-out; the shipped units go back on the shelf, reserved for the order again (stock
moves ``void``); its serials may ship again; the order is ready to pack again (its
``ready_at``, the first time it became ready, is kept: ``orders.ready``); the audit
entry names the actor; refused while an RMA of the order is open or received (checked after
holding the order's row, as ``returns.create`` holds it, so the two never cross); the shop's
push is undone in the same transaction (``services.outbox.shipment_voided``: a pending push
cancelled, a delivered one followed by a ``fulfilment.cancel`` push). Asking an API carrier
for the refund happens after this commit (``api_labels.refund_after_void``).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Allocation,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Rma,
    Shipment,
    ShippedSerial,
    StockLevel,
    StockMove,
)
from fulfilstation.domain.enums import OrderStatus, RmaStatus, ShipmentStatus, StockMoveReason
from fulfilstation.services import audit, outbox
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.ready import first_ready_at
from fulfilstation.services.packing import serials_received
from fulfilstation.services.shipping.lookup import ShipmentRefused


def void_shipment(database: Database, actor: Actor, shipment_id: int, reason: str) -> None:
    """Void the shipment (see the module doc). ShipmentRefused when it is void already or
    on a closed manifest."""
    if not reason.strip():
        raise ShipmentRefused("reason-required", "Say why the shipment is voided (a reason is kept with it).")
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None or shipment.status == ShipmentStatus.VOIDED.value:
            raise ShipmentRefused("shipment-void", "This shipment does not exist or is already void.")
        if shipment.manifest_id is not None:
            raise ShipmentRefused("on-manifest", "This shipment is on a closed manifest: the driver has it. "
                                  "Ask the carrier to return it instead.")
        voided = rows_changed(session, update(Shipment).where(
            Shipment.id == shipment_id, Shipment.status != ShipmentStatus.VOIDED.value,
            Shipment.manifest_id.is_(None)).values(status=ShipmentStatus.VOIDED.value, voided_at=utcnow(),
                                                    voided_by_id=actor.user_id, void_reason=reason.strip()))
        if not voided:
            raise ShipmentRefused("shipment-void", "This shipment was voided or manifested meanwhile.")
        _refuse_while_returned(session, shipment)
        _restore_stock(session, shipment, actor)
        item_ids = select(PackageItem.id).join(Package, Package.id == PackageItem.package_id).where(
            Package.shipment_id == shipment_id)
        session.execute(delete(ShippedSerial).where(ShippedSerial.package_item_id.in_(item_ids)))
        serials_received.mark_returned(session, shipment_id)
        session.execute(update(Order).where(Order.id == shipment.order_id, Order.status == OrderStatus.SHIPPED.value)
                        .values(status=OrderStatus.READY.value, ready_at=first_ready_at()))
        push = outbox.shipment_voided(session, shipment)
        audit.record(session, actor, "shipment.voided", "shipment", shipment_id,
                     {"reason": reason.strip(), "tracking": shipment.tracking_number,
                      **({"shop_push": push} if push else {})})


def _refuse_while_returned(session: Session, shipment: Shipment) -> None:
    """Hold the order's row (as ``returns.create`` does), then refuse while an RMA of the order
    is open or received: its units would come back into stock a second time."""
    session.execute(update(Order).where(Order.id == shipment.order_id).values(refund_due=Order.refund_due))
    live = session.execute(select(Rma.number, Rma.status).where(
        Rma.order_id == shipment.order_id, Rma.status.in_([RmaStatus.OPEN.value, RmaStatus.RECEIVED.value]))
        .order_by(Rma.id)).first()
    if live is None:
        return
    number, status = live
    if status == RmaStatus.OPEN.value:
        raise ShipmentRefused("rma-open", f"{number} is open for this order: cancel it first "
                              f"('fulfilstation rma cancel {number}' or the Returns screen), then void the shipment.")
    raise ShipmentRefused("rma-open", f"{number} is received for this order (items came back): grade them or close "
                          f"it short ('fulfilstation rma close {number}') instead of voiding the shipment.")


def _restore_stock(session: Session, shipment: Shipment, actor: Actor) -> None:
    """Put every shipped unit back on the level it left, reserved again for the order.

    The levels are changed by ``UPDATE … SET on_hand = on_hand + :q`` in stock-level id
    order (as ship, move and cancel lock them), never by writing a figure read earlier: a
    move or adjust of the same level committed meanwhile is kept, so the levels stay the
    sum of their stock moves."""
    moves = session.scalars(select(StockMove).where(StockMove.shipment_id == shipment.id,
                                                    StockMove.reason == StockMoveReason.SHIP.value)).all()
    lines = {line.product_id: line.id for line in session.scalars(
        select(OrderLine).where(OrderLine.order_id == shipment.order_id)
        .order_by(OrderLine.line_no.desc())).all()}  # a product on two lines: back to its first
    levels: dict[int, int] = {}
    for move in moves:
        level_id = session.scalar(select(StockLevel.id).where(
            StockLevel.product_id == move.product_id, StockLevel.bin_id == move.from_bin_id,
            StockLevel.lot_code == move.lot_code))
        if level_id is None:
            raise RuntimeError(f"the stock level shipped from (stock move {move.id}) no longer exists")
        levels[move.id] = level_id
    back: dict[tuple[int, int], int] = {}
    for move in sorted(moves, key=lambda m: levels[m.id]):
        level_id = levels[move.id]
        session.execute(update(StockLevel).where(StockLevel.id == level_id).values(
            on_hand=StockLevel.on_hand + move.quantity, reserved=StockLevel.reserved + move.quantity))
        session.add(StockMove(product_id=move.product_id, to_bin_id=move.from_bin_id, lot_code=move.lot_code,
                              quantity=move.quantity, reason=StockMoveReason.VOID.value, order_id=move.order_id,
                              shipment_id=shipment.id, note="shipment voided: back on the shelf, reserved",
                              user_id=actor.user_id, station_id=actor.station_id))
        key = (lines[move.product_id], level_id)
        back[key] = back.get(key, 0) + move.quantity
    for (line_id, level_id), quantity in back.items():
        session.add(Allocation(order_line_id=line_id, stock_level_id=level_id, quantity=quantity))
    session.flush()
