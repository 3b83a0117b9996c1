"""Finding shipments: by tracking number (of the shipment or any of its packages, or a
scanned label's barcode that carries one) or order number, and the latest one of a station.
Read-only; blocking (one short read)."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Package, Shipment, User
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.tracking_codes import tracking_candidates
from fulfilstation.services.refused import Refused


class ShipmentRefused(Refused):
    """A shipment that cannot be found, reprinted or voided; the message says why."""


def find_shipment(database: Database, reference: str) -> tuple[int, str]:
    """(shipment id, tracking number) of the live shipment with this tracking number (of any
    of its packages; a scanned label's barcode too) or of this order. ShipmentRefused when
    there is none."""
    text = reference.strip()
    numbers = tracking_candidates(text)
    with database.unit_of_work() as session:
        row = session.execute(select(Shipment.id, Shipment.tracking_number).outerjoin(
            Package, Package.shipment_id == Shipment.id).join(Order, Order.id == Shipment.order_id).where(
            Shipment.tracking_number.in_(numbers) | Package.tracking_number.in_(numbers) | Order.number.in_(numbers),
            Shipment.status != ShipmentStatus.VOIDED.value).order_by(Shipment.id.desc()).limit(1)).first()
    if row is None:
        raise ShipmentRefused("shipment-not-found", f"There is no live shipment with tracking or order number "
                              f"'{text}'. Check the number (a void shipment cannot be used again).")
    return int(row[0]), str(row[1] or "")


def last_shipment_of_station(database: Database, station_id: int) -> int | None:
    with database.unit_of_work() as session:
        return session.scalar(select(Shipment.id).where(
            Shipment.station_id == station_id, Shipment.status != ShipmentStatus.VOIDED.value)
            .order_by(Shipment.id.desc()).limit(1))




def shipment_to_reprint(database: Database, reference: str | int) -> int:
    """The id of the live shipment a reprint names: a shipment id (an int, or digits that are
    no tracking or order number), a tracking number or an order number. ShipmentRefused
    saying why when it cannot be reprinted: not found, or voided (when, by whom, why)."""
    if isinstance(reference, int) or not reference.strip():
        shipment_id = int(reference) if isinstance(reference, int) else -1
    else:
        try:
            return find_shipment(database, reference)[0]
        except ShipmentRefused:
            if not reference.strip().isdigit() or len(reference.strip()) > 9:
                voided = _voided_by_reference(database, reference.strip())
                if voided is None:
                    raise
                shipment_id = voided
            else:
                shipment_id = int(reference.strip())
    with database.unit_of_work() as session:
        row = session.execute(select(Shipment.status, Shipment.voided_at, Shipment.void_reason, User.full_name,
                                     Order.number, Shipment.tracking_number)
                              .join(Order, Order.id == Shipment.order_id)
                              .outerjoin(User, User.id == Shipment.voided_by_id)
                              .where(Shipment.id == shipment_id)).first()
    if row is None:
        raise ShipmentRefused("shipment-not-found", f"There is no shipment {reference!s} (no shipment id, tracking "
                              "or order number): check the number.")
    status, voided_at, reason, voided_by, order_number, tracking = row
    if status == ShipmentStatus.VOIDED.value:
        when = f" on {voided_at.astimezone():%Y-%m-%d %H:%M}" if voided_at else ""
        raise ShipmentRefused("voided", f"Not reprinted: shipment {tracking or shipment_id} of order {order_number} "
                              f"was voided{when} by {voided_by or 'a manager'} ({reason or 'no reason given'}). "
                              "Its label must not go on a parcel: pack the order again for a new label.")
    return shipment_id


def _voided_by_reference(database: Database, text: str) -> int | None:
    numbers = tracking_candidates(text)
    with database.unit_of_work() as session:
        return session.scalar(select(Shipment.id).outerjoin(Package, Package.shipment_id == Shipment.id)
                              .join(Order, Order.id == Shipment.order_id)
                              .where(Shipment.tracking_number.in_(numbers) | Package.tracking_number.in_(numbers)
                                     | Order.number.in_(numbers), Shipment.status == ShipmentStatus.VOIDED.value)
                              .order_by(Shipment.id.desc()).limit(1))
