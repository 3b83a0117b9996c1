"""Whether a table shows every header and cell whole (tests/ui): no text wider than its
column unless it wraps into a row tall enough or is cut on purpose (``ElidingDelegate``:
the whole text in its tooltip), no cell widget squeezed, and no column pushed out of the
visible width."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QTableView

from ui.widgets.fit_columns import ElidingDelegate

CELL_MARGIN = 6  # the style's text margins: (focus frame margin + 1) on each side of a cell


def cut_off(table: QTableView) -> list[str]:
    """What ``table`` does not show whole, in words (empty when everything fits)."""
    model, metrics = table.model(), table.fontMetrics()
    problems = []
    total = sum(table.columnWidth(c) for c in range(model.columnCount()) if not table.isColumnHidden(c))
    if total > table.viewport().width():
        problems.append(f"columns are {total}px wide, the table shows {table.viewport().width()}px")
    for column in range(model.columnCount()):
        if table.isColumnHidden(column):
            continue
        width = table.columnWidth(column)
        header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        header_metrics = table.horizontalHeader().fontMetrics()
        if max(header_metrics.horizontalAdvance(line) for line in header.split("\n")) + CELL_MARGIN > width:
            problems.append(f"header {header!r} in {width}px")
        for row in range(model.rowCount()):
            index = model.index(row, column)
            widget = table.indexWidget(index)
            if widget is not None and widget.width() < widget.sizeHint().width():
                problems.append(f"{header} row {row}: widget {widget.width()}px < {widget.sizeHint().width()}px")
            text = str(index.data() or "")
            if metrics.horizontalAdvance(text) + CELL_MARGIN <= width:
                continue
            delegate = table.itemDelegateForColumn(column)
            if isinstance(delegate, ElidingDelegate) and text in delegate.tooltip(table, index).split("\n"):
                continue  # cut with "…" on purpose, whole in the tooltip
            wrapped = metrics.boundingRect(QRect(0, 0, width - CELL_MARGIN, 100_000),
                                           int(Qt.TextFlag.TextWordWrap), text)
            if wrapped.width() > width - CELL_MARGIN or wrapped.height() > table.rowHeight(row):
                problems.append(f"{header} row {row}: {text!r} cut off in {width}×{table.rowHeight(row)}px")
    return problems
