"""Deciding, row by row, what an import does: insert, update, leave, or reject (and why).

Rules (on top of each parser's own):

* the SKU is the key: a SKU already on an earlier line of the file rejects the later row,
  naming the first line; an existing SKU is updated, a new one inserted;
* a SKU that differs from an existing product's (or an earlier line's) only in case
  (``tee-blu-l`` against ``TEE-BLU-L``) is rejected, naming it: SKUs are looked up ignoring
  case, so such a twin would make both impossible to find;
* a SKU that is another product's barcode (``036000291452``) is rejected, naming it: a scan
  of the SKU's label would find that product;
* a barcode on another product rejects the row, naming that product (SKU and name); a
  barcode on an earlier line of the file under another SKU likewise names that line;
* a price with more decimals than its currency has is rejected;
* kits: every component must be a product (already, or in this file), no component may be
  a kit, and a kit may not be a component of another kit;
* an existing product is *updated* only when a field, its barcodes or its components
  change; otherwise it counts as unchanged.

Pure planning over the loaded ``Catalogue``: nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fulfilstation.domain.money import minor_digits
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.imports import ImportProgress, RowProblem
from fulfilstation.services.product_files.catalogue import Catalogue, Known
from fulfilstation.services.product_files.rows import ProductRow

NEW_PRODUCT = {"description": None, "weight_g": 0, "length_mm": 0, "width_mm": 0, "height_mm": 0,
               "lot_tracked": False, "serial_tracked": False, "hazmat": False, "fragile": False, "reorder_point": 0,
               "safety_stock": 0, "hs_code": None, "country_of_origin": None, "image_path": None, "active": True,
               "unit_price_minor": 0}
MAX_PRICE_MINOR = 10**9
PROGRESS_EVERY = 500


class RowRejected(Exception):
    pass


@dataclass
class Step:
    """What happens to one accepted row's product."""

    row: ProductRow
    known: Known | None  # None: a new product
    values: dict[str, Any]  # every compared column, as it will be
    barcodes: dict[str, int] | None  # the product's barcodes as they will be (None: untouched)
    components: dict[str, int] | None  # as they will be (None: untouched)

    @property
    def changed(self) -> bool:
        if self.known is None:
            return True
        return (self.values != self.known.values
                or (self.barcodes is not None and self.barcodes != self.known.barcodes)
                or (self.components is not None and self.components != self.known.components))


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def plan(rows: tuple[ProductRow, ...], catalogue: Catalogue, progress: ImportProgress | None, total: int) -> Plan:
    result = Plan()
    lines: dict[str, int] = {}
    claimed: dict[str, tuple[str, int]] = {}  # barcode -> (SKU, line) claimed by an earlier row
    folded = {sku.casefold(): sku for sku in catalogue.by_sku}  # SKU ignoring case -> SKU in the catalogue
    for done, row in enumerate(rows, 1):
        try:
            step = _step(row, catalogue, lines, claimed, folded)
        except RowRejected as rejected:
            result.problems.append(RowProblem(row.line, str(rejected), row.sku))
        else:
            lines[row.sku] = row.line
            folded.setdefault(row.sku.casefold(), row.sku)
            for code in step.barcodes or {}:
                claimed.setdefault(code, (row.sku, row.line))
            result.steps.append(step)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(min(done, total - 1), total)
    _check_kits(result, catalogue)
    return result


