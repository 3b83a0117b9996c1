"""The Orders screen's table: ``OrdersModel`` over ``OrderSummary`` rows (plain data from
``app.orders.search``) and ``OrdersProxy``, which sorts by each column's real value (dates
as dates, counts as numbers), not its text.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

from fulfilstation.services.orders import OrderSummary
from ui.style import AMBER, GREY, RED

COLUMNS = ("Order", "Status", "Hold", "Customer", "Ship by", "Service", "Lines", "Units", "Tracking")
SORT_ROLE = Qt.ItemDataRole.UserRole
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # the order number of the row, whatever the column

Index = QModelIndex | QPersistentModelIndex


def status_words(summary: OrderSummary) -> str:
    return {"pending": "Pending", "ready": "Ready", "packing": "Being packed", "shipped": "Shipped",
            "cancelled": "Cancelled"}.get(summary.status, summary.status)


class OrdersModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[OrderSummary, ...] = ()

    def set_rows(self, rows: list[OrderSummary] | tuple[OrderSummary, ...]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def replace(self, summary: OrderSummary) -> None:
        """Show ``summary`` in place of the row of the same order (after a change)."""
        for row, old in enumerate(self.rows):
            if old.number == summary.number:
                self.rows = (*self.rows[:row], summary, *self.rows[row + 1:])
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return

    def row_of(self, number: str) -> int | None:
        return next((row for row, summary in enumerate(self.rows) if summary.number == number), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        summary, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(summary, column)
        if role == SORT_ROLE:
            return self._key(summary, column)
        if role == NUMBER_ROLE:
            return summary.number
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(summary, column)
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(summary, column) or None
        return None

    @staticmethod
    def _text(summary: OrderSummary, column: int) -> str:
        ship_by = summary.ship_by.isoformat() if summary.ship_by else "—"
        values = (summary.number, status_words(summary), f"On hold: {summary.hold_reason}" if summary.hold else "",
                  summary.customer, f"{ship_by} (late)" if summary.late else ship_by,
                  summary.service_name or "chosen at packing", str(summary.lines), str(summary.units),
                  summary.tracking or "")
        return values[column]

    @staticmethod
    def _key(summary: OrderSummary, column: int) -> object:
        if column == 4:
            return summary.ship_by.toordinal() if summary.ship_by else 10**7  # no date: last
        if column in (6, 7):
            return summary.lines if column == 6 else summary.units
        return OrdersModel._text(summary, column).casefold()

    @staticmethod
    def _colour(summary: OrderSummary, column: int) -> QColor | None:
        if column == 2 and summary.hold:
            return QColor(RED)
        if column == 4 and summary.late:
            return QColor(AMBER)
        if not summary.is_open:
            return QColor(GREY)
        return None


class OrdersProxy(QSortFilterProxyModel):
    def __init__(self, model: OrdersModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
