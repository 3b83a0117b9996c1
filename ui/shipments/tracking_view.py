"""The Shipments screen's "Tracking" list: the carriers' exceptions the tracking poller found
(``app.tracking.problems``) — shipments returned to sender, with no carrier movement for 3
days, delivered after their promised day — what the dashboard's tracking exceptions open
(filters ``returned``, ``no-movement``, ``delivered-late``).

Each row: the exception, the tracking number, the order, the carrier's last state, the last
scan and the promised day. A choice above the table narrows it to one kind; the screen's
search box narrows it to rows whose tracking or order number contains the text. The selected
row's tracking is in the line below (``app.tracking.show``: its latest scans).

Never blocks: the rows are read through ``run_in_background``; an answer to an older ask is
dropped. Read-only. Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fulfilstation.domain.words import plural
from fulfilstation.services.app import AppServices
from fulfilstation.services.tracking import KIND_NAMES, KINDS, TrackingProblem
from ui.station.manager_sign_in import refusal_text
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.row_table import row_table
from ui.worker import run_in_background

FILTERS = {"returned": "returned", "returned-to-sender": "returned", "no-movement": "no-movement",
           "stalled": "no-movement", "delivered-late": "delivered-late", "late-delivery": "delivered-late",
           "tracking": None}


def _moment(value: dt.datetime | None) -> str:
    return f"{value.astimezone():%m-%d %H:%M}" if value is not None else "no scan"


COLUMNS = (
    Column[TrackingProblem]("Exception", lambda r: KIND_NAMES[r.kind]),
    Column[TrackingProblem]("Tracking", lambda r: r.tracking_number),
    Column[TrackingProblem]("Order", lambda r: r.order_number),
    Column[TrackingProblem]("State", lambda r: r.state or "not scanned"),
    Column[TrackingProblem]("Last scan", lambda r: _moment(r.last_event_at),
                            lambda r: r.last_event_at.timestamp() if r.last_event_at else 0.0),
    Column[TrackingProblem]("Promised by", lambda r: r.promised_by.isoformat() if r.promised_by else "—",
                            lambda r: r.promised_by.toordinal() if r.promised_by else 0),
)


def matches(row: TrackingProblem, kind: str | None, text: str | None) -> bool:
    if kind is not None and row.kind != kind:
        return False
    return not text or any(text.casefold() in value.casefold() for value in (row.tracking_number, row.order_number))


@dataclass(frozen=True)
class _Loaded:
    generation: int
    rows: tuple[TrackingProblem, ...]


class TrackingProblemsView(QWidget):
    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tracking = app.tracking
        self.text: str | None = None
        self._generation = 0
        self.kind = QComboBox(self)
        self.kind.addItem("Every tracking exception", None)
        for kind in KINDS:
            self.kind.addItem(KIND_NAMES[kind], kind)
        self.kind.currentIndexChanged.connect(lambda _index: self.load(self.text))
        self.found = QLabel("", self)
        self.found.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.found)
        self.model = RowModel(COLUMNS)
        self.model.setParent(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = row_table(self.proxy, self, {0})
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._show_detail())
        self.detail = QLabel("", self)
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

    def show_kind(self, kind: str | None) -> None:
        """The dashboard's list of one kind (None: every kind); the next ``load`` reads it."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)) if kind else 0)
        self.kind.blockSignals(False)

    def load(self, text: str | None) -> None:
        self._generation += 1
        generation, kind, tracking = self._generation, self.kind.currentData(), self.tracking
        self.text = text

        def read() -> _Loaded:
            return _Loaded(generation, tuple(r for r in tracking.problems() if matches(r, kind, text)))

        self.found.setText("Loading…")
        run_in_background(read, self._loaded, lambda exc: self._failed(generation, exc), owner=self)

    def _loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return
        self.model.set_rows(loaded.rows)
        count = len(loaded.rows)
        self.found.setText(plural(count, "shipment") if count else "No tracking exception.")
        if count:
            self.table.selectRow(0)
        self._show_detail()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.found.setText("")
            self.detail.setText(refusal_text(exc))

    def selected(self) -> TrackingProblem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _show_detail(self) -> None:
        row = self.selected()
        if row is None:
            self.detail.setText("Select a row to see what the carrier said.")
            return
        promised = f", promised by {row.promised_by.isoformat()}" if row.promised_by else ""
        delivered = f", delivered {row.delivered_at.astimezone():%Y-%m-%d %H:%M}" if row.delivered_at else ""
        self.detail.setText(f"{KIND_NAMES[row.kind]}: {row.tracking_number} (order {row.order_number}), "
                            f"{row.state or 'not scanned'}, last scan {_moment(row.last_event_at)}"
                            f"{delivered}{promised}.")
