"""The pack screen: the order at the top, its lines in the middle, the weight panel on
the right. It shows ``PackView``s and scale readings; it calls nothing itself (the
controller does). GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from fulfilstation.domain.words import plural
from fulfilstation.ports import WeightReading
from fulfilstation.services.packing import PackView
from ui.station.lines_model import DONE, IMAGE, NAME, ORDERED, SCANNED, SKU, THUMBNAIL, LinesModel
from ui.station.order_header import OrderHeader
from ui.station.weight_panel import WeightPanel
from ui.widgets.fit_text import let_wrap, show_wrapped

ROW_HEIGHT = THUMBNAIL.height() + 8


class PackScreen(QWidget):
    def __init__(self, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: PackView | None = None
        self.header = OrderHeader(self)
        self.model = LinesModel()
        self.table = self._table()
        self.progress = QLabel(self)
        self.progress.setObjectName("progress")
        let_wrap(self.progress)
        self.weight = WeightPanel(unit, self)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.progress)
        middle = QHBoxLayout()
        middle.addLayout(left, 3)
        middle.addWidget(self.weight, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(middle, 1)

    def _table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("lines")
        table.setModel(self.model)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the scanner's and the packer's
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setIconSize(THUMBNAIL)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        for column in (SKU, ORDERED, SCANNED, DONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(IMAGE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(IMAGE, THUMBNAIL.width() + 12)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        return table

    def show_view(self, view: PackView | None) -> None:
        self.view = view
        self.header.show_view(view)
        self.model.set_view(view)
        self.weight.show_view(view)
        self.table.setColumnHidden(IMAGE, view is None or not any(line.image_path for line in view.lines))
        if view is None:
            self.progress.setText("")
            return
        scanned = sum(min(line.scanned, line.ordered) for line in view.lines)
        ordered = sum(line.ordered for line in view.lines)
        waiting = {"serial": " — scan the serial number", "lot": " — scan the lot number"}.get(view.awaiting or "", "")
        if view.awaiting == "lot" and view.take:
            waiting += f": take {view.take}"
        show_wrapped(self.progress, f"{scanned} of {plural(ordered, 'item')} scanned{waiting}")
        if self.model.last_changed is not None:
            self.table.scrollTo(self.model.index(self.model.last_changed, NAME))

    def show_reading(self, reading: WeightReading) -> None:
        self.weight.show_reading(reading)
