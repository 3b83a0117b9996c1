"""Shopify's product export as it really comes, read into ``ProductRow``s (one per variant).

The shape of the file (Shopify Help, "Using CSV files to import and export products"):

* one row per variant, grouped by ``Handle`` (``URL handle`` in the 2025 export); the
  product's own fields (``Title``, ``Body (HTML)``/``Description``, ``Status``, the option
  names) are on its first row only, later rows carry the variant's fields;
* rows with a Handle and only image columns (``Image Src``, ``Image Position``, ``Image Alt
  Text``) are the product's further images, not products: they are skipped, not counted;
* a variant's name is the Title plus its option values (``T-shirt — Blue / L``), or the
  Title alone when its only option is ``Default Title``;
* ``Variant Grams`` (``Weight value (grams)``) is the weight in grams, always; ``Variant
  Weight Unit`` is only how the shop *shows* it, so grams stay authoritative;
* ``Variant Barcode`` may be blank (no barcode: fine) or not a valid GTIN: the variant is
  imported without it and the line gets a warning (Excel's damage — ``6.14141E+11``, a
  UPC-A with its leading zero dropped — is named as such);
* ``Variant SKU`` is the key: a variant without one is rejected;
* ``Status`` archived → inactive; active and draft → active;
* inventory quantities, prices per market, SEO and Google Shopping columns are ignored
  (stock comes in by receiving and counts, never by a catalogue import).

Both the classic headers (``Variant SKU``) and the 2025 ones (``SKU``) are read, matched
without regard to case. Pure: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fulfilstation.domain.product_fields import FieldInvalid, check_country, check_hs_code, check_name, check_sku
from fulfilstation.domain.units import to_grams
from fulfilstation.imports import CsvRow, CsvTable, RowProblem
from fulfilstation.services.product_files.rows import ParsedFile, ProductFileFormat, ProductRow
from fulfilstation.services.product_files.values import Cell, CellInvalid, read_barcode, read_decimal

HANDLE = ("Handle", "URL handle")
TITLE = ("Title",)
BODY = ("Body (HTML)", "Description")
SKU = ("Variant SKU", "SKU")
GRAMS = ("Variant Grams", "Weight value (grams)")
WEIGHT_UNIT = ("Variant Weight Unit", "Weight unit for display")
PRICE = ("Variant Price", "Price")
BARCODE = ("Variant Barcode", "Barcode")
IMAGE = ("Image Src", "Product image URL")
VARIANT_IMAGE = ("Variant Image", "Variant image URL")
STATUS = ("Status",)
HS_CODE = ("Variant HS Code", "HS Code", "Harmonized System Code")
COUNTRY = ("Variant Country of Origin", "Country of Origin", "Country/Region of origin")
#: A row with none of these filled is not a variant (an image row, or an empty one).
VARIANT_COLUMNS = (*SKU, *GRAMS, *PRICE, *BARCODE, "Option1 Value", "Variant Inventory Qty", "Inventory quantity",
                   "Variant Compare At Price", "Compare-at price")
WEIGHT_UNITS = ("g", "kg", "lb", "oz")
NO_OPTION = "default title"


class _Columns:
    """The file's columns, found once."""

    def __init__(self, headers: tuple[str, ...]) -> None:
        def cell(*names: str) -> Cell:
            return Cell(headers, *names)

        self.handle, self.title, self.body, self.sku = cell(*HANDLE), cell(*TITLE), cell(*BODY), cell(*SKU)
        self.grams, self.unit, self.price = cell(*GRAMS), cell(*WEIGHT_UNIT), cell(*PRICE)
        self.barcode, self.image, self.variant_image = cell(*BARCODE), cell(*IMAGE), cell(*VARIANT_IMAGE)
        self.status, self.hs_code, self.country = cell(*STATUS), cell(*HS_CODE), cell(*COUNTRY)
        self.options = tuple(cell(f"Option{number} Value") for number in (1, 2, 3))
        self.variant = Cell(headers, *VARIANT_COLUMNS)


def is_shopify(table: CsvTable) -> bool:
    return any(table.has_column(name) for name in HANDLE)


@dataclass
class _Product:
    """A Handle's product-level fields, from its first row."""

    line: int
    title: str
    body: str
    status: str
    image: str
    problem: str = ""  # why none of its variants can go in


