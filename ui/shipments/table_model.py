"""The Shipments screen's table: ``ShipmentSummary`` rows in the shared ``RowModel``, sorted
through a ``QSortFilterProxyModel`` on each column's value.

Cells are words for people (weights in the site's unit, money with its currency, local
times); each column sorts by its value (numbers, times), so a click on a header sorts
weights, costs and dates as values, not as text. Unsorted, the rows keep the order the
service returned (exact matches first, then newest — oldest for label-pending).

Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.money import format_money
from fulfilstation.domain.units import format_weight
from fulfilstation.services.shipping import ShipmentSummary
from ui.style import AMBER, GREY
from ui.widgets.row_model import SORT_ROLE, Column, RowModel

STATUS_WORDS = {ShipmentStatus.LABEL_PENDING: "Label pending", ShipmentStatus.PRINTED: "Printed",
                ShipmentStatus.VOIDED: "Voided"}
STATUS_COLOURS = {ShipmentStatus.LABEL_PENDING: AMBER, ShipmentStatus.VOIDED: GREY}


def when(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _tracking(row: ShipmentSummary) -> str:
    if not row.tracking_numbers:
        return "not bought yet"
    more = len(row.tracking_numbers) - 1
    return row.tracking_numbers[0] + (f" (+{more})" if more else "")


def columns(unit: Callable[[], str]) -> tuple[Column[ShipmentSummary], ...]:
    """The table's columns; weights in ``unit()`` (the site's, known after the first load)."""
    return (
        Column[ShipmentSummary]("Order", lambda r: r.order_number),
        Column[ShipmentSummary]("Tracking", _tracking, lambda r: r.tracking_numbers[0] if r.tracking_numbers else ""),
        Column[ShipmentSummary]("Status", lambda r: STATUS_WORDS[r.status]),
        Column[ShipmentSummary]("Service", lambda r: r.service_name),
        Column[ShipmentSummary]("Station", lambda r: r.station or ""),
        Column[ShipmentSummary]("Packed", lambda r: when(r.created_at), lambda r: r.created_at.timestamp()),
        Column[ShipmentSummary]("By", lambda r: r.created_by or ""),
        Column[ShipmentSummary]("Packages", lambda r: str(r.packages), lambda r: r.packages),
        Column[ShipmentSummary]("Weight", lambda r: format_weight(r.weight_g, unit()), lambda r: r.weight_g),
        Column[ShipmentSummary]("Cost", lambda r: format_money(r.cost_minor, r.currency), lambda r: r.cost_minor),
        Column[ShipmentSummary]("Manifest", lambda r: r.manifest or ""),
    )


HEADERS = tuple(column.header for column in columns(lambda: "kg"))


def shipments_model(unit: Callable[[], str]) -> RowModel[ShipmentSummary]:
    return RowModel(columns(unit), lambda row: STATUS_COLOURS.get(row.status))


def sorting_proxy(model: RowModel[ShipmentSummary], parent: QObject) -> QSortFilterProxyModel:
    """A proxy that sorts by each column's value (``SORT_ROLE``), text without regard to case."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
