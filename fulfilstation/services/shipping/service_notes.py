"""When a shipment goes by another service than the order showed, say so in words.

The station header and ``orders show`` quote the order with its parcel estimated from the
products; the ship transaction rates the parcels as weighed, which may pick another service
(a heavier parcel: another one is the cheapest that keeps the promise), and the ship asks
the carriers' live rates, which may rank the services otherwise than the tables. ``shown_service``
rates the order as it was shown (call it inside the ship transaction *before* the last
package is recorded); ``service_change`` words the difference; ``service_note`` reads it back
from the shipment's ``shipment.created`` audit entry after the commit. Blocking; no threads.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.live_offers import LIVE
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order
from fulfilstation.domain.money import format_money
from fulfilstation.services.packing.views import PackRefused
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, choose_carrier


def shown_service(session: Session, order: Order) -> CarrierChoice | None:
    """The service the order showed before its last package was weighed (None: none could be rated)."""
    try:
        return choose_carrier(session, order)
    except PackRefused:
        return None


def service_change(shown: CarrierChoice | None, shipped: CarrierChoice, weight_g: int) -> str | None:
    """``Shipped by X ($p), not Y as shown: at W g it is the cheapest …`` — None when the same service."""
    if shown is None or shown.service.id == shipped.service.id:
        return None
    price = f" ({format_money(shipped.cost_minor, shipped.currency)})" if shipped.cost_minor else ""
    why = "by the carriers' live rates" if shipped.rate_source == LIVE else f"at {weight_g} g"
    return (f"Shipped by {shipped.service.name}{price}, not {shown.service.name} as shown: "
            f"{why} it is {_reason_words(shipped.reason)}")


def _reason_words(reason: str) -> str:
    """The rating reason as the end of a sentence: ``cheapest; no delivery date promised`` →
    ``the cheapest service (no delivery date promised)``."""
    if reason.startswith("cheapest that arrives by"):
        return "the cheapest service that arrives by" + reason.removeprefix("cheapest that arrives by")
    if reason.startswith("cheapest; "):
        return f"the cheapest service ({reason.removeprefix('cheapest; ')})"
    return f"the service chosen: {reason}"


def service_note(database: Database, shipment_id: int) -> str | None:
    """The service note recorded with the shipment, then its rate note (gateway accounts left
    out of the live rates, and why); None when it ships as shown with every account answering."""
    with database.unit_of_work() as session:
        details = session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "shipment.created", AuditEntry.entity_type == "shipment",
            AuditEntry.entity_id == shipment_id).order_by(AuditEntry.id.desc()).limit(1))
    notes = [str(note) for note in ((details or {}).get("service_note"), (details or {}).get("rate_note")) if note]
    return " ".join(notes) or None
