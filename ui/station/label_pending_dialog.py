"""Station → Label pending…: every shipment whose label did not print, each reprintable.

The list is this station's label-pending shipments (*All stations* shows every station's),
oldest first, from ``app.shipping.label_pending``. Choosing one says what Reprint will
print and where — or why it cannot — (``app.shipping.reprint_plan``); *Reprint* prints
that shipment (``app.shipping.reprint`` by its id, as the signed-in person, on this
station's label printer) and the list is read again, so a printed one leaves it. Nothing
here is limited to the last shipment.

Threading: GUI thread; every service call runs through ``run_in_background``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.words import plural
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.shipping import PrintOutcome, ShipmentSummary
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED, show_status
from ui.worker import run_in_background


class LabelPendingDialog(QDialog):
    reprinted = Signal(object)  # PrintOutcome of a reprint that went out

    def __init__(self, app: AppServices, actor: Actor, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels not printed")
        self.app, self.actor, self.station = app, actor, station
        self.rows: list[ShipmentSummary] = []
        self.busy = False
        self.all_stations = QCheckBox("All stations", self)
        self.all_stations.toggled.connect(lambda _on: self.refresh())
        self.list = QListWidget(self)
        self.list.setWordWrap(True)  # a row never runs off the dialog's edge
        self.list.currentRowChanged.connect(lambda _row: self._explain())
        self.plan = QLabel("", self)
        self.plan.setWordWrap(True)
        self.status = QLabel("Loading…", self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.reprint_button = QPushButton("Reprint", self)
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self.reprint)
        buttons.addButton(self.reprint_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.all_stations)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.plan)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(680, 360)
        self.refresh()

    def refresh(self) -> None:
        station = None if self.all_stations.isChecked() else self.station
        shipping = self.app.shipping
        run_in_background(lambda: shipping.label_pending(station), self._loaded,
                          lambda exc: show_status(self.status, refusal_text(exc), RED), owner=self)

    def _loaded(self, rows: list[ShipmentSummary]) -> None:
        self.rows = rows
        self.list.clear()
        for row in rows:
            tracking = ", ".join(row.tracking_numbers) or "label not bought yet"
            item = QListWidgetItem(f"#{row.id}  {row.order_number}  {tracking}  {row.service_name}  — "
                                   f"{row.station or '-'} {row.created_at.astimezone():%Y-%m-%d %H:%M}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(item.text())
        where = "at any station" if self.all_stations.isChecked() else f"at {self.station}"
        if self.status.text() in ("Loading…", "") or not rows:
            waiting = "waits for its label" if len(rows) == 1 else "wait for their labels"
            show_status(self.status, f"{plural(len(rows), 'shipment')} {where} {waiting}." if rows else
                        f"No shipment {where} is waiting for its label.", AMBER if rows else GREEN)
        if rows:
            self.list.setCurrentRow(0)
        else:
            self.plan.setText("")
        self._set_busy(self.busy)

    def selected(self) -> ShipmentSummary | None:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _explain(self) -> None:
        summary = self.selected()
        self._set_busy(self.busy)
        if summary is None:
            self.plan.setText("")
            return
        shipping, actor, shipment_id = self.app.shipping, self.actor, summary.id
        run_in_background(lambda: shipping.reprint_plan(actor, shipment_id),
                          lambda text: self._planned(shipment_id, text, GREY),  # a plan, not a result
                          lambda exc: self._planned(shipment_id, refusal_text(exc), RED), owner=self)

    def _planned(self, shipment_id: int, text: str, colour: str) -> None:
        summary = self.selected()
        if summary is not None and summary.id == shipment_id:
            show_status(self.plan, text, colour)

    def reprint(self) -> None:
        summary = self.selected()
        if summary is None or self.busy:
            return
        self._set_busy(True)
        show_status(self.status, f"Printing shipment #{summary.id} of {summary.order_number}…", AMBER)
        shipping, actor, shipment_id = self.app.shipping, self.actor, summary.id
        run_in_background(lambda: shipping.reprint(actor, shipment_id), self._reprinted, self._failed, owner=self)

    def _reprinted(self, outcome: PrintOutcome | None) -> None:
        self._set_busy(False)
        if outcome is not None and outcome.printed:
            show_status(self.status, f"Printed {outcome.what} on {outcome.printer}.", GREEN)
            self.reprinted.emit(outcome)
        else:
            problem = outcome.problem if outcome is not None else "the shipment was not found."
            show_status(self.status, f"Not printed: {problem}", RED)
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        show_status(self.status, refusal_text(exc), RED)
        self.refresh()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.reprint_button.setEnabled(not busy and self.selected() is not None)
