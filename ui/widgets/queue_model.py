"""Table model of the packing queue (``QueuedOrder`` rows, plain data).

The Service column is the carrier and service each order will ship with (what routing and
rating pick now; "(asked)" when a manager or the shop requested it); an order no service
can take says so in red, the reason in its tooltip. The columns are few enough to fit
beside the workspace's navigation at 1280 px: the number of lines is in the Units tooltip."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from fulfilstation.domain.words import plural
from fulfilstation.services.packing.queue import QueuedOrder
from ui.style import RED

HEADERS = ("Order", "Customer", "Ship by", "Service", "Units", "Hold")  # the lines: the units' tooltip
CUSTOMER, SERVICE, UNITS = HEADERS.index("Customer"), HEADERS.index("Service"), HEADERS.index("Units")

Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[QueuedOrder, ...] = ()

    def set_rows(self, rows: tuple[QueuedOrder, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        order = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(order, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and (order.on_hold or order.service is None):
            return QColor(RED)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == UNITS:
            return f"{plural(order.lines, 'line')}, {plural(order.units, 'unit')}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return order.hold_reason if order.on_hold else order.no_service
        return None

    @staticmethod
    def _cell(order: QueuedOrder, column: int) -> str:
        values = (order.number, order.customer, order.ship_by.isoformat() if order.ship_by else "—",
                  _service(order), str(order.units),
                  "on hold" if order.on_hold else "")
        return values[column]


def _service(order: QueuedOrder) -> str:
    if order.service is None:
        return "no service can take it"
    return f"{order.service} (asked)" if order.requested else order.service
