"""``OrderDetailPane``: one order opened on the Orders screen — its header and ship-to
address, and tabs for its lines, what the intake checks found (problems, warnings, unknown
SKUs, the address as sent when it was corrected), reservations, scans, shipments, holds and history
(``OrderDetail``, plain data read in the background by the screen).

Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.orders import OrderDetail
from ui.orders.model import status_words
from ui.widgets.fit_text import ElidedLabel, let_wrap

TABS_MIN_HEIGHT = 200  # px: the tab bar, the header and three or four rows
PLACEHOLDER = "Double-click an order (or press Enter) to open it here."

TABS: dict[str, tuple[str, ...]] = {
    "Lines": ("SKU", "Product", "Ordered", "Packed", "Shipped"),
    "Problems": ("Kind", "What to fix"),
    "Reserved": ("SKU", "Bin", "Lot", "Units"),
    "Scans": ("Time", "Station", "Who", "Scanned", "Result", "Message"),
    "Shipments": ("Tracking", "Status", "Service", "Packages", "Created", "By", "Voided", "Manifest"),
    "Holds": ("Held", "By", "Reason", "Released", "By", "Note"),
    "History": ("Time", "Who", "Station", "What"),
}


def when(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}" if moment is not None else ""


def _table(columns: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


def intake_rows(detail: OrderDetail) -> list[tuple[str, ...]]:
    """Why the order is held, as the intake checks found it: each problem (a warning says so),
    each line whose SKU is unknown, and the address as the shop sent it when it was corrected."""
    rows: list[tuple[str, ...]] = [("Holds the order" if p.holds else "Warning", p.message) for p in detail.problems]
    rows += [("Unknown SKU", f"{u.quantity} × {u.sku}" + (f" {u.name}" if u.name else "")
              + ": add the product, then Re-check") for u in detail.unmatched]
    if detail.original_ship_to is not None:
        rows.append(("Address as sent", f"{detail.original_ship_to.one_line()} (corrected to the ship-to above)"))
    return rows


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


class OrderDetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: OrderDetail | None = None
        # Two lines that never grow (a long hold reason is cut with "…", whole in the tooltip and
        # in the Holds and Problems tabs): on a 1280×800 screen the tabs keep their rows.
        self.title = ElidedLabel(PLACEHOLDER, self)
        self.title.setObjectName("orderTitle")
        self.subtitle = ElidedLabel("", self)
        self.subtitle.setObjectName("orderTitle")
        self.subtitle.setVisible(False)
        self.ship_to = QLabel("", self)
        self.ship_to.setObjectName("orderShipTo")
        let_wrap(self.ship_to)
        self.ship_to.setVisible(False)  # until an order is opened
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("orderTabs")
        self.tabs.setMinimumHeight(TABS_MIN_HEIGHT)  # a few rows of each tab, whatever the splitter says
        self.tables = {name: _table(columns, self.tabs) for name, columns in TABS.items()}
        for name, table in self.tables.items():
            self.tabs.addTab(table, name)
        self.tabs.setVisible(False)  # until an order is opened: the list takes the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.ship_to)
        layout.addWidget(self.tabs, 1)

    @property
    def number(self) -> str | None:
        return self.detail.number if self.detail is not None else None

    def clear(self) -> None:
        self.detail = None
        self.title.setText(PLACEHOLDER)
        self.subtitle.setText("")
        self.subtitle.setVisible(False)
        self.ship_to.setText("")
        self.ship_to.setVisible(False)
        self.tabs.setVisible(False)
        for table in self.tables.values():
            table.setRowCount(0)

    def show_detail(self, detail: OrderDetail) -> None:
        self.detail = detail
        self.tabs.setVisible(True)
        summary = detail.summary
        hold = f" · ON HOLD: {summary.hold_reason}" if summary.hold else ""
        late = " · LATE" if summary.late else ""
        late += f" · {detail.split}" if detail.split else ""  # partial shipment: "part of 1001" / "rest in 1001-2"
        self.title.setText(f"{summary.number} · {status_words(summary)}{late}{hold}")
        self.subtitle.setText(f"{summary.customer} · ship by {summary.ship_by or '—'} · "
                              f"{summary.service_name or 'service chosen at packing'}"
                              + (f" · {summary.tracking}" if summary.tracking else ""))
        self.subtitle.setVisible(True)
        address = detail.ship_to.one_line() + (f" · {detail.ship_to.phone}" if detail.ship_to.phone else "")
        gift = f"\nGift message: {detail.gift_message}" if detail.gift_message else ""
        if detail.customer_note:
            gift += f"\nCustomer's note: {detail.customer_note}"
        sent = (f"\nAs the shop sent it (corrected): {detail.original_ship_to.one_line()}"
                if detail.original_ship_to is not None else "")
        self.ship_to.setText(f"Ship to: {address}{sent}{gift}")
        self.ship_to.setVisible(True)
        self._fill("Lines", [(f"↳ {line.sku}" if line.part_of else line.sku,
                              f"{line.name} (kit)" if line.is_kit else line.name,
                              str(line.ordered), str(line.packed), str(line.shipped)) for line in detail.lines])
        problems = intake_rows(detail)
        self._fill("Problems", problems)
        self._fill("Reserved", [(r.sku, r.bin, r.lot or "", str(r.quantity)) for r in detail.reservations])
        self._fill("Scans", [(when(s.at), s.station or "", s.user or "", s.code, s.result, s.message or "")
                             for s in detail.scans])
        self._fill("Shipments", [(s.tracking or "(no tracking yet)", s.status, s.service_name, str(s.packages),
                                  when(s.created_at), s.created_by or "",
                                  f"{when(s.voided_at)} {s.voided_by or ''}: {s.void_reason or ''}" if s.voided_at
                                  else "", s.manifest or "") for s in detail.shipments])
        self._fill("Holds", [(when(h.held_at) or "came in held", h.held_by or "", h.reason,
                              when(h.released_at) or "still on hold", h.released_by or "", h.release_reason or "")
                             for h in detail.holds])
        self._fill("History", [(when(e.at), e.who or "", e.station or "", e.what) for e in reversed(detail.history)])
        for name, count in (("Lines", len(detail.lines)), ("Problems", len(problems)),
                            ("Reserved", len(detail.reservations)),
                            ("Scans", len(detail.scans)), ("Shipments", len(detail.shipments)),
                            ("Holds", len(detail.holds)), ("History", len(detail.history))):
            self.tabs.setTabText(list(TABS).index(name), f"{name} ({count})")

    def rows(self, tab: str) -> list[list[str]]:
        """The cells of a tab, as shown (for tests and copying)."""
        table = self.tables[tab]
        return [[_text(table.item(row, column)) for column in range(table.columnCount())]
                for row in range(table.rowCount())]

    def _fill(self, tab: str, rows: list[tuple[str, ...]]) -> None:
        table = self.tables[tab]
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
