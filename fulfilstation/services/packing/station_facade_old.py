"""``StationServices``: every use case a station window may call, bound to one station.

Threading: each method blocks (database, and for printing the printer); call it from a
worker thread, never the GUI thread. The object is shared and thread-safe: it holds no
mutable state of its own. Results are frozen dataclasses; refusals are ``PackRefused``
(or ``LoginRefused``) whose text is meant for the packer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from fulfilstation.carriers.easypost_adapter import adapter_for
from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting, User
from fulfilstation.ports import DocumentPrinter, LabelPrinter
from fulfilstation.services import packing
from fulfilstation.services.orders import quotes as rating
from fulfilstation.services.orders.quotes import Quote
from fulfilstation.services.packing import PackView, PrintOutcome, ScanOutcome, Weighing
from fulfilstation.services.packing.command_sheet import command_sheet_pdf
from fulfilstation.services.packing.queue import QueueSnapshot, packing_queue
from fulfilstation.services.shipping.api_labels import AdapterFactory, ensure_label, refund_after_void
from fulfilstation.services.shipping.labels import ShipmentLabels, labels_of
from fulfilstation.services.shipping.printing import find_shipment
from fulfilstation.services.shipping.slip import print_packing_slip
from fulfilstation.services.stations.registry import StationInfo, register_station
from fulfilstation.services.users import sign_in as auth
from fulfilstation.settings import DeviceSettings, SettingsError, StationSettings, save_settings


class StationServices:
    def __init__(self, database: Database, station: StationInfo, settings_path: Path,
                 settings_read_only: bool = False, make_adapter: AdapterFactory = adapter_for) -> None:
        self._database = database
        self._make_adapter = make_adapter
        self.station = station
        self._settings_path = settings_path
        self._settings_read_only = settings_read_only

    # -- queue and settings
    def packing_queue(self) -> QueueSnapshot:
        return packing_queue(self._database)

    def save_devices(self, station: StationSettings, devices: DeviceSettings) -> StationSettings:
        """Store this station's device URIs in its settings file and in the database."""
        if self._settings_read_only:
            raise SettingsError(f"{self._settings_path} was written by a newer FulfilStation and is not changed "
                                "by this version. Update this station first.")
        updated = replace(station, devices=devices)
        save_settings(updated, self._settings_path)
        register_station(self._database, updated.station_name, scanner=devices.scanner, scale=devices.scale,
                         label_printer=devices.label_printer, document_printer=devices.document_printer or None)
        return updated

    # -- people
    def users(self) -> list[tuple[str, str, str]]:
        """(username, full name, role) of active users, for the log-in picker."""
        with self._database.unit_of_work() as session:
            rows = session.execute(select(User.username, User.full_name, User.role)
                                   .where(User.active.is_(True)).order_by(User.full_name)).all()
        return [(u, n, r) for u, n, r in rows]

    def login_with_pin(self, username: str, pin: str) -> auth.SignedIn:
        return auth.login_with_pin(self._database, username, pin, self.station.id)

    def login_with_badge(self, badge: str) -> auth.SignedIn:
        return auth.login_with_badge(self._database, badge, self.station.id)

    # -- packing
    def resume(self) -> PackView | None:
        return packing.open_session_for_station(self._database, self.station.id)

    def start(self, reference: str, user_id: int) -> PackView:
        return packing.start_pack(self._database, reference, self.station.id, user_id)

    def next_order(self, user_id: int) -> PackView:
        return packing.next_order(self._database, self.station.id, user_id)

    def scan(self, session_id: int, raw: str, symbology: str | None = None) -> ScanOutcome:
        return packing.scan_item(self._database, session_id, raw, symbology)

    def choose_box(self, session_id: int, box_code: str) -> PackView:
        return packing.choose_box(self._database, session_id, box_code)

    def close_package(self, session_id: int, weighing: Weighing) -> PackView:
        return packing.close_package(self._database, session_id, weighing)

    def cancel(self, session_id: int, user_id: int) -> None:
        packing.cancel_pack(self._database, session_id, user_id)

    def ship_and_print(self, session_id: int, weighing: Weighing, printer: LabelPrinter | None,
                       document_printer: DocumentPrinter | None = None) -> PrintOutcome:
        """Record the shipment (one transaction), then print its labels and, with a
        document printer, the packing slip. A print problem does not undo the shipment: it
        stays label-pending and ``reprint_last`` finishes it. A label of an API carrier is
        bought first, after the commit; if that fails nothing is printed and
        ``reprint_last`` buys (never twice) and prints it."""
        shipment_id, _labels = packing.ship(self._database, session_id, weighing)
        outcome = self._finish(shipment_id, printer)
        if document_printer is None:
            return outcome
        return replace(outcome, slip_problem=print_packing_slip(self._database, document_printer, shipment_id))

    def command_sheet(self) -> bytes:
        """The PDF of command barcodes (and this site's box barcodes) for this station."""
        return command_sheet_pdf(self._database, self.station.name)

    def reprint_last(self, printer: LabelPrinter | None) -> PrintOutcome | None:
        shipment_id = packing.last_shipment_of_station(self._database, self.station.id)
        return None if shipment_id is None else self._finish(shipment_id, printer)

    def _finish(self, shipment_id: int, printer: LabelPrinter | None) -> PrintOutcome:
        problem = ensure_label(self._database, shipment_id, self._make_adapter)
        if problem is not None:
            return PrintOutcome(shipment_id, packing.tracking_numbers(self._database, shipment_id), False, problem)
        return packing.print_shipment(self._database, printer, shipment_id)

    def void(self, reference: str, manager_id: int, reason: str) -> str:
        """Void the shipment named by a tracking number (any of its packages) or its order
        number. Returns what was voided, in words. Managers and owners only."""
        shipment_id, label = find_shipment(self._database, reference)
        packing.void_shipment(self._database, shipment_id, manager_id, reason)
        done = f"Shipment {label} is void: its items are back on the shelf, reserved for the order again."
        refund = refund_after_void(self._database, shipment_id, self._make_adapter)
        return done if refund is None else f"{done} {refund}"

    # -- carrier choice
    def quote(self, order_number: str) -> Quote:
        """The service the order would ship by now, its price and every alternative.
        Raises ``rating.ServiceChoiceRefused`` (text for the user)."""
        return rating.quote(self._database, order_number)

    def change_service(self, order_number: str, service_code: str, manager_id: int) -> Quote:
        """A manager sends the order by ``service_code`` (``carrier/service``); audited.
        Raises ``rating.ServiceChoiceRefused`` (text for the user)."""
        return rating.change_service(self._database, order_number, service_code, manager_id)

    # -- label preview
    def label_preview(self, shipment_id: int | None = None) -> ShipmentLabels | None:
        """The labels of ``shipment_id`` (default: this station's latest live shipment),
        described for the on-screen preview; None when there is none."""
        if shipment_id is None:
            shipment_id = packing.last_shipment_of_station(self._database, self.station.id)
        return None if shipment_id is None else labels_of(self._database, shipment_id)

    def weight_unit(self) -> str:
        """The site's weight unit for screens: ``lb`` or ``kg`` (site setting ``units``)."""
        with self._database.unit_of_work() as session:
            units = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "units"))
        unit = units.get("weight") if isinstance(units, dict) else None
        return unit if unit in ("lb", "kg", "oz", "g", "lb-oz") else "kg"