def parse(table: CsvTable) -> ParsedFile:
    columns = _Columns(table.headers)
    products: dict[str, _Product] = {}
    rows: list[ProductRow] = []
    problems: list[RowProblem] = []
    for row in table.rows:
        handle = columns.handle(row)
        if handle and handle not in products:
            products[handle] = _product(row, columns)
        elif handle and not products[handle].image:
            products[handle].image = columns.image(row)
        if not columns.variant(row):
            continue  # an image row: the product's further pictures
        if row.width_problem:
            problems.append(RowProblem(row.line, f"the line {row.width_problem}: a value holds the delimiter "
                                       "without quotes, so its columns cannot be trusted", columns.sku(row)))
            continue
        try:
            parsed = _variant(row, columns, products.get(handle) if handle else None)
        except _Rejected as rejected:
            problems.append(RowProblem(row.line, str(rejected), rejected.key))
            continue
        rows.append(parsed)
        problems += [RowProblem(row.line, warning, parsed.sku, rejects=False) for warning in parsed.warnings]
    return ParsedFile(ProductFileFormat.SHOPIFY, tuple(rows), tuple(problems), lines=len(table.rows))


class _Rejected(Exception):
    def __init__(self, reason: str, key: str = "") -> None:
        super().__init__(reason)
        self.key = key


def _product(row: CsvRow, columns: _Columns) -> _Product:
    title = columns.title(row)
    found = _Product(row.line, title, columns.body(row), columns.status(row).casefold(), columns.image(row))
    if not title:
        found.problem = f"product {columns.handle(row)} has no Title on its first row (line {row.line})"
    return found


def _variant(row: CsvRow, columns: _Columns, product: _Product | None) -> ProductRow:
    sku_text = columns.sku(row)
    if product is None:
        raise _Rejected("the row has no Handle, so it belongs to no product", sku_text)
    if not sku_text:
        raise _Rejected(f"the variant of {columns.handle(row)} has no SKU (Variant SKU is blank); the SKU is how "
                        "products are matched: give the variant one in Shopify and export again")
    try:
        sku = check_sku(sku_text)
    except FieldInvalid as invalid:
        raise _Rejected(str(invalid), sku_text) from None
    if product.problem:
        raise _Rejected(product.problem, sku)
    try:
        name = check_name(_name(row, columns, product.title))
    except FieldInvalid as invalid:
        raise _Rejected(str(invalid), sku) from None
    fields: dict[str, Any] = {"name": name}
    if product.body:
        fields["description"] = product.body
    warnings: list[str] = []
    try:
        _numbers(row, columns, fields, warnings)
        price = read_decimal(columns.price(row), "the price") if columns.price(row) else None
    except CellInvalid as invalid:
        raise _Rejected(str(invalid), sku) from None
    barcodes = _barcode(columns.barcode(row), warnings)
    _customs(row, columns, fields, warnings)
    image = columns.variant_image(row) or product.image
    if image:
        fields["image_path"] = image[:500]
    if product.status:
        fields["active"] = product.status != "archived"
    return ProductRow(row.line, sku, fields, price, barcodes, False, None, tuple(warnings))


def _name(row: CsvRow, columns: _Columns, title: str) -> str:
    shown = [value for value in (option(row) for option in columns.options) if value]
    if not shown or (len(shown) == 1 and shown[0].casefold() == NO_OPTION):
        return title
    return f"{title} — {' / '.join(shown)}"


def _numbers(row: CsvRow, columns: _Columns, fields: dict[str, Any], warnings: list[str]) -> None:
    grams = columns.grams(row)
    if grams:
        fields["weight_g"] = to_grams(read_decimal(grams, "the weight in grams"), "g")
    unit = columns.unit(row)
    if unit and unit.casefold() not in WEIGHT_UNITS:
        warnings.append(f"weight unit {unit!r} is not g, kg, lb or oz; the weight in grams was used")


def _barcode(code: str, warnings: list[str]) -> tuple[tuple[str, int], ...] | None:
    if not code:
        return None
    try:
        return ((read_barcode(code), 1),)
    except CellInvalid as invalid:
        warnings.append(f"imported without its barcode: {invalid}")
        return None


def _customs(row: CsvRow, columns: _Columns, fields: dict[str, Any], warnings: list[str]) -> None:
    for cell, check, key in ((columns.hs_code, check_hs_code, "hs_code"),
                             (columns.country, check_country, "country_of_origin")):
        text = cell(row)
        if not text:
            continue
        try:
            fields[key] = check(text)
        except FieldInvalid as invalid:
            warnings.append(f"{invalid}; it was left as it was")
