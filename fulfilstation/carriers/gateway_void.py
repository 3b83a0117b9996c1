"""Cancelling a voided shipment's labels with the carrier, through its ``CarrierGateway``.

Called only after the void committed here (``services.shipping.void``): the shipment is
void whatever the carrier says, so a refusal never leaves a live shipment without its label.
Each carrier shipment the packages are on (``packages.external_id``; several when the
carrier took one parcel per shipment) is cancelled once, with its first tracking number.
Every outcome is noted on the shipment. Blocking (database, network): worker threads only.
"""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem
from fulfilstation.db.database import Database
from fulfilstation.db.models import Package, Shipment, ShipmentNote
from fulfilstation.domain.enums import ShipmentStatus


def carrier_shipments(database: Database, shipment_id: int) -> list[tuple[str, str]]:
    """(carrier shipment id, its first tracking number) of each carrier shipment, in package order."""
    with database.unit_of_work() as session:
        rows = session.execute(select(Package.external_id, Package.tracking_number).where(
            Package.shipment_id == shipment_id, Package.external_id.is_not(None))
            .order_by(Package.sequence)).all()
    found: dict[str, str] = {}
    for external_id, tracking in rows:
        if external_id and external_id not in found:
            found[external_id] = tracking or ""
    return list(found.items())


def void_labels(database: Database, shipment_id: int, gateway: CarrierGateway) -> int:
    """Cancel every label of the voided shipment with the carrier; the number cancelled.
    Raises CarrierProblem (the carrier's own words in ``carrier_text``) at the first refusal,
    after noting on the shipment which were cancelled."""
    with database.unit_of_work() as session:
        status = session.scalar(select(Shipment.status).where(Shipment.id == shipment_id))
    if status != ShipmentStatus.VOIDED.value:
        raise CarrierProblem("Void the shipment first; its labels are cancelled with the carrier after that.")
    cancelled = []
    try:
        for external_id, tracking in carrier_shipments(database, shipment_id):
            gateway.void(external_id, tracking)
            cancelled.append(tracking or external_id)
    except CarrierProblem as problem:
        _note(database, shipment_id, f"Carrier label not cancelled: {problem.message}"
              + (f" ({problem.carrier_text})" if problem.carrier_text else ""))
        raise
    finally:
        if cancelled:
            _note(database, shipment_id, f"Cancelled with the carrier: {', '.join(cancelled)}.")
    return len(cancelled)


def _note(database: Database, shipment_id: int, text: str) -> None:
    with database.unit_of_work() as session:
        session.add(ShipmentNote(shipment_id=shipment_id, text=text))
