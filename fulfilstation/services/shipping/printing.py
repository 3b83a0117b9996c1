"""Printing, reprinting and voiding shipments — always after the commit that recorded them.

A label that fails to print leaves its shipment ``label-pending``; reprinting sends the very
same stored label (same tracking number), never a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Shipment,
    ShippedSerial,
    StockLevel,
    StockMove,
    User,
)
from fulfilstation.domain.enums import OrderStatus, Role, ShipmentStatus, StockMoveReason
from fulfilstation.ports import DeviceError, LabelPrinter
from fulfilstation.services.packing.views import PackRefused, Refusal
from fulfilstation.services.shipping.printer_check import check_then_send


@dataclass(frozen=True)
class PrintOutcome:
    shipment_id: int
    tracking_numbers: tuple[str, ...]
    printed: bool
    problem: str | None
    slip_problem: str | None = None  # the packing slip's printing problem, when one was printed


def print_shipment(database: Database, printer: LabelPrinter | None, shipment_id: int) -> PrintOutcome:
    """Send every package label of the shipment; mark it printed only if all went out.
    Blocking (printer I/O): never on the GUI thread."""
    with database.unit_of_work() as session:
        packages = session.execute(select(Package.tracking_number, Package.label_data).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    tracking = tuple(t or "" for t, _label in packages)  # same order as tracking_numbers()
    if not packages or not all(label for _t, label in packages):
        return PrintOutcome(shipment_id, tracking, False, "This shipment's label has not been bought from the "
                            "carrier yet: press Reprint to try again.")
    if printer is None:
        return PrintOutcome(shipment_id, tracking, False, "No label printer is set up for this station: choose "
                            "one in Station settings, then reprint.")
    try:
        for number, label in packages:
            check_then_send(printer, (label or "").encode(), f"label {number}")
    except DeviceError as exc:
        return PrintOutcome(shipment_id, tracking, False, exc.user_message)
    with database.unit_of_work() as session:
        session.execute(update(Shipment).where(Shipment.id == shipment_id,
                                               Shipment.status == ShipmentStatus.LABEL_PENDING.value)
                        .values(status=ShipmentStatus.PRINTED.value, printed_at=utcnow()))
    return PrintOutcome(shipment_id, tracking, True, None)


def tracking_numbers(database: Database, shipment_id: int) -> tuple[str, ...]:
    with database.unit_of_work() as session:
        return tuple(t or "" for t in session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all())


def find_shipment(database: Database, reference: str) -> tuple[int, str]:
    """(shipment id, tracking number) of the live shipment with this tracking number (of any
    of its packages) or of this order. PackRefused when there is none."""
    text = reference.strip()
    with database.unit_of_work() as session:
        row = session.execute(select(Shipment.id, Shipment.tracking_number).outerjoin(
            Package, Package.shipment_id == Shipment.id).join(Order, Order.id == Shipment.order_id).where(
            (Shipment.tracking_number == text) | (Package.tracking_number == text) | (Order.number == text),
            Shipment.status != ShipmentStatus.VOIDED.value).order_by(Shipment.id.desc()).limit(1)).first()
    if row is None:
        raise PackRefused(Refusal.SESSION_CLOSED, f"No shipment with tracking or order number '{text}' to void.")
    return int(row[0]), str(row[1] or "")


def last_shipment_of_station(database: Database, station_id: int) -> int | None:
    with database.unit_of_work() as session:
        return session.scalar(select(Shipment.id).where(
            Shipment.station_id == station_id, Shipment.status != ShipmentStatus.VOIDED.value)
            .order_by(Shipment.id.desc()).limit(1))


def void_shipment(database: Database, shipment_id: int, manager_id: int, reason: str = "voided") -> None:
    """Cancel a shipment that has not been manifested: its units go back on the shelf as
    reserved for the order, its serials may ship again, and the order is ready to pack."""
    with database.unit_of_work() as session:
        manager = session.get(User, manager_id)
        if manager is None or manager.role not in (Role.MANAGER.value, Role.OWNER.value):
            raise PackRefused(Refusal.NOT_ALLOWED, "Only a manager can void a shipment.")
        shipment = session.get(Shipment, shipment_id)
        if shipment is None or shipment.status == ShipmentStatus.VOIDED.value:
            raise PackRefused(Refusal.SESSION_CLOSED, "This shipment does not exist or is already void.")
        if shipment.manifest_id is not None:
            raise PackRefused(Refusal.NOT_ALLOWED, "This shipment is on a closed manifest: the driver has it. "
                              "Ask the carrier to return it instead.")
        voided = rows_changed(session, update(Shipment).where(
            Shipment.id == shipment_id, Shipment.status != ShipmentStatus.VOIDED.value,
            Shipment.manifest_id.is_(None)).values(status=ShipmentStatus.VOIDED.value, voided_at=utcnow(),
                                                    voided_by_id=manager_id, void_reason=reason))
        if not voided:
            raise PackRefused(Refusal.SESSION_CLOSED, "This shipment was voided or manifested meanwhile.")
        _restore_stock(session, shipment)
        item_ids = select(PackageItem.id).join(Package, Package.id == PackageItem.package_id).where(
            Package.shipment_id == shipment_id)
        session.execute(delete(ShippedSerial).where(ShippedSerial.package_item_id.in_(item_ids)))
        session.execute(update(Order).where(Order.id == shipment.order_id, Order.status == OrderStatus.SHIPPED.value)
                        .values(status=OrderStatus.READY.value))
        session.add(AuditEntry(user_id=manager_id, action="shipment.voided", entity_type="shipment",
                               entity_id=shipment_id, details={"reason": reason,
                                                               "tracking": shipment.tracking_number}))


def _restore_stock(session: Session, shipment: Shipment) -> None:
    moves = session.scalars(select(StockMove).where(StockMove.shipment_id == shipment.id,
                                                    StockMove.reason == StockMoveReason.SHIP.value)).all()
    lines = {line.product_id: line.id for line in session.scalars(
        select(OrderLine).where(OrderLine.order_id == shipment.order_id)).all()}
    for move in moves:
        level = session.scalar(select(StockLevel).where(
            StockLevel.product_id == move.product_id, StockLevel.bin_id == move.from_bin_id,
            StockLevel.lot_code == move.lot_code))
        if level is None:
            raise RuntimeError(f"the stock level shipped from (stock move {move.id}) no longer exists")
        level.on_hand += move.quantity
        level.reserved += move.quantity
        session.add(StockMove(product_id=move.product_id, to_bin_id=move.from_bin_id, lot_code=move.lot_code,
                              quantity=move.quantity, reason=StockMoveReason.VOID.value, order_id=move.order_id,
                              shipment_id=shipment.id, note="shipment voided: back on the shelf, reserved"))
        session.add(Allocation(order_line_id=lines[move.product_id], stock_level_id=level.id,
                               quantity=move.quantity))
    session.flush()
