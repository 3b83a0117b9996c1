"""Closing a manifest while shipments of that carrier are label-pending: the checklist.

``manifests.close`` refused (``LabelsPendingRefused``) and listed them. The dialog shows
each (order, tracking number, station, when) with a box *its label is on the parcel* (a
label printed on another printer); *Close with these confirmed* is enabled only when every
box is ticked, and hands the ids back (``confirmed``) for the close to be asked again with
them — the use case records each confirmation in the audit log. Otherwise the manager
closes the dialog and reprints them (Shipments → Label pending).

Threading: GUI thread only; it calls nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.manifests import PendingLabel


class PendingLabelsDialog(QDialog):
    confirmed = Signal(list)  # the shipment ids whose labels the manager confirmed

    def __init__(self, carrier: str, pending: tuple[PendingLabel, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{carrier}: labels not printed")
        self.pending = pending
        intro = QLabel(f"{len(pending)} {carrier} shipment{'s' if len(pending) != 1 else ''} never had "
                       f"{'their labels' if len(pending) != 1 else 'its label'} printed here. Reprint them "
                       "(Shipments → Label pending), or tick each one whose label is on its parcel already "
                       "(printed on another printer): your confirmation is recorded.", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for label in pending:
            item = QListWidgetItem(f"Order {label.order_number} — tracking {label.tracking_number} — packed at "
                                   f"{label.station or 'no station'} {label.created_at.astimezone():%Y-%m-%d %H:%M}"
                                   " — its label is on the parcel", self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, label.shipment_id)
        self.list.itemChanged.connect(lambda _item: self._update())
        buttons = QDialogButtonBox(self)
        self.close_button = QPushButton("Close with these confirmed", self)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 320)
        self._update()

    def checked(self) -> list[int]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        self.close_button.setEnabled(len(self.checked()) == len(self.pending))

    def _confirm(self) -> None:
        if len(self.checked()) != len(self.pending):
            return
        self.confirmed.emit(self.checked())
        self.accept()
