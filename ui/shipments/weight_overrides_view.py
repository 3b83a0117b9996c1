"""The Shipments screen's "Weight overrides" list: the packages whose weight a manager
accepted outside the expected range (``app.shipping.weight_overrides``), in shipments made
today or over the last 7 or 30 of the site's days — what the dashboard's "Weight overrides
today" opens.

Each row: the package as order / sequence ("PK-00001 / 2"), measured against expected, who
accepted it ("By"), their reason and when (the audit entry's moment, else the shipment's; a
voided shipment's row in grey). The columns fit the screen (``fit_columns``: who and why
share the rest of the width, cut with "…" and whole in the tooltip); the selected row's
whole story — the difference heavy or light, the range, the tracking number, the station,
the shipment's status — is in the line below the table. The screen's search box narrows the
rows to those whose order, tracking number, accepter or reason contains the text.

Never blocks: the site's days (``app.reports.today``/``period``) and the rows are read
through ``run_in_background``; an answer to an older ask is dropped. Read-only.
Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.units import format_weight
from fulfilstation.domain.words import plural
from fulfilstation.services.app import AppServices
from fulfilstation.services.shipping import WeightOverride
from ui.shipments.table_model import STATUS_WORDS, when
from ui.station.manager_sign_in import refusal_text
from ui.style import GREY
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.row_table import row_table
from ui.worker import run_in_background

PERIODS = (("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30))  # words, the site's days
TODAY = 0  # the index of "Today" in PERIODS


def _difference(row: WeightOverride, unit: str) -> str:
    side = "heavy" if row.difference_g > 0 else "light"
    return f"{format_weight(abs(row.difference_g), unit)} {side}"


def _moment(row: WeightOverride) -> dt.datetime:
    return row.accepted_at or row.shipped_at


def _short_when(moment: dt.datetime) -> str:
    """``12-06 14:02``: month, day and local time (the year is in the detail line)."""
    return f"{moment.astimezone():%m-%d %H:%M}"


def columns(unit: Callable[[], str]) -> tuple[Column[WeightOverride], ...]:
    """The list's columns; weights in ``unit()`` (the site's)."""
    return (
        Column[WeightOverride]("Package", lambda r: f"{r.order_number} / {r.package}",
                               lambda r: (r.order_number, r.package)),
        Column[WeightOverride]("Measured", lambda r: format_weight(r.measured_g, unit()), lambda r: r.measured_g),
        Column[WeightOverride]("Expected", lambda r: format_weight(r.expected_g, unit()), lambda r: r.expected_g),
        Column[WeightOverride]("By", lambda r: r.accepted_by),
        Column[WeightOverride]("Reason", lambda r: r.reason or "not recorded"),
        Column[WeightOverride]("When", lambda r: _short_when(_moment(r)), lambda r: _moment(r).timestamp()),
    )


HEADERS = tuple(column.header for column in columns(lambda: "kg"))
FLEXIBLE = (HEADERS.index("By"), HEADERS.index("Reason"))


def matches(row: WeightOverride, text: str | None) -> bool:
    """``row`` shows for the search ``text`` (None: every row)."""
    if not text:
        return True
    wanted = text.casefold()
    return any(wanted in (field or "").casefold()
               for field in (row.order_number, row.tracking_number, row.accepted_by, row.reason))


def detail_words(row: WeightOverride | None, unit: str) -> str:
    if row is None:
        return "Select a row to see the whole story of the accepted weight."
    expected = format_weight(row.expected_g, unit)
    if row.min_g is not None and row.max_g is not None:
        expected += f" (range {format_weight(row.min_g, unit)} – {format_weight(row.max_g, unit)})"
    reason = row.reason or "no reason recorded"
    station = f" at {row.station}" if row.station else ""
    return (f"Order {row.order_number}, package {row.package}"
            + (f" ({row.tracking_number})" if row.tracking_number else "")
            + f": weighed {format_weight(row.measured_g, unit)}, expected {expected} — {_difference(row, unit)}. "
            f"Accepted by {row.accepted_by} {when(_moment(row))}{station}: {reason}. "
            f"Shipment: {STATUS_WORDS[row.status].lower()}.")


@dataclass(frozen=True)
class _Loaded:
    generation: int
    rows: tuple[WeightOverride, ...]
    first: dt.date
    last: dt.date


class WeightOverridesView(QWidget):
    def __init__(self, app: AppServices, unit: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shipping, self.reports = app.shipping, app.reports
        self.unit = unit
        self.text: str | None = None
        self.loaded: _Loaded | None = None
        self._generation = 0
        self.period = QComboBox(self)
        for words, days in PERIODS:
            self.period.addItem(words, days)
        self.period.currentIndexChanged.connect(lambda _index: self.load(self.text))
        self.found = QLabel("", self)
        self.found.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(QLabel("Shipped", self))
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.found)
        self.model = RowModel(columns(unit), lambda row: GREY if row.status is ShipmentStatus.VOIDED else None)
        self.model.setParent(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # no sideways scrolling: who and why cut with "…", whole in the tooltip
        self.table = table = row_table(self.proxy, self, set(FLEXIBLE))
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.selectionModel().selectionChanged.connect(lambda *_args: self._show_detail())
        self.detail = QLabel(detail_words(None, "kg"), self)
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(table, 1)
        layout.addWidget(self.detail)

    def show_today(self) -> None:
        """The dashboard's list: today's (the next ``load`` asks for it)."""
        self.period.blockSignals(True)
        self.period.setCurrentIndex(TODAY)
        self.period.blockSignals(False)

    def load(self, text: str | None) -> None:
        """Read the period's overrides again, those matching ``text`` shown."""
        self._generation += 1
        generation, days, shipping, reports = self._generation, int(self.period.currentData()), self.shipping, \
            self.reports
        self.text = text

        def read() -> _Loaded:
            today = reports.today()
            period = reports.period(today - dt.timedelta(days=days - 1), today)
            rows = shipping.weight_overrides(period.start_utc, period.end_utc)
            return _Loaded(generation, tuple(row for row in rows if matches(row, text)), period.first, period.last)

        self.found.setText("Loading…")
        run_in_background(read, self._loaded, lambda exc: self._failed(generation, exc), owner=self)

    def _loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return
        self.loaded = loaded
        self.model.set_rows(loaded.rows)
        span = loaded.first.isoformat() if loaded.first == loaded.last else \
            f"{loaded.first.isoformat()} – {loaded.last.isoformat()}"
        count = len(loaded.rows)
        matching = f" matching {self.text!r}" if self.text else ""
        self.found.setText(f"{plural(count, 'weight override')}{matching}, {span}" if count else
                           f"No weight was accepted out of range{matching}, {span}.")
        if count:
            self.table.selectRow(0)
        self._show_detail()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.found.setText("")
            self.detail.setText(refusal_text(exc))

    def selected(self) -> WeightOverride | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _show_detail(self) -> None:
        self.detail.setText(detail_words(self.selected(), self.unit()))
