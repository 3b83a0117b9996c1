"""A closed manifest's end-of-day close with the carrier, through its ``CarrierGateway``
(karrio's manifest call: a USPS SCAN form …), and how its document is kept.

Asked only after the close committed, for exactly the manifest's live labelled shipments
(every package's tracking number). Recording the answer on the manifest once is
``services.manifests.scan_form``'s job: the carrier's id in ``manifests.external_id``, its
document in ``external_form_url`` as a ``data:`` address (the one change a closed manifest
accepts). Blocking (database, network): worker threads only.
"""

from __future__ import annotations

import base64

from sqlalchemy import select

from fulfilstation.carriers.gateway import CarrierGateway, CarrierManifest, CarrierProblem, LabelFormat
from fulfilstation.carriers.gateway_addresses import ship_from_postal
from fulfilstation.db.database import Database
from fulfilstation.db.models import Package, Shipment
from fulfilstation.domain.enums import ShipmentStatus

_MEDIA = {LabelFormat.PDF: "application/pdf", LabelFormat.ZPL: "application/zpl", LabelFormat.PNG: "image/png"}


def manifest_numbers(database: Database, manifest_id: int) -> list[str]:
    """The tracking numbers of the manifest's live carrier labels, in shipment and package order."""
    with database.unit_of_work() as session:
        return [t for t in session.scalars(select(Package.tracking_number).join(
            Shipment, Shipment.id == Package.shipment_id).where(
            Shipment.manifest_id == manifest_id, Shipment.status != ShipmentStatus.VOIDED.value,
            Shipment.tracking_number.is_not(None), Package.external_id.is_not(None))
            .order_by(Shipment.id, Package.sequence)) if t]


def carrier_manifest_for(database: Database, manifest_id: int, gateway: CarrierGateway) -> CarrierManifest | None:
    """The carrier's close of the manifest's labels; None when the carrier has no such call.
    Raises CarrierProblem in words."""
    numbers = manifest_numbers(database, manifest_id)
    if not numbers:
        raise CarrierProblem("This manifest holds no label bought from the carrier: nothing to close with it.")
    with database.unit_of_work() as session:
        ship_from = ship_from_postal(session)
    return gateway.manifest(numbers, ship_from)


def document_address(made: CarrierManifest) -> str | None:
    """The carrier's manifest document as a ``data:`` address (None without a document)."""
    if not made.document:
        return None
    media = _MEDIA.get(made.document_format or LabelFormat.PDF, "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(made.document).decode('ascii')}"


def document_bytes(address: str | None) -> bytes | None:
    """The document a ``data:`` address holds (None for any other address)."""
    if not address or not address.startswith("data:") or ";base64," not in address:
        return None
    return base64.b64decode(address.split(";base64,", 1)[1])
