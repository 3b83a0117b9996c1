"""The top of the pack screen: the order number (huge), the customer, the destination,
the ship-by date (red when it has passed) and the requested service; a gift message when
the order has one. GUI thread only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from fulfilstation.services.packing import PackView
from ui.style import AMBER, RED, result_css


class OrderHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = self._label("orderNumber")
        self.customer = self._label("customer")
        self.destination = self._label("detail")
        self.ship_by = self._label("shipBy")
        self.service = self._label("service")
        self.gift = self._label("detail")
        self.gift.setWordWrap(True)
        self.gift.setStyleSheet(result_css(AMBER))
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.number, 0, 0, 2, 1)
        grid.addWidget(self.ship_by, 0, 1)
        grid.addWidget(self.service, 1, 1)
        grid.addWidget(self.customer, 2, 0)
        grid.addWidget(self.destination, 2, 1)
        grid.addWidget(self.gift, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        return label

    def show_view(self, view: PackView | None, today: dt.date | None = None) -> None:
        if view is None:
            for label in (self.number, self.customer, self.destination, self.ship_by, self.service, self.gift):
                label.setText("")
            self.gift.setVisible(False)
            return
        today = today or dt.date.today()
        self.number.setText(view.order_number)
        self.customer.setText(view.customer)
        self.destination.setText(view.destination)
        late = view.ship_by is not None and view.ship_by < today
        ship_by = view.ship_by.isoformat() if view.ship_by else "—"
        self.ship_by.setText(f"Ship by {ship_by}" + (" — LATE" if late else ""))
        self.ship_by.setStyleSheet(result_css(RED) if late else "")
        self.service.setText(view.service or "Cheapest service")
        self.gift.setText(f"Gift message: {view.gift_message}" if view.gift_message else "")
        self.gift.setVisible(bool(view.gift_message))
