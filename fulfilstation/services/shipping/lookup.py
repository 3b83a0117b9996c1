"""Finding shipments: by tracking number (of the shipment or any of its packages, or a
scanned label's barcode that carries one) or order number, and the latest one of a station.
Read-only; blocking (one short read)."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Package, Shipment
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


