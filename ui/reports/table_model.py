"""``ReportTableModel``: one ``ReportTable`` as a read-only Qt table, and ``ReportSortProxy``
that sorts it by the values themselves (numbers as numbers, dates as dates, empty cells last).

Invariant: a cell is shown as the CSV export writes it (``shown`` follows
``fulfilstation.services.reports.tables.cell_text``: ``None`` empty, a float to one decimal, a
date in ISO form, anything else ``str``; the tests compare the two), numbers right-aligned.
Money arrives as ``Decimal`` and is never turned into a float, not even to sort.

Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from fulfilstation.services.reports import ReportTable

Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole + 2  # the cell's own value (what the proxy sorts by)
NUMBERS = (int, float, Decimal)


def shown(value: object) -> str:
    """A cell's text, as the CSV export writes it (``ReportTable.text_of``, the one rule)."""
    return ReportTable.text_of(value)  # type: ignore[arg-type]


def sort_key(value: object) -> tuple[int, object]:
    """Numbers before dates before text; empty cells last (in either direction they group)."""
    if value is None:
        return (3, 0)
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, dt.date):
        return (1, value.isoformat())
    return (2, str(value).casefold())


class ReportTableModel(QAbstractTableModel):
    def __init__(self, table: ReportTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return shown(value)
        if role == RAW_ROLE:
            return sort_key(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, NUMBERS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReportSortProxy(QSortFilterProxyModel):
    """Sorts by ``sort_key`` (compared in Python: Decimal, int and float compare exactly)."""

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt API
        a, b = self.sourceModel().data(left, RAW_ROLE), self.sourceModel().data(right, RAW_ROLE)
        try:
            return bool(a < b)
        except TypeError:  # a column mixing kinds the key does not separate
            return str(a) < str(b)
