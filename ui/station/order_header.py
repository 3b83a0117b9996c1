"""The top of the pack screen: the order number (huge), the customer, the destination,
the ship-by date (red when it has passed), the shipping service with its price, arrival
and reason, a gift message when the order has one, and — for an order split for a partial
shipment — "Partial shipment: rest in 1001-2" (or "part of 1001"), so the packer knows the
parcel is not the whole order.

The service line follows the quote (``show_quote``, ``show_quote_problem``), which
``ServiceQuotes`` fetches in the background: until it arrives the order's requested
service shows with "Finding the price…"; a refusal shows in red in its place. A quote or
refusal for another order than the one shown is ignored. Scans (a new ``PackView`` of the
same order) leave the service line alone. GUI thread only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from fulfilstation.services.orders.quotes import Quote
from fulfilstation.services.packing import PackView
from ui.station.service_quote import detail, headline
from ui.style import AMBER, RED, result_css
from ui.widgets.fit_text import let_wrap

SERVICE_CSS = "font-size: 22pt; font-weight: 700;"


class OrderHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order_number: str | None = None
        self.number = QLabel(self)  # an order number: as wide as it is (the column is)
        self.number.setObjectName("orderNumber")
        self.customer = self._label("customer")
        self.destination = self._label("detail")
        self.ship_by = self._label("shipBy")
        self.service = self._label("service")
        self.service.setWordWrap(True)
        self.service.setStyleSheet(SERVICE_CSS)
        self.service_detail = self._label("detail")
        self.service_detail.setWordWrap(True)
        self.gift = self._label("detail")
        self.gift.setWordWrap(True)
        self.gift.setStyleSheet(result_css(AMBER))
        self.split = self._label("split")
        self.split.setWordWrap(True)
        self.split.setStyleSheet(result_css(AMBER))
        self.split.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.number, 0, 0, 2, 1)
        grid.addWidget(self.ship_by, 0, 1)
        grid.addWidget(self.service, 1, 1)
        grid.addWidget(self.customer, 2, 0)
        grid.addWidget(self.service_detail, 2, 1)
        grid.addWidget(self.destination, 3, 0, 1, 2)
        grid.addWidget(self.gift, 4, 0, 1, 2)
        grid.addWidget(self.split, 5, 0, 1, 2)
        grid.setColumnStretch(0, 0)  # the order number's width; the service takes the rest (fewer lines)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(16)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        return let_wrap(label)  # a long name or address wraps: the header never widens the window

    def show_view(self, view: PackView | None, today: dt.date | None = None) -> None:
        if view is None:
            self.order_number = None
            for label in (self.number, self.customer, self.destination, self.ship_by, self.service,
                          self.service_detail, self.gift, self.split):
                label.setText("")
            self.gift.setVisible(False)
            self.split.setVisible(False)
            return
        if view.order_number != self.order_number:
            self.order_number = view.order_number
            self._service(view.service or "Cheapest service", "Finding the price…", "")
        today = today or dt.date.today()
        self.number.setText(view.order_number)
        self.customer.setText(view.customer)
        self.destination.setText(view.destination)
        late = view.ship_by is not None and view.ship_by < today
        ship_by = view.ship_by.isoformat() if view.ship_by else "—"
        self.ship_by.setText(f"Ship by {ship_by}" + (" — LATE" if late else ""))
        self.ship_by.setStyleSheet(result_css(RED) if late else "")
        self.gift.setText(f"Gift message: {view.gift_message}" if view.gift_message else "")
        self.gift.setVisible(bool(view.gift_message))
        self.split.setText(f"Partial shipment: {view.split}" if view.split else "")
        self.split.setVisible(bool(view.split))

    def show_quote(self, quote: Quote) -> None:
        """The service ``quote`` chose, its price and when it arrives (if it is the order shown)."""
        if quote.order_number == self.order_number:
            self._service(headline(quote), detail(quote), "")

    def show_quote_problem(self, order_number: str, text: str) -> None:
        """Why the order shown cannot be quoted (a routing rule, no service …), in red."""
        if order_number == self.order_number:
            self._service("No shipping service", text, result_css(RED))

    def _service(self, line: str, below: str, css: str) -> None:
        self.service.setText(line)
        self.service.setStyleSheet(SERVICE_CSS + css)
        self.service_detail.setText(below)
        self.service_detail.setStyleSheet(css)
