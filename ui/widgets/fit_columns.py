"""Table columns that fit the window (1280×800 and up, the navigation and the simulator
panel beside them) without cut-off text.

``fit_columns`` sizes the short columns (numbers, dates, codes) to their contents and lets
the ``flexible`` ones (names, services) share the rest of the width. A flexible cell's
text that is longer than its column is cut with "…" on purpose (``ElidingDelegate``): the
whole text shows in its tooltip, and each row keeps one line, so the table shows as many
rows as it can. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

CELL_MARGIN = 6  # the style's text margins: (focus frame margin + 1) on each side of a cell
SIZED_BY_ROWS = 100
"""How many rows (the visible ones first) a short column is sized by. Qt's default, 1,000,
asked a long queue for 8,000 cells each time the station went back to its idle screen
(tens of milliseconds the window could not answer in); a short column's contents (numbers,
dates, codes) are of one width in any 100 rows."""


class ElidingDelegate(QStyledItemDelegate):
    """Draws a cell on one line, cut with "…" when longer than its column; the tooltip is
    then the whole text (above the model's own tooltip, if any)."""

    def cut(self, view: QTableView, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether ``index``'s text is longer than its column (drawn cut)."""
        text = str(index.data() or "")
        return view.fontMetrics().horizontalAdvance(text) + CELL_MARGIN > view.columnWidth(index.column())

    def tooltip(self, view: QTableView, index: QModelIndex | QPersistentModelIndex) -> str:
        """What the pointer resting on ``index`` shows."""
        own = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        if not self.cut(view, index):
            return own
        return "\n".join(part for part in (str(index.data() or ""), own) if part)

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,  # noqa: N802 - Qt API
                  option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(view, QTableView) and self.cut(view, index):
            QToolTip.showText(event.globalPos(), self.tooltip(view, index), view)
            return True
        return super().helpEvent(event, view, option, index)


def fit_columns(table: QTableView, flexible: Collection[int]) -> None:
    """Size ``table``'s columns (call once its model is set)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setTextElideMode(Qt.TextElideMode.ElideNone)
    header.setResizeContentsPrecision(SIZED_BY_ROWS)
    model = table.model()
    delegate = ElidingDelegate(table)
    for column in range(model.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column in flexible else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
        if column in flexible:
            table.setItemDelegateForColumn(column, delegate)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
