"""What the Products screen asks before a change: a product's fields (new or edited), a
barcode with its pack quantity, a kit's components.

Each dialog stays open while the use case runs ("Working…"); a refusal is shown in it, in
words, so the manager can fix what it says and try again. Barcode fields take a scanner's
scan (a keyboard wedge types the code and Enter: the Enter ends the scan, it does not
submit the form).

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fulfilstation.domain.money import format_money, minor_digits, parse_money_minor
from fulfilstation.services.products import BarcodeSpec, ComponentInfo, ProductChanges, ProductFields
from fulfilstation.services.products.fields import LEAD_TIME_MAX_DAYS
from ui.orders.dialogs import AskDialog

MAX_WHOLE = 1_000_000_000
WHOLE_FIELDS = (("weight_g", "Weight (g)"), ("length_mm", "Length (mm)"), ("width_mm", "Width (mm)"),
                ("height_mm", "Height (mm)"), ("reorder_point", "Reorder point"), ("safety_stock", "Safety stock"),
                ("lead_time_days", "Lead time (days)"))
FLAG_FIELDS = (("lot_tracked", "Lot-tracked"), ("serial_tracked", "Serial-tracked"), ("hazmat", "Hazmat"),
               ("fragile", "Fragile"))
TEXT_FIELDS = (("sku", "SKU"), ("name", "Name"), ("description", "Description"), ("image_path", "Image"),
               ("hs_code", "HS code"), ("country_of_origin", "Country of origin"), ("supplier", "Supplier"))


class ScanField(QLineEdit):
    """A line a scanner types into: Enter ends the code (focus moves on), it never submits."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)


def _price_text(fields: ProductFields, amount_minor: int | None = None) -> str:
    amount = fields.unit_price_minor if amount_minor is None else amount_minor
    digits = minor_digits(fields.currency)
    if not digits:
        return str(amount)
    major, minor = divmod(amount, 10 ** digits)
    return f"{major}.{minor:0{digits}d}"


class ProductDialog(AskDialog):
    """A new product (``original`` None: submits ``(ProductFields, [BarcodeSpec])``) or the
    fields of one (submits ``ProductChanges`` holding only what was changed)."""

    def __init__(self, original: ProductFields | None, parent: QWidget | None = None) -> None:
        new = original is None
        sku = original.sku if original is not None else ""
        super().__init__("New product" if new else f"Edit {sku}", "Add product" if new else "Save",
                         "A product the warehouse stocks: its SKU, name and what packing and customs need." if new
                         else f"Change what is wrong about {sku}; the rest stays as it is.", parent)
        self.original = original
        start = original or ProductFields(sku="", name="")
        self.texts: dict[str, QLineEdit] = {}
        for key, _label in TEXT_FIELDS:
            kind = ScanField if key == "sku" else QLineEdit  # a SKU may be scanned off a label: Enter moves on
            edit = kind(str(getattr(start, key) or ""), self)
            edit.setObjectName(f"product_{key}")
            self.texts[key] = edit
        self.numbers: dict[str, QSpinBox] = {}
        for key, _label in WHOLE_FIELDS:
            box = QSpinBox(self)
            box.setRange(0, LEAD_TIME_MAX_DAYS if key == "lead_time_days" else MAX_WHOLE)
            box.setValue(int(getattr(start, key)))
            box.setObjectName(f"product_{key}")
            self.numbers[key] = box
        self.flags: dict[str, QCheckBox] = {}
        for key, label in FLAG_FIELDS:
            check = QCheckBox(label, self)
            check.setChecked(bool(getattr(start, key)))
            self.flags[key] = check
        self.price = QLineEdit(_price_text(start), self)
        self.price.setObjectName("product_price")
        self.cost = QLineEdit(_price_text(start, start.cost_minor), self)
        self.cost.setObjectName("product_cost")
        self.currency = QLineEdit(start.currency, self)
        self.currency.setMaxLength(3)
        self.currency.setObjectName("product_currency")
        self.barcode = ScanField(self)
        self.barcode.setObjectName("product_barcode")
        self.barcode.setPlaceholderText("Scan or type it (optional)")
        self.pack = QSpinBox(self)
        self.pack.setRange(1, 100_000)
        self._lay_out(new)
        self.resize(760, 720)
        self.texts["sku" if new else "name"].setFocus()

    def _lay_out(self, new: bool) -> None:
        for key, label in TEXT_FIELDS[:2]:
            self.form.addRow(label, self.texts[key])
        sizes = QHBoxLayout()
        for key in ("weight_g", "length_mm", "width_mm", "height_mm"):
            sizes.addWidget(self.numbers[key])
        self.form.addRow("Weight g · L × W × H mm", sizes)
        money = QHBoxLayout()
        money.addWidget(self.price, 2)
        money.addWidget(self.currency, 1)
        self.form.addRow("Price · currency", money)
        flags = QHBoxLayout()
        for check in self.flags.values():
            flags.addWidget(check)
        self.form.addRow("", flags)
        targets = QHBoxLayout()
        targets.addWidget(self.numbers["reorder_point"])
        targets.addWidget(self.numbers["safety_stock"])
        self.form.addRow("Reorder point · safety stock", targets)
        buying = QHBoxLayout()
        buying.addWidget(self.texts["supplier"], 3)
        buying.addWidget(self.numbers["lead_time_days"], 1)
        buying.addWidget(self.cost, 1)
        self.form.addRow("Supplier · lead days · cost", buying)
        customs = QHBoxLayout()
        customs.addWidget(self.texts["hs_code"], 2)
        customs.addWidget(self.texts["country_of_origin"], 1)
        self.form.addRow("HS code · country", customs)
        for key, label in TEXT_FIELDS[2:4]:
            self.form.addRow(label, self.texts[key])
        if new:
            code = QHBoxLayout()
            code.addWidget(self.barcode, 3)
            code.addWidget(self.pack, 1)
            self.form.addRow("Barcode · units a scan", code)

    def fields(self) -> ProductFields | None:
        currency = self.currency.text().strip().upper() or "USD"
        price = parse_money_minor(self.price.text().strip() or "0", currency)
        if price is None:
            self.price.setFocus()
            self.say(f"The price {self.price.text().strip()!r} is not an amount in {currency}: write it like "
                     f"{format_money(1250, currency)} without the symbol, e.g. 12.50.")
            return None
        cost = parse_money_minor(self.cost.text().strip() or "0", currency)
        if cost is None:
            self.cost.setFocus()
            self.say(f"The cost {self.cost.text().strip()!r} is not an amount in {currency}: write it like 4.20.")
            return None
        text = {key: edit.text() for key, edit in self.texts.items()}
        number = {key: box.value() for key, box in self.numbers.items()}
        flag = {key: check.isChecked() for key, check in self.flags.items()}
        return ProductFields(
            sku=text["sku"], name=text["name"], description=text["description"], image_path=text["image_path"],
            hs_code=text["hs_code"], country_of_origin=text["country_of_origin"], unit_price_minor=price,
            currency=currency, weight_g=number["weight_g"], length_mm=number["length_mm"],
            width_mm=number["width_mm"], height_mm=number["height_mm"], reorder_point=number["reorder_point"],
            safety_stock=number["safety_stock"], lot_tracked=flag["lot_tracked"],
            serial_tracked=flag["serial_tracked"], hazmat=flag["hazmat"], fragile=flag["fragile"],
            supplier=text["supplier"], lead_time_days=number["lead_time_days"], cost_minor=cost)

    def value(self) -> object:
        fields = self.fields()
        if fields is None:
            return None
        if self.original is None:
            code = self.barcode.text().strip()
            return fields, [BarcodeSpec(code, self.pack.value())] if code else []
        changed = {f.name: getattr(fields, f.name) for f in dataclass_fields(ProductFields)
                   if _normal(getattr(fields, f.name)) != _normal(getattr(self.original, f.name))}
        if not changed:
            self.say("Nothing was changed: edit a field first, or cancel.")
            return None
        cleared: dict[str, Any] = {key: ("" if value is None else value) for key, value in changed.items()}
        return ProductChanges(**cleared)


