"""``ProductDetailPane``: the product selected on the Products screen — a summary of its
fields and stock, and tabs for its barcodes, its components (or the kits it is part of)
and its stock per bin (``ProductDetail``, read in the background by the screen).

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.money import format_money
from fulfilstation.domain.units import format_weight
from fulfilstation.services.products import ProductDetail
from ui.widgets.fit_text import let_wrap

TABS: dict[str, tuple[str, ...]] = {
    "Barcodes": ("Barcode", "Units a scan"),
    "Components": ("SKU", "Component", "Per kit", "Available"),
    "In kits": ("Kit", "Name", "Per kit"),
    "Bins": ("Bin", "Kind", "Lot", "Expiry", "On hand", "Reserved"),
}


def summary(detail: ProductDetail, unit: str = "g") -> str:
    f, stock = detail.fields, detail.stock
    flags = [word for word, on in (("lot-tracked", f.lot_tracked), ("serial-tracked", f.serial_tracked),
                                   ("hazmat", f.hazmat), ("fragile", f.fragile)) if on]
    parts = [f"{format_money(f.unit_price_minor, f.currency)}", format_weight(f.weight_g, unit),
             f"{f.length_mm} × {f.width_mm} × {f.height_mm} mm",
             f"{stock.on_hand:,} on hand · {stock.reserved:,} reserved · {stock.available:,} available"]
    if f.hs_code or f.country_of_origin:
        parts.append(f"HS {f.hs_code or '—'}, made in {f.country_of_origin or '—'}")
    if f.reorder_point or f.safety_stock:
        parts.append(f"reorder at {f.reorder_point}, keep {f.safety_stock}")
    return " · ".join(parts + flags)


class ProductDetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ProductDetail | None = None
        self.unit = "g"  # weights are shown in the site's unit (the screen sets it)
        self.title = let_wrap(QLabel("Select a product to see it here.", self))
        self.title.setObjectName("productTitle")
        self.facts = let_wrap(QLabel("", self))
        self.facts.setObjectName("productFacts")
        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableWidget] = {}
        for name, columns in TABS.items():
            table = QTableWidget(0, len(columns), self)
            table.setObjectName(f"product{name.replace(' ', '')}")
            table.setHorizontalHeaderLabels(list(columns))
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
            table.setMinimumHeight(table.horizontalHeader().sizeHint().height()  # the header and three rows
                                   + 3 * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth())
            self.tables[name] = table
            self.tabs.addTab(table, name)
        self.actions_row = QHBoxLayout()  # the screen's buttons that act on what this pane shows
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self.actions_row)

    def add_actions(self, *buttons: QWidget) -> None:
        """Put ``buttons`` (e.g. the barcode buttons) in a row under the tabs."""
        for button in buttons:
            self.actions_row.addWidget(button)
        self.actions_row.addStretch(1)

    @property
    def sku(self) -> str | None:
        return self.detail.sku if self.detail is not None else None

    def show_detail(self, detail: ProductDetail) -> None:
        self.detail = detail
        kind = " · kit" if detail.kit else ""
        state = "" if detail.active else " · inactive"
        self.title.setText(f"{detail.sku} · {detail.name}{kind}{state}")
        self.facts.setText(summary(detail, self.unit))
        self._fill("Barcodes", [(b.code, str(b.pack_quantity)) for b in detail.barcodes])
        self._fill("Components", [(c.sku, c.name + ("" if c.active else " (inactive)"), str(c.quantity),
                                   str(c.available)) for c in detail.components])
        self._fill("In kits", [(k.sku, k.name, str(k.quantity)) for k in detail.part_of])
        self._fill("Bins", [(b.bin, b.kind, b.lot, b.expiry or "", str(b.on_hand), str(b.reserved))
                            for b in detail.bins])

    def clear(self) -> None:
        self.detail = None
        self.title.setText("Select a product to see it here.")
        self.facts.setText("")
        for name in TABS:
            self._fill(name, [])

    def selected_barcode(self) -> str | None:
        table = self.tables["Barcodes"]
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else None

    def rows(self, tab: str) -> list[list[str]]:
        table = self.tables[tab]
        return [[(table.item(r, c).text() if table.item(r, c) is not None else "")  # type: ignore[union-attr]
                 for c in range(table.columnCount())] for r in range(table.rowCount())]

    def _fill(self, tab: str, rows: list[tuple[str, ...]]) -> None:
        table = self.tables[tab]
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
