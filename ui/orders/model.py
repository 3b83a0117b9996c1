"""The Orders screen's table: ``OrderSummary`` rows in the shared ``RowModel``, sorted
through ``OrdersProxy`` on each column's value (ship-by days as dates, counts as numbers),
not its text. Unsorted, the rows keep the search's order (open orders first, oldest
ship-by first). A held order shows red, a late one amber, a shipped or cancelled one grey.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from fulfilstation.services.orders import OrderSummary
from ui.style import AMBER, GREY, RED
from ui.widgets.row_model import SORT_ROLE, Column, RowModel

STATUS_WORDS = {"pending": "Pending", "ready": "Ready", "packing": "Being packed", "shipped": "Shipped",
                "cancelled": "Cancelled"}
NO_DAY = 10**7  # sorts an order without a ship-by day last


def status_words(summary: OrderSummary) -> str:
    if summary.backorder:
        return "Backorder"  # pending, waiting for stock
    return STATUS_WORDS.get(summary.status, summary.status)


def _ship_by(summary: OrderSummary) -> str:
    day = summary.ship_by.isoformat() if summary.ship_by else "—"
    return f"{day} (late)" if summary.late else day


COLUMNS: tuple[Column[OrderSummary], ...] = (
    Column[OrderSummary]("Order", lambda r: r.number),
    Column[OrderSummary]("Status", status_words),
    Column[OrderSummary]("Hold", lambda r: (r.hold_reason or "no reason given") if r.hold else ""),  # the reason
    Column[OrderSummary]("Customer", lambda r: r.customer, lambda r: r.customer.casefold()),
    Column[OrderSummary]("Ship by", _ship_by, lambda r: r.ship_by.toordinal() if r.ship_by else NO_DAY),
    Column[OrderSummary]("Service", lambda r: r.service_name or "chosen at packing"),
    Column[OrderSummary]("Lines", lambda r: str(r.lines), lambda r: r.lines),
    Column[OrderSummary]("Units", lambda r: str(r.units), lambda r: r.units),
    Column[OrderSummary]("Tracking", lambda r: r.tracking or ""),
)
HEADERS = tuple(column.header for column in COLUMNS)


def row_colour(summary: OrderSummary) -> str | None:
    if summary.hold:
        return RED
    if summary.late:
        return AMBER
    return None if summary.is_open else GREY


def orders_model() -> RowModel[OrderSummary]:
    return RowModel(COLUMNS, row_colour)


class OrdersProxy(QSortFilterProxyModel):
    def __init__(self, model: RowModel[OrderSummary]) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
