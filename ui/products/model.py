"""The Products screen's table: a ``QAbstractTableModel`` over plain tuples, made for
50,000 products.

Invariants (what keeps it fast):

* ``table_rows`` turns ``ProductRow`` values into display tuples and sort keys **off the
  GUI thread** (the screen calls it in its background job); ``data()`` only indexes a tuple.
* Sorting is the model's own (``sort``: one Python ``list.sort`` on precomputed keys, tens
  of milliseconds for 50,000 rows); ``ProductsProxy`` hands a header click to it instead of
  comparing rows through ``data()`` (which would cost seconds). The proxy keeps the
  source's order, so the view and the house's proxy-based selection code work unchanged.
* Rows arrive in pages (``set_rows`` then ``append_rows``); appended rows are put in the
  current sort order. Persistent indexes (the selection) follow every re-order.

Threading: ``table_rows`` is pure (any thread); the model is GUI-thread only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from fulfilstation.domain.money import format_money
from fulfilstation.domain.units import format_weight
from fulfilstation.services.products import ProductRow
from ui.style import GREY

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("SKU", "Name", "Barcodes", "Weight", "Price", "On hand", "Available", "Active", "Kit")
TableRow = tuple[tuple[str, ...], tuple[Any, ...], ProductRow]


def table_rows(rows: Sequence[ProductRow], unit: str = "g") -> list[TableRow]:
    """Display texts and sort keys of each row, weights in ``unit`` (the site's), sorted by
    grams (pure: call it off the GUI thread)."""
    return [((row.sku, row.name, ", ".join(row.barcodes), format_weight(row.weight_g, unit),
              format_money(row.unit_price_minor, row.currency), f"{row.on_hand:,}", f"{row.available:,}",
              "Yes" if row.active else "No", "Kit" if row.kit else ""),
             (row.sku.casefold(), row.name.casefold(), row.barcodes[0] if row.barcodes else "~", row.weight_g,
              (row.currency, row.unit_price_minor), row.on_hand, row.available, row.active, row.kit),
             row) for row in rows]


class ProductsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[TableRow] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ---------------------------------------------------------------- contents

    def set_rows(self, rows: list[TableRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def append_rows(self, rows: list[TableRow]) -> None:
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        if self._sort is not None:
            self.sort(*self._sort)

    def texts(self, count: int) -> list[tuple[str, ...]]:
        """The display texts of the first ``count`` rows (to size the columns)."""
        return [row[0] for row in self._rows[:count]]

    def product(self, row: int) -> ProductRow:
        return self._rows[row][2]

    def row_of(self, sku: str) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row[2].sku == sku), None)

    # ---------------------------------------------------------------- Qt

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
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][0][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not self._rows[index.row()][2].active:
            return QColor(GREY)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 4, 5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._rows[index.row()][2].id for index in before]
        self._sort_rows(column, order)
        if before:
            where = {row[2].id: n for n, row in enumerate(self._rows)}
            self.changePersistentIndexList(before, [self.index(where[product_id], index.column())
                                                    for product_id, index in zip(held, before, strict=True)])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._rows.sort(key=lambda row: row[1][column], reverse=order == Qt.SortOrder.DescendingOrder)


class ProductsProxy(QSortFilterProxyModel):
    """Passes sorting to ``ProductsModel.sort`` (fast key sort) and keeps its order."""

    def __init__(self, model: ProductsModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, ProductsModel):
            source.sort(column, order)
