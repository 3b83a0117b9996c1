"""``row_table``: the read-only table a desk or floor screen lists its rows in — whole rows
selected one at a time, no editing, no row numbers, columns fitted (``fit_columns``: the
``flexible`` ones share the spare width).

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ui.widgets.fit_columns import fit_columns


def row_table(model: QAbstractItemModel, parent: QWidget, flexible: set[int] | None = None, *,
              keep_scan_focus: bool = False) -> QTableView:
    """A table of ``model``'s rows. ``keep_scan_focus``: the table never takes the keyboard, so a
    wedge scanner's keystrokes stay in the screen's scan box after a click on a row."""
    table = QTableView(parent)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if keep_scan_focus:
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setVisible(False)
    if flexible is not None:
        fit_columns(table, flexible)
    return table
