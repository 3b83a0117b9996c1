"""Table model of the packing queue (``QueuedOrder`` rows, plain data).

The Service column is the carrier and service each order will ship with (what routing and
rating pick now; "(asked)" when a manager or the shop requested it); an order no service
can take says so in red, the reason in its tooltip. The columns are few enough to fit
beside the workspace's navigation at 1280 px: the number of lines is in the Units tooltip.

The cells live on Qt's side (a ``QStandardItemModel`` filled by ``set_rows``), not in a
Python ``data()``: the idle screen's table is laid out each time the station goes back to
it, and sizing its columns asked a Python ``data()`` about 2,600 times, each taking the GIL
from whatever use case ran on a pool thread (issue #15: the window's event loop stalled for
100 ms after every ship). Filling the items costs one pass in Python per queue refresh.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from fulfilstation.domain.words import plural
from fulfilstation.services.packing.queue import QueuedOrder
from ui.style import RED

HEADERS = ("Order", "Customer", "Ship by", "Service", "Units", "Hold")  # the lines: the units' tooltip
CUSTOMER, SERVICE, UNITS = HEADERS.index("Customer"), HEADERS.index("Service"), HEADERS.index("Units")

_RED = QBrush(QColor(RED))


class QueueModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__(0, len(HEADERS))
        self.setHorizontalHeaderLabels(list(HEADERS))

    def set_rows(self, rows: tuple[QueuedOrder, ...]) -> None:
        """Replace every row (one model reset, as the views expect)."""
        self.beginResetModel()
        self.blockSignals(True)  # the items below are the reset's contents, not changes of their own
        try:
            self.setRowCount(0)
            for order in rows:
                self.appendRow(_items(order))
            self.setVerticalHeaderLabels([""] * len(rows))  # no row numbers: the Order column names each row
        finally:
            self.blockSignals(False)
        self.endResetModel()


def _items(order: QueuedOrder) -> list[QStandardItem]:
    texts = (order.number, order.customer, order.ship_by.isoformat() if order.ship_by else "—",
             _service(order), str(order.units), "on hold" if order.on_hold else "")
    tooltip = order.hold_reason if order.on_hold else order.no_service
    items = []
    for column, text in enumerate(texts):
        item = QStandardItem(text)
        item.setEditable(False)
        if order.on_hold or order.service is None:
            item.setForeground(_RED)
        if column == UNITS:
            item.setToolTip(f"{plural(order.lines, 'line')}, {plural(order.units, 'unit')}")
        elif tooltip:
            item.setToolTip(tooltip)
        items.append(item)
    return items


def _service(order: QueuedOrder) -> str:
    if order.service is None:
        return "no service can take it"
    return f"{order.service} (asked)" if order.requested else order.service
