"""The Shipments screen's table: ``ShipmentSummary`` rows (plain data) and a sorting proxy.

Cells are words for people (weights in the site's unit, money with its currency, local
times); ``SORT_ROLE`` gives each cell's raw value (numbers, times) so a click on a header
sorts weights, costs and dates as values, not as text. Unsorted, the rows keep the order
the service returned (exact matches first, then newest — oldest for label-pending).

Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.money import format_money
from fulfilstation.domain.units import format_weight
from fulfilstation.services.shipping import ShipmentSummary
from ui.style import AMBER, GREY

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_WORDS = {ShipmentStatus.LABEL_PENDING: "Label pending", ShipmentStatus.PRINTED: "Printed",
                ShipmentStatus.VOIDED: "Voided"}
STATUS_COLOURS = {ShipmentStatus.LABEL_PENDING: AMBER, ShipmentStatus.VOIDED: GREY}

Index = QModelIndex | QPersistentModelIndex
Cell = Callable[[ShipmentSummary, str], str]
Key = Callable[[ShipmentSummary], object]


def _when(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _tracking(row: ShipmentSummary, _unit: str) -> str:
    if not row.tracking_numbers:
        return "not bought yet"
    more = len(row.tracking_numbers) - 1
    return row.tracking_numbers[0] + (f" (+{more})" if more else "")


#: (header, cell text, sort key) per column.
COLUMNS: tuple[tuple[str, Cell, Key], ...] = (
    ("Order", lambda r, _u: r.order_number, lambda r: r.order_number),
    ("Tracking", _tracking, lambda r: r.tracking_numbers[0] if r.tracking_numbers else ""),
    ("Status", lambda r, _u: STATUS_WORDS[r.status], lambda r: STATUS_WORDS[r.status]),
    ("Service", lambda r, _u: r.service_name, lambda r: r.service_name),
    ("Station", lambda r, _u: r.station or "", lambda r: r.station or ""),
    ("Packed", lambda r, _u: _when(r.created_at), lambda r: r.created_at.timestamp()),
    ("By", lambda r, _u: r.created_by or "", lambda r: r.created_by or ""),
    ("Packages", lambda r, _u: str(r.packages), lambda r: r.packages),
    ("Weight", lambda r, u: format_weight(r.weight_g, u), lambda r: r.weight_g),
    ("Cost", lambda r, _u: format_money(r.cost_minor, r.currency), lambda r: r.cost_minor),
    ("Manifest", lambda r, _u: r.manifest or "", lambda r: r.manifest or ""),
)
HEADERS = tuple(header for header, _cell, _key in COLUMNS)


class ShipmentsTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None, unit: str = "kg") -> None:
        super().__init__(parent)
        self._rows: tuple[ShipmentSummary, ...] = ()
        self.unit = unit

    def set_rows(self, rows: tuple[ShipmentSummary, ...] | list[ShipmentSummary], unit: str | None = None) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.unit = unit or self.unit
        self.endResetModel()

    @property
    def rows(self) -> tuple[ShipmentSummary, ...]:
        return self._rows

    def summary(self, row: int) -> ShipmentSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, shipment_id: int) -> int | None:
        return next((i for i, summary in enumerate(self._rows) if summary.id == shipment_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        _header, cell, key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(summary, self.unit)
        if role == SORT_ROLE:
            return key(summary)
        if role == Qt.ItemDataRole.ForegroundRole and summary.status in STATUS_COLOURS:
            return QColor(STATUS_COLOURS[summary.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(summary)
        return None


def _tooltip(summary: ShipmentSummary) -> str:
    lines = [f"Order {summary.order_number}: {STATUS_WORDS[summary.status].lower()}"]
    if summary.tracking_numbers:
        lines.append("Tracking: " + ", ".join(summary.tracking_numbers))
    if summary.void_reason:
        lines.append(f"Voided {_when(summary.voided_at)}: {summary.void_reason}")
    if summary.manifest:
        lines.append(f"On manifest {summary.manifest}: it can no longer be voided")
    return "\n".join(lines)


def sorting_proxy(model: ShipmentsTableModel) -> QSortFilterProxyModel:
    """A proxy that sorts by ``SORT_ROLE`` (values, not their words)."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
