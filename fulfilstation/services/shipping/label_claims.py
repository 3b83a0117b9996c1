"""A manager's word that the carrier made no label: the purchase claim given back.

When a carrier gateway's label call got no answer and the carrier cannot be asked for the
label it may have made (karrio has no look-up by our reference), the shipment keeps its
claim (``label_requested_at`` with ``label_unanswered_at``) and is never bought again by
itself. A manager who checked the carrier's website and found no shipment with its
reference confirms it here: one conditional UPDATE (``WHERE tracking_number IS NULL AND
label_unanswered_at IS NOT NULL``, or a claim older than ``IN_FLIGHT``: a station that
stopped mid-call) clears the claim, audited ``shipment.no_label_confirmed``; the next
reprint buys the label. Refused for a shipment that has its label or no unanswered call.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update

from fulfilstation.carriers.gateway_labels import IN_FLIGHT
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Shipment
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.shipping.lookup import ShipmentRefused


def confirm_no_label(database: Database, actor: Actor, shipment_id: int, now: dt.datetime) -> str:
    """Give the claim back (see the module doc); the shipment's reference with the carrier."""
    with database.unit_of_work() as session:
        released = rows_changed(session, update(Shipment).where(
            Shipment.id == shipment_id, Shipment.tracking_number.is_(None),
            Shipment.status != ShipmentStatus.VOIDED.value, Shipment.label_requested_at.is_not(None),
            or_(Shipment.label_unanswered_at.is_not(None), Shipment.label_requested_at < now - IN_FLIGHT))
            .values(label_requested_at=None, label_unanswered_at=None).execution_options(synchronize_session=False))
        reference = session.scalar(select(Shipment.idempotency_key).where(Shipment.id == shipment_id)) or ""
        if not released:
            raise ShipmentRefused("no-unanswered-label", "This shipment has no label request that went unanswered: "
                                  "nothing to confirm. Reprint it (its label is bought or printed as usual).")
        audit.record(session, actor, "shipment.no_label_confirmed", "shipment", shipment_id, {"reference": reference})
    return reference