def _normal(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


class BarcodeDialog(AskDialog):
    """Submits a ``BarcodeSpec``: the code scanned or typed, and the units one scan counts."""

    def __init__(self, sku: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Add a barcode to {sku}", "Add barcode", "Scan the barcode on the item (or on its case, "
                         "and say how many units the case holds).", parent)
        self.code = ScanField(self)
        self.code.setObjectName("barcodeCode")
        self.pack = QSpinBox(self)
        self.pack.setObjectName("barcodePack")
        self.pack.setRange(1, 100_000)
        self.form.addRow("Barcode", self.code)
        self.form.addRow("Units one scan counts", self.pack)
        self.resize(640, 300)
        self.code.setFocus()

    def value(self) -> object:
        code = self.code.text().strip()
        if not code:
            self.code.setFocus()
            self.say("Scan or type the barcode first.")
            return None
        return BarcodeSpec(code, self.pack.value())


class ComponentsDialog(AskDialog):
    """Submits ``[(SKU, units per kit)]``: the kit's components (none: a plain product)."""

    def __init__(self, sku: str, components: tuple[ComponentInfo, ...], parent: QWidget | None = None) -> None:
        super().__init__(f"Components of {sku}", "Save components", f"What one {sku} is made of: each component's "
                         "SKU and how many units of it one kit holds. Leave it empty to make it a plain product.",
                         parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("components")
        self.table.setHorizontalHeaderLabels(["Component SKU", "Units per kit"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the SKU takes the width, both headers show
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for component in components:
            self.add_line(component.sku, component.quantity)
        self.add_line()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)  # typing (or a scan) fills the new line's SKU
        self.table.setFocus()
        add, remove = QPushButton("Add line", self), QPushButton("Remove line", self)
        add.clicked.connect(lambda: self.add_line())
        remove.clicked.connect(self.remove_line)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        self.form.addRow(self.table)
        self.form.addRow(buttons)
        self.resize(640, 480)

    def add_line(self, sku: str = "", quantity: int = 1) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(sku))
        self.table.setItem(row, 1, QTableWidgetItem(str(quantity)))

    def remove_line(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def value(self) -> object:
        components: list[tuple[str, int]] = []
        for row in range(self.table.rowCount()):
            sku_item, quantity_item = self.table.item(row, 0), self.table.item(row, 1)
            sku = sku_item.text().strip() if sku_item is not None else ""
            quantity = quantity_item.text().strip() if quantity_item is not None else ""
            if not sku:
                continue
            if not quantity.isdigit() or int(quantity) < 1:
                self.say(f"Line {row + 1}: say how many units of {sku} one kit holds (a whole number, 1 or more).")
                return None
            components.append((sku, int(quantity)))
        return components
