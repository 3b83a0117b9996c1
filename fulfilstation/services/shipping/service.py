"""``ShippingService``: ship a finished pack, reprint, void, and find shipments and labels.

``ship`` is the whole sequence every entry point gets: the ship transaction (one commit:
shipment, tracking numbers, stock taken off, order shipped), then — only after that commit —
an API carrier's label bought, the labels printed on the actor's station's label printer,
and the packing slip printed on its document printer or, without one, saved as a PDF; a
shipment leaving the ship-from country also gets its customs documents there (CN22 or CN23
and the commercial invoice: ``customs.documents``). A
failure after the commit never undoes the shipment: it stays label-pending and ``reprint``
finishes it (an API label is never bought twice). When the database goes away after the
commit the outcome says so (``database_lost``: shipped, printed or not, not recorded) and a
printed label is journaled on this PC and recorded later by ``record_printed_labels`` —
never printed again (``after_commit``).

Threading: blocking (database, printers, carrier API); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from fulfilstation.domain.roles import Permission
from fulfilstation.paths import station_documents_dir
from fulfilstation.ports import DeviceError, DocumentPrinter, LabelPrinter
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, confirm, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.customs.documents import CustomsDelivery, deliver_customs_documents
from fulfilstation.services.packing.boxes import Weighing
from fulfilstation.services.shipping.after_commit import (
    ShippedFacts,
    database_lost,
    record_journaled_prints,
    record_printed,
    shipped_facts,
)
from fulfilstation.services.shipping.api_labels import ensure_label, refund_after_void
from fulfilstation.services.shipping.labels import ShipmentLabels, labels_of
from fulfilstation.services.shipping.listing import (
    DEFAULT_LIMIT,
    ShipmentSummary,
    label_pending_shipments,
    search_shipments,
)
from fulfilstation.services.shipping.lookup import (
    ShipmentRefused,
    find_shipment,
    last_shipment_of_station,
    shipment_to_reprint,
)
from fulfilstation.services.shipping.print_journal import PrintJournal
from fulfilstation.services.shipping.printing import (
    PrintOutcome,
    labels_words,
    not_printed,
    print_shipment,
    stored_labels,
)
from fulfilstation.services.shipping.record import record_shipment
from fulfilstation.services.shipping.service_notes import service_note
from fulfilstation.services.shipping.slip import SlipDelivery, deliver_packing_slip
from fulfilstation.services.shipping.void import void_shipment
from fulfilstation.services.shipping.weight_notes import weight_acceptances
from fulfilstation.services.shipping.weight_overrides import WeightOverride, weight_overrides
from fulfilstation.services.stations.registry import StationInfo, station_info


@dataclass(frozen=True)
class VoidOutcome:
    shipment_id: int
    tracking_number: str
    refund: str | None  # what the carrier API said of the refund (API labels), in words

    @property
    def message(self) -> str:
        done = (f"Shipment {self.tracking_number or self.shipment_id} is void: its items are back on the shelf, "
                "reserved for the order again.")
        return done if self.refund is None else f"{done} {self.refund}"


class ShippingService(AreaService):
    # -- use cases

    @use_case(Permission.PACK, "ship orders")
    def ship(self, actor: Actor, session_id: int, weighing: Weighing) -> PrintOutcome:
        """Record the shipment of the pack (refused: PackRefused, nothing recorded), then buy,
        print and deliver the packing slip as the module doc says. The outcome says what was
        printed and, for anything that was not, why and what to do."""
        if weighing.override is not None:
            confirm(self.database, weighing.override)
        shipment_id = record_shipment(self.database, actor, session_id, weighing)
        facts = ShippedFacts(shipment_id, "", ())
        outcome: PrintOutcome | None = None
        try:  # committed: from here on a lost database is told as such, never as "nothing saved"
            facts = shipped_facts(self.database, shipment_id)
            station = self._station(actor)
            outcome = self._print(actor, shipment_id, station)
            if outcome.database_lost:
                return database_lost(shipped_facts_of(outcome, facts), printed=outcome.printed,
                                     printer=outcome.printer)
            slip = deliver_packing_slip(self.database, self._document_printer(station), shipment_id,
                                        self._slip_folder(station))
            customs = deliver_customs_documents(self.database, self._document_printer(station), shipment_id,
                                                self._slip_folder(station))
            accepted = weight_acceptances(self.database, shipment_id)
            note = service_note(self.database, shipment_id)
        except DBAPIError:
            if outcome is not None:  # the labels' fate is recorded; only the packing slip was cut off
                number = outcome.order_number or "ORDER"
                return replace(outcome, slip_problem="The packing slip was not printed: the database went away. "
                               f"Print it when it is back: fulfilstation shipments slip {number}")
            return database_lost(facts, printed=False)
        return replace(outcome, slip_problem=slip.problem,
                       slip_saved_to=str(slip.saved_to) if slip.saved_to else None,
                       slip_filed_to=str(slip.filed_to) if slip.filed_to else None,
                       weight_accepted=accepted, service_note=note,
                       customs_note=customs.message if customs is not None else None)

    @use_case(Permission.PACK, "record printed labels", fresh=False)
    def record_printed_labels(self, actor: Actor) -> int:
        """Record the labels this PC printed while the database was away (its print
        journal), once each, and never print them again; returns how many were recorded.
        The window calls it in the background, the ``pack`` command at start."""
        return len(record_journaled_prints(self.database, self._context.ports.journal_dir, actor))

    @use_case(Permission.PACK, "reprint labels")
    def reprint(self, actor: Actor, reference: str | int | None = None) -> PrintOutcome | None:
        """Print a shipment's stored labels again on the actor's station's printer (buying an
        API label first if it never was): ``reference`` is a shipment id, a tracking or an
        order number; None is the station's latest shipment (None returned when it has
        none). A voided shipment is refused, saying when, by whom and why it was voided."""
        if reference is None:
            shipment_id = last_shipment_of_station(self.database, actor.station_id or -1)
            if shipment_id is None:
                return None
        else:
            shipment_id = shipment_to_reprint(self.database, reference)
        outcome = self._print(actor, shipment_id, self._station(actor))
        with self.database.unit_of_work() as session:
            audit.record(session, actor, "shipment.reprinted", "shipment", shipment_id,
                         {"printed": outcome.printed, "printer": outcome.printer, "problem": outcome.problem})
        return outcome

    def reprint_plan(self, actor: Actor, reference: str | int) -> str:
        """What ``reprint`` would print for ``actor`` and where, in words ("Reprint prints label
        1 of 1 for SO-1001 (tracking …) on tcp://…"), or ShipmentRefused saying why it cannot
        (voided, no label printer at the station). Prints nothing, buys nothing."""
        shipment_id = shipment_to_reprint(self.database, reference)
        station = self._station(actor)
        where = f"station {station.name}" if station is not None else "this station"
        try:
            printer = self._label_printer(station)
        except (DeviceError, ValueError) as exc:
            raise ShipmentRefused("no-printer", f"Cannot reprint: the label printer of {where} cannot be used: "
                                  f"{_words(exc)} Fix its address in Device settings.") from exc
        if printer is None:
            raise ShipmentRefused("no-printer", f"Cannot reprint: {where} has no label printer. Choose one in "
                                  "Device settings.")
        order, tracking, stored = stored_labels(self.database, shipment_id)
        numbers = ", ".join(t for t in tracking if t)
        bought = "" if stored else " (its label is bought from the carrier first)"
        return (f"Reprint prints {labels_words(max(len(tracking), 1))} for {order}"
                + (f" (tracking {numbers})" if numbers else "") + f" on {printer.uri}{bought}.")

    @use_case(Permission.PACK, "print packing slips")
    def print_slip(self, actor: Actor, reference: str) -> SlipDelivery:
        """Print the packing slip of the live shipment named by a tracking or order number
        again, at the actor's station; without a document printer it is saved and shown in
        this PC's PDF viewer (the ``FileOpener`` port), to print from there."""
        shipment_id = find_shipment(self.database, reference)[0]
        station = self._station(actor)
        delivery = deliver_packing_slip(self.database, self._document_printer(station), shipment_id,
                                        self._slip_folder(station))
        opener = self._context.ports.files
        if delivery.saved_to is not None and opener is not None:
            try:
                opener.open(str(delivery.saved_to))
            except OSError as exc:
                return replace(delivery, problem=f"The packing slip is saved to {delivery.saved_to} but could not "
                               f"be opened ({exc}): open it yourself to print it.")
            return replace(delivery, opened=True)
        return delivery

    @use_case(Permission.PACK, "print customs documents")
    def print_customs(self, actor: Actor, reference: str) -> CustomsDelivery:
        """Print the customs documents (CN22 or CN23 and the commercial invoice) of the live
        shipment named by a tracking or order number again, at the actor's station's document
        printer, or save them in its documents folder. Refused for a shipment that stays in the
        ship-from country."""
        shipment_id = find_shipment(self.database, reference)[0]
        station = self._station(actor)
        delivery = deliver_customs_documents(self.database, self._document_printer(station), shipment_id,
                                             self._slip_folder(station))
        if delivery is None:
            raise ShipmentRefused("no-customs", f"Shipment {reference} stays in the ship-from country: it has no "
                                  "customs documents.")
        return delivery

    @use_case(Permission.VOID, "void a shipment")
    def void(self, actor: Actor, reference: str, reason: str) -> VoidOutcome:
        """Void the live shipment named by a tracking number (any of its packages) or its
        order number; then ask an API carrier for the refund."""
        shipment_id, tracking = find_shipment(self.database, reference)
        void_shipment(self.database, actor, shipment_id, reason)
        refund = refund_after_void(self.database, shipment_id, self._context.ports.carrier_adapters)
        return VoidOutcome(shipment_id, tracking, refund)

    # -- queries

    def search(self, text: str | None = None, label_pending: bool = False, status: str | None = None,
               limit: int | None = DEFAULT_LIMIT, station: str | None = None) -> list[ShipmentSummary]:
        """Shipments by tracking number (shipment, package, scanned label) or order number, exact
        matches first, then newest first (see ``listing``); ``label_pending``/``status``/``station``
        (its name) filter."""
        return search_shipments(self.database, text, label_pending=label_pending, status=status, limit=limit,
                                station=station)

    def label_pending(self, station: str | None = None) -> list[ShipmentSummary]:
        """Every label-pending shipment, oldest first — of every station, or of the station
        named ``station`` — each reprintable by its id (``reprint``)."""
        return label_pending_shipments(self.database, station)

    def weight_overrides(self, start: dt.datetime, end: dt.datetime) -> list[WeightOverride]:
        """Packages whose weight a manager accepted out of range, in shipments made in ``[start,
        end)`` (UTC), newest first, each with who accepted it and why (``weight_overrides``)."""
        return weight_overrides(self.database, start, end)

    def labels(self, reference: str | int) -> ShipmentLabels | None:
        """A shipment's labels rebuilt from the database (id, order or tracking number)."""
        return labels_of(self.database, reference)

    def last_labels(self, station_id: int) -> ShipmentLabels | None:
        """The labels of the station's latest live shipment, for the on-screen preview."""
        shipment_id = last_shipment_of_station(self.database, station_id)
        return None if shipment_id is None else labels_of(self.database, shipment_id)

    # -- steps after the commit

    def _print(self, actor: Actor, shipment_id: int, station: StationInfo | None) -> PrintOutcome:
        journal = self._journal(station)
        journaled = journal.find(shipment_id) if journal is not None else None
        if journal is not None and journaled is not None:  # it came out already: record it, print nothing
            record_printed(self.database, journaled, actor)
            journal.remove(shipment_id)
            return replace(not_printed(self.database, shipment_id, ""), printed=True, problem=None,
                           printer=journaled.printer)
        problem = ensure_label(self.database, shipment_id, self._context.ports.carrier_adapters, actor)
        if problem is not None:
            return not_printed(self.database, shipment_id, problem)
        try:
            printer = self._label_printer(station)
        except (DeviceError, ValueError) as exc:
            return not_printed(self.database, shipment_id, f"The station's label printer cannot be used: "
                               f"{_words(exc)} Fix its address in Device settings, then reprint.")
        return print_shipment(self.database, printer, shipment_id, journal)

    def _journal(self, station: StationInfo | None) -> PrintJournal | None:
        return PrintJournal(self._context.ports.journal_dir, station.name) if station is not None else None

    def _station(self, actor: Actor) -> StationInfo | None:
        return station_info(self.database, actor.station_id) if actor.station_id is not None else None

    def _slip_folder(self, station: StationInfo | None) -> Path:
        """Where a slip is saved without a document printer: the station's own folder in
        this person's documents."""
        name = station.name if station is not None else self._context.station_name
        return station_documents_dir(self._context.ports.documents_dir, name)

    def _label_printer(self, station: StationInfo | None) -> LabelPrinter | None:
        if station is None:
            return None
        return self._context.ports.printers.label_printer(station.name, station.label_printer_uri)

    def _document_printer(self, station: StationInfo | None) -> DocumentPrinter | None:
        if station is None:
            return None
        try:
            return self._context.ports.printers.document_printer(station.name, station.document_printer_uri)
        except (DeviceError, ValueError):
            return None


def shipped_facts_of(outcome: PrintOutcome, facts: ShippedFacts) -> ShippedFacts:
    """The facts as the print saw them (its order number and tracking), else as read before."""
    return ShippedFacts(outcome.shipment_id, outcome.order_number or facts.order_number,
                        outcome.tracking_numbers or facts.tracking_numbers)


def _words(exc: Exception) -> str:
    return str(getattr(exc, "user_message", None) or exc)


__all__ = ["PrintOutcome", "ShipmentRefused", "ShipmentSummary", "ShippingService", "VoidOutcome"]
