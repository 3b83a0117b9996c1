"""The screen between two packs: what to do next, the packing queue (the orders ready to
pack, oldest ship-by first, each with the service it ships by; the columns fit the window)
and, once the station has shipped, a thumbnail of the last label (``LabelThumbnail``; a
click opens it full size). Shows data only; GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from ui.station.last_label import LabelPages, LabelThumbnail
from ui.widgets.fit_columns import fit_columns
from ui.widgets.fit_text import let_wrap
from ui.widgets.queue_model import CUSTOMER, SERVICE, QueueModel

PROMPT = "Scan an order (packing slip, pick list or tote) — or press F2 for the next order"


class IdleScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = QLabel(PROMPT, self)
        self.prompt.setObjectName("prompt")
        let_wrap(self.prompt)
        self.counts = let_wrap(QLabel("Loading the queue…", self))
        self.queue_model = QueueModel()
        self.table = QTableView(self)
        self.table.setModel(self.queue_model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        fit_columns(self.table, flexible=(CUSTOMER, SERVICE))
        self.last_label = LabelThumbnail(self)
        queue = QVBoxLayout()
        queue.addWidget(self.counts)
        queue.addWidget(self.table, 1)
        middle = QHBoxLayout()
        middle.addLayout(queue, 1)
        middle.addWidget(self.last_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addLayout(middle, 1)

    def show_last_label(self, pages: LabelPages | None) -> None:
        self.last_label.show_pages(pages)
