"""When the database goes away after the ship commit: the truth for the packer, and the
print state recorded once it is back.

The shipment is committed; what happens next (buying, printing, recording that the label
printed) may find the database gone. The packer is then told exactly that — "Shipped
SO-… as TRACKING; the label was (not) printed; the database went away before that was
recorded" — never the words of a ship that saved nothing. A label that came out is in the
station's print journal (``print_journal``) and ``record_journaled_prints`` records it
when the database is back: the shipment's conditional UPDATE from label-pending to
printed, audited, once; nothing is printed again.

Blocking (database, disk); call from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, Package, Shipment
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.shipping.print_journal import PrintedLabel, PrintJournal
from fulfilstation.services.shipping.printing import PrintOutcome


@dataclass(frozen=True)
class ShippedFacts:
    """What the packer must be told of a committed shipment, read right after the commit."""

    shipment_id: int
    order_number: str
    tracking_numbers: tuple[str, ...]

    @property
    def words(self) -> str:
        tracking = ", ".join(number for number in self.tracking_numbers if number)
        if not self.order_number:
            return f"Shipped (shipment {self.shipment_id})"
        return (f"Shipped {self.order_number} as {tracking}" if tracking
                else f"Shipped {self.order_number} (its label is not bought yet)")


def shipped_facts(database: Database, shipment_id: int) -> ShippedFacts:
    with database.unit_of_work() as session:
        number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                .where(Shipment.id == shipment_id)) or ""
        tracking = tuple(t or "" for t in session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)))
    return ShippedFacts(shipment_id, number, tracking)


def database_lost(facts: ShippedFacts, *, printed: bool, printer: str | None = None) -> PrintOutcome:
    """The outcome of a ship whose shipment committed but whose next step found the database gone."""
    if printed:
        problem = (f"{facts.words}; the label was printed; the database went away before that was recorded. It is "
                   "recorded when the database is back: do not print it again.")
    else:
        problem = (f"{facts.words}; the label was not printed; the database went away before that was recorded. "
                   "When the database is back, reprint it: the shipment waits as label pending.")
    return PrintOutcome(facts.shipment_id, facts.tracking_numbers, printed, problem, order_number=facts.order_number,
                        printer=printer, database_lost=True,
                        slip_problem="The packing slip was not printed: the database went away. Print it when it "
                        f"is back: fulfilstation shipments slip {facts.order_number or 'ORDER'}")


def record_printed(database: Database, label: PrintedLabel, actor: Actor | None) -> bool:
    """Record that ``label`` printed (label-pending → printed, at the time it printed);
    True when this call recorded it, False when the shipment was no longer label-pending."""
    with database.unit_of_work() as session:
        recorded = rows_changed(session, update(Shipment).where(
            Shipment.id == label.shipment_id, Shipment.status == ShipmentStatus.LABEL_PENDING.value)
            .values(status=ShipmentStatus.PRINTED.value, printed_at=label.printed_at)
            .execution_options(synchronize_session=False))
        if recorded and actor is not None:
            audit.record(session, actor, "shipment.print_recorded", "shipment", label.shipment_id,
                         {"printer": label.printer, "printed_at": label.printed_at.isoformat(),
                          "order": label.order_number})
    return bool(recorded)


def record_journaled_prints(database: Database, folder: Path, actor: Actor) -> list[PrintedLabel]:
    """Record every label this PC's journals hold for ``database`` and drop them from the
    journal; returns those this call recorded. Never prints."""
    recorded = []
    for journal in PrintJournal.every(folder):
        for label in journal.replayable():
            if label.database != database.display_url:
                continue  # printed against another database: that one records it
            if record_printed(database, label, actor):
                recorded.append(label)
            journal.remove(label.shipment_id)
    return recorded
