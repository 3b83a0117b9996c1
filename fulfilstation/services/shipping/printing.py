"""Printing a shipment's labels — always after the commit that recorded it.

A label that fails to print leaves its shipment ``label-pending``; reprinting sends the very
same stored label (same tracking number), never a new one. A printer is asked whether it is
ready before anything is sent (``printer_check``). Blocking (database, printer I/O).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Order,
    Package,
    Shipment,
)
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.ports import DeviceError, LabelPrinter
from fulfilstation.printer_check import check_then_send


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to a shipment's labels (and, after a ship, its packing slip)."""

    shipment_id: int
    tracking_numbers: tuple[str, ...]
    printed: bool
    problem: str | None  # why the labels were not printed, with what to do
    slip_problem: str | None = None  # the packing slip could not be printed or saved
    slip_saved_to: str | None = None  # no document printer: the slip was saved to this file
    slip_filed_to: str | None = None  # the document printer files documents (pdf://): the slip is this file
    order_number: str = ""
    printer: str | None = None  # the label printer's address, when the labels went out

    @property
    def simulated(self) -> bool:
        """The labels went to a ``sim:`` printer: nothing was printed on paper."""
        return self.printed and (self.printer or "").startswith("sim:")


def print_shipment(database: Database, printer: LabelPrinter | None, shipment_id: int) -> PrintOutcome:
    """Send every package label of the shipment; mark it printed only if all went out.
    Blocking (printer I/O): never on the GUI thread."""
    with database.unit_of_work() as session:
        order_number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                      .where(Shipment.id == shipment_id)) or ""
        packages = session.execute(select(Package.tracking_number, Package.label_data).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    tracking = tuple(t or "" for t, _label in packages)  # same order as tracking_numbers()
    if not packages or not all(label for _t, label in packages):
        return not_printed(database, shipment_id, "This shipment's label has not been bought from the carrier yet: "
                           "press Reprint to try again.")
    if printer is None:
        return not_printed(database, shipment_id, "No label printer is set up for this station: choose one in "
                           "Device settings, then reprint.")
    try:
        for number, label in packages:
            check_then_send(printer, (label or "").encode(), f"label {number}")
    except DeviceError as exc:
        return not_printed(database, shipment_id, exc.user_message)
    with database.unit_of_work() as session:
        session.execute(update(Shipment).where(Shipment.id == shipment_id,
                                               Shipment.status == ShipmentStatus.LABEL_PENDING.value)
                        .values(status=ShipmentStatus.PRINTED.value, printed_at=utcnow()))
    return PrintOutcome(shipment_id, tracking, True, None, order_number=order_number, printer=printer.uri)


def not_printed(database: Database, shipment_id: int, problem: str) -> PrintOutcome:
    """The outcome of a shipment whose labels did not go out, and why (with what to do)."""
    with database.unit_of_work() as session:
        order_number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                      .where(Shipment.id == shipment_id)) or ""
        tracking = tuple(t or "" for t in session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all())
    return PrintOutcome(shipment_id, tracking, False, problem, order_number=order_number)
