"""A shipment's package labels rebuilt from the database, for the CLI's ``label`` command
and the station's on-screen preview.

The labels are rebuilt with the same code the ship transaction uses
(``carrier_choice.label_for``) from the same rows, so the description is the one every
renderer draws: ZPL at 203 dpi equals the stored label unless the ship-from address, the
order's address or the service name changed since. A label bought from a carrier API has
no description of ours: ``ShipmentLabels.descriptions`` is empty and ``stored_zpl`` holds
what the carrier sent.

Threading: blocking (one short read transaction); call from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import tracking_range
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, Order, Package, Shipment
from fulfilstation.documents.labels import LabelDescription, ShippingLabelData, shipping_label
from fulfilstation.domain.enums import CarrierKind, ShipmentStatus
from fulfilstation.services.refused import Refused
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, label_for


class LabelsUnavailable(Refused):
    """The labels cannot be shown or rebuilt; ``str`` says why in words."""


@dataclass(frozen=True)
class ShipmentLabels:
    shipment_id: int
    order_number: str
    service: str
    labels: tuple[ShippingLabelData, ...]  # empty for a label bought from a carrier API
    stored_zpl: tuple[bytes, ...]  # the labels recorded at ship time, one per package (b"" if none yet)
    voided: bool = False

    @property
    def descriptions(self) -> tuple[LabelDescription, ...]:
        return tuple(shipping_label(label) for label in self.labels)


def labels_of(database: Database, reference: str | int) -> ShipmentLabels | None:
    """The labels of the shipment ``reference`` names: a shipment id (int), an order number
    (its latest live shipment) or a tracking number (of the shipment or of a package).
    None when there is no such shipment."""
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, reference) if isinstance(reference, int) else _find(session,
                                                                                             reference.strip())
        if shipment is None:
            return None
        order = session.get_one(Order, shipment.order_id)
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        carrier = session.get_one(Carrier, account.carrier_id)
        service = session.get_one(CarrierService, shipment.service_id)
        packages = session.scalars(select(Package).where(Package.shipment_id == shipment.id)
                                   .order_by(Package.sequence)).all()
        stored = tuple((package.label_data or "").encode() for package in packages)
        voided = shipment.status == ShipmentStatus.VOIDED.value
        if carrier.kind == CarrierKind.API.value:
            return ShipmentLabels(shipment.id, order.number, service.name, (), stored, voided)
        number_range = tracking_range(session, account)
        if number_range is None:
            raise LabelsUnavailable("labels-unavailable", f"The carrier account {account.name!r} no longer has "
                                    "a tracking number range, so its barcode cannot be rebuilt.")
        choice = CarrierChoice(carrier=carrier, account=account, service=service, number_range=number_range)
        labels = tuple(label_for(session, choice, order, package.tracking_number or "", package.sequence,
                                 len(packages), package.weight_measured_g, shipment.created_at.date())
                       for package in packages)
        return ShipmentLabels(shipment.id, order.number, service.name, labels, stored, voided)


def _find(session: Session, reference: str) -> Shipment | None:
    by_order = session.scalar(select(Shipment).join(Order, Order.id == Shipment.order_id)
                              .where(Order.number == reference)
                              .order_by(Shipment.status == ShipmentStatus.VOIDED.value, Shipment.id.desc()).limit(1))
    if by_order is not None:
        return by_order
    return session.scalar(select(Shipment).outerjoin(Package, Package.shipment_id == Shipment.id)
                          .where(or_(Shipment.tracking_number == reference, Package.tracking_number == reference))
                          .limit(1))