def _step(row: ProductRow, catalogue: Catalogue, lines: dict[str, int],
          claimed: dict[str, tuple[str, int]], folded: dict[str, str]) -> Step:
    if row.sku in lines:
        raise RowRejected(f"SKU {row.sku} is already on line {lines[row.sku]} of this file; this row was not taken")
    twin = None if row.sku in catalogue.by_sku else folded.get(row.sku.casefold())
    if twin is not None and twin != row.sku:
        if twin in catalogue.by_sku:
            raise RowRejected(f"SKU {row.sku} differs from product {catalogue.describe(twin)} only in upper and "
                              f"lower case: write it as {twin} to update that product (SKUs are looked up "
                              "ignoring case, so both could not be found)")
        raise RowRejected(f"SKU {row.sku} differs from SKU {twin} on line {lines[twin]} of this file only in "
                          "upper and lower case: keep one of the two rows (SKUs are looked up ignoring case)")
    holder = catalogue.barcode_owner.get(_as_barcode(row.sku))
    if holder is not None and holder != row.sku:
        raise RowRejected(f"SKU {row.sku} is the barcode of product {catalogue.describe(holder)}: a scan of this "
                          "product's SKU label would find that product; choose another SKU")
    known = catalogue.by_sku.get(row.sku)
    values = dict(known.values) if known is not None else {**NEW_PRODUCT, "currency": catalogue.currency}
    values.update(row.fields)
    if row.price is not None:
        values["unit_price_minor"] = _minor(row.price, str(values["currency"]))
    return Step(row, known, values, _barcodes(row, known, catalogue, claimed), _components(row))


def _as_barcode(sku: str) -> str:
    """How ``sku`` would be stored as a barcode (a GTIN as 14 digits), to see whether a scan
    of it means another product."""
    try:
        return product_barcode_key(sku)
    except BarcodeInvalid:
        return sku


def _minor(price: Decimal, currency: str) -> int:
    digits = minor_digits(currency)
    minor = price.scaleb(digits)
    if minor != minor.to_integral_value():
        raise RowRejected(f"price {price} has more decimals than {currency} has ({digits})")
    if minor > MAX_PRICE_MINOR:
        raise RowRejected(f"price {price} {currency} is more than this catalogue allows")
    return int(minor)


def _barcodes(row: ProductRow, known: Known | None, catalogue: Catalogue,
              claimed: dict[str, tuple[str, int]]) -> dict[str, int] | None:
    if row.barcodes is None:
        return None
    for code, _pack in row.barcodes:
        owner = catalogue.barcode_owner.get(code)
        if owner is not None and owner != row.sku:
            raise RowRejected(f"barcode {code} is already product {catalogue.describe(owner)}'s: a barcode belongs "
                              "to one product; remove it there first or correct this row")
        first = claimed.get(code)
        if first is not None and first[0] != row.sku:
            raise RowRejected(f"barcode {code} is also on line {first[1]} ({first[0]}) of this file")
    current = dict(known.barcodes) if known is not None else {}
    return dict(row.barcodes) if row.barcodes_complete else {**current, **dict(row.barcodes)}


def _components(row: ProductRow) -> dict[str, int] | None:
    return None if row.components is None else dict(row.components)


def _check_kits(result: Plan, catalogue: Catalogue) -> None:
    """Reject kit rows whose components are missing or kits themselves, or whose kit is a
    component of a kit; rows are taken in file order, so an earlier row stands."""
    kits = {sku: dict(known.components) for sku, known in catalogue.by_sku.items() if known.components}
    skus = set(catalogue.by_sku) | {step.row.sku for step in result.steps}
    kept: list[Step] = []
    for step in result.steps:
        reason = _kit_problem(step, skus, kits, catalogue) if step.components else None
        if reason is not None:
            result.problems.append(RowProblem(step.row.line, reason, step.row.sku))
            continue
        if step.components is not None:
            kits[step.row.sku] = step.components
        kept.append(step)
    result.steps = kept


def _kit_problem(step: Step, skus: set[str], kits: dict[str, dict[str, int]], catalogue: Catalogue) -> str | None:
    for component in step.components or {}:
        if component not in skus:
            return f"component {component} is not a product: add it first (or in this file), then the kit"
        if kits.get(component):
            return f"component {catalogue.describe(component)} is a kit itself; a kit's components are products"
    user = next((kit for kit, parts in kits.items() if step.row.sku in parts and kit != step.row.sku), None)
    if user is not None:
        return f"{step.row.sku} is a component of kit {user}, so it cannot be a kit itself"
    return None
