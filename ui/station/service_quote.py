"""The carrier service an open order will ship by, and its price, kept up to date.

``ServiceQuotes`` follows the controller's ``PackView``: when an order is claimed
(start, next order, resume), a box is chosen or a package is closed — the moments the
price can change — it asks ``app.orders.quote`` in the background and reports the
``Quote`` (``quoted``) or the refusal in words (``problem``). Only the answer to the
latest question is reported: an answer that arrives after the order changed, or after a
manager's change (``show``), is dropped.

``money``, ``price_text``, ``headline`` and ``detail`` put a quote into words for the
order header and the service dialog: money from integer minor units and the currency
(``$8.42``, ``¥1,200``, ``12.50 CHF``), dates as ``Fri 27 Nov``.

Threading: GUI thread; the quote runs through ``run_in_background``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from fulfilstation.carriers.rating import Price, short_date
from fulfilstation.domain.money import format_money
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import Quote
from fulfilstation.services.packing import PackView
from ui.station.manager_sign_in import refusal_text
from ui.worker import run_in_background


def money(minor: int, currency: str) -> str:
    """``minor`` units of ``currency`` as people write it (``fulfilstation.domain.money``)."""
    return format_money(minor, currency)


def price_text(price: Price | None) -> str:
    return "no rate on file" if price is None else money(price.total_minor, price.currency)


def headline(quote: Quote) -> str:
    """``USPS Priority Mail · $23.67`` (``(estimated)`` until the parcels are packed)."""
    return f"{quote.service_name} · {price_text(quote.price)}" + (" (estimated)" if quote.estimated else "")


def detail(quote: Quote) -> str:
    """``Arrives Fri 27 Nov — cheapest that arrives by Fri 27 Nov``."""
    arrives = f"Arrives {short_date(quote.arrives)}" if quote.arrives else "Arrival date unknown"
    return f"{arrives} — {quote.reason}"


class ServiceQuotes(QObject):
    quoted = Signal(object)  # Quote of the open order
    problem = Signal(str, str)  # order number, why it cannot be quoted (words)

    def __init__(self, app: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.quote: Quote | None = None  # the open order's latest quote
        self._following: tuple[str, str | None, int] | None = None  # order, box, package
        self._ticket = 0

    def follow(self, view: PackView | None) -> None:
        """Ask again when the order, its box or its package changed (not on every scan)."""
        if view is None:
            self._following, self.quote = None, None
            self._ticket += 1
            return
        key = (view.order_number, view.box_code, view.package_sequence)
        if key == self._following:
            return
        if self._following is None or self._following[0] != view.order_number:
            self.quote = None
        self._following = key
        self.refresh(view.order_number)

    def refresh(self, order_number: str) -> None:
        self._ticket += 1
        ticket, orders = self._ticket, self.app.orders
        run_in_background(lambda: orders.quote(order_number), lambda quote: self._quoted(ticket, quote),
                          lambda exc: self._failed(ticket, order_number, exc), owner=self)

    def show(self, quote: Quote) -> None:
        """A quote newer than any on its way (a manager just changed the service)."""
        self._ticket += 1
        self.quote = quote
        self.quoted.emit(quote)

    def _quoted(self, ticket: int, quote: Quote) -> None:
        if ticket == self._ticket:
            self.quote = quote
            self.quoted.emit(quote)

    def _failed(self, ticket: int, order_number: str, exc: Exception) -> None:
        if ticket == self._ticket:
            self.problem.emit(order_number, refusal_text(exc))
