"""Table columns that show their whole text in the window (1280×800 and up), never "…".

``fit_columns`` sizes the short columns (numbers, dates, codes) to their contents and lets
the ``flexible`` ones (names, services) share the rest of the width; text longer than a
flexible column wraps at word boundaries and its row grows to show every line. Nothing is
elided. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView


def fit_columns(table: QTableView, flexible: Collection[int]) -> None:
    """Size ``table``'s columns (call once its model is set; rows follow the model's changes)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(table.model().columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column in flexible else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    timer = QTimer(table)  # rows follow once the columns have settled: a wrap needs their final width
    timer.setSingleShot(True)
    timer.timeout.connect(table.resizeRowsToContents)
    header.sectionResized.connect(lambda *_: timer.start(0))
    model = table.model()
    for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
        signal.connect(lambda *_: timer.start(0))
