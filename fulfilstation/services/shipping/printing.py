"""Printing a shipment's labels — always after the commit that recorded it.

A label that fails to print leaves its shipment ``label-pending``; reprinting sends the very
same stored label (same tracking number), never a new one. A printer is asked whether it is
ready before anything is sent (``printer_check``). Labels that went out are written to the
station's print journal before their print is recorded, and dropped from it once the
database has it: when the database is gone at that moment, the outcome says so
(``database_lost``) and the journal is replayed later (``after_commit``). Blocking
(database, printer I/O, disk).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

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
from fulfilstation.services.shipping.print_journal import PrintedLabel, PrintJournal

_log = logging.getLogger(__name__)


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
    database_lost: bool = False  # shipped, but the database went away before this outcome was recorded
    weight_accepted: tuple[str, ...] = ()  # after a ship: "Weight accepted by NAME at W (D light): why"
    service_note: str | None = None  # after a ship by another service than shown: "Shipped by X ($p), not Y …"
    customs_note: str | None = None  # after a ship abroad: the customs documents printed, saved, or why not

    @property
    def what(self) -> str:
        """What these labels are: ``labels 1 and 2 of 2 for SO-1001 (tracking …)``."""
        tracking = ", ".join(t for t in self.tracking_numbers if t)
        return (f"{labels_words(len(self.tracking_numbers))} for {self.order_number or 'the order'}"
                + (f" (tracking {tracking})" if tracking else ""))

    @property
    def simulated(self) -> bool:
        """The labels went to a ``sim:`` printer: nothing was printed on paper."""
        return self.printed and (self.printer or "").startswith("sim:")


def labels_words(count: int) -> str:
    """``label 1 of 1``, ``labels 1 and 2 of 2``, ``labels 1 to 3 of 3``."""
    if count <= 1:
        return "label 1 of 1"
    return "labels 1 and 2 of 2" if count == 2 else f"labels 1 to {count} of {count}"


def print_shipment(database: Database, printer: LabelPrinter | None, shipment_id: int,
                   journal: PrintJournal | None = None) -> PrintOutcome:
    """Send every package label of the shipment; mark it printed only if all went out
    (journaled first in ``journal``). Blocking (printer I/O): never on the GUI thread.
    Raises ``DBAPIError`` only when the database is gone before anything was sent; when it
    goes away after the labels went out, the outcome is printed with ``database_lost``."""
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
    printed_at = utcnow()
    if journal is not None:
        try:
            journal.add(PrintedLabel(shipment_id, database.display_url, printer.uri, printed_at, order_number))
        except OSError:
            _log.warning("could not journal the print of shipment %s", shipment_id, exc_info=True)
    recorded = False
    try:
        with database.unit_of_work() as session:
            session.execute(update(Shipment).where(Shipment.id == shipment_id,
                                                   Shipment.status == ShipmentStatus.LABEL_PENDING.value)
                            .values(status=ShipmentStatus.PRINTED.value, printed_at=printed_at))
        recorded = True
    except DBAPIError:  # the labels are out: say so; the journal records it when the database is back
        return PrintOutcome(shipment_id, tracking, True, None, order_number=order_number, printer=printer.uri,
                            database_lost=True)
    finally:
        if journal is not None:
            try:
                journal.settle(shipment_id, recorded)
            except OSError:  # the next replay finds it recorded and drops it
                _log.warning("could not settle shipment %s in the print journal", shipment_id, exc_info=True)
    return PrintOutcome(shipment_id, tracking, True, None, order_number=order_number, printer=printer.uri)


def stored_labels(database: Database, shipment_id: int) -> tuple[str, tuple[str, ...], bool]:
    """(order number, its packages' tracking numbers in order, every label stored)."""
    with database.unit_of_work() as session:
        order_number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                      .where(Shipment.id == shipment_id)) or ""
        packages = session.execute(select(Package.tracking_number, Package.label_data).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    return (order_number, tuple(t or "" for t, _label in packages),
            bool(packages) and all(label for _t, label in packages))


def not_printed(database: Database, shipment_id: int, problem: str) -> PrintOutcome:
    """The outcome of a shipment whose labels did not go out, and why (with what to do)."""
    with database.unit_of_work() as session:
        order_number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                      .where(Shipment.id == shipment_id)) or ""
        tracking = tuple(t or "" for t in session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all())
    return PrintOutcome(shipment_id, tracking, False, problem, order_number=order_number)
