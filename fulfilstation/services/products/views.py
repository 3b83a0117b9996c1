"""What the products area takes and gives: frozen values, safe to hand to any thread.

``ProductFields`` is a whole product as a person fills it in (create); ``ProductChanges``
names only what changes (edit: None keeps a field; for the optional texts — description,
image path, HS code, country, supplier — an empty string clears it). ``ProductRow`` is one line of a
list (cheap: what a table of 50,000 shows), ``ProductDetail`` everything about one product.
Money is minor units with its ISO currency, weights grams, sizes millimetres.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUS_FILTERS = ("active", "inactive", "all")
SORTS = ("sku", "name")


@dataclass(frozen=True)
class ProductFields:
    sku: str
    name: str
    description: str | None = None
    weight_g: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    serial_tracked: bool = False
    lot_tracked: bool = False
    hazmat: bool = False
    fragile: bool = False
    unit_price_minor: int = 0
    currency: str = "USD"
    image_path: str | None = None
    reorder_point: int = 0
    safety_stock: int = 0
    hs_code: str | None = None
    country_of_origin: str | None = None
    supplier: str | None = None  # who replenishment orders it from (None: not known)
    lead_time_days: int = 14  # days from ordering to arrival, 0..365
    cost_minor: int = 0  # what one unit costs us, minor units of ``currency``


@dataclass(frozen=True)
class ProductChanges:
    """Only the fields given (not None) change; ``sku`` renames the product."""

    sku: str | None = None
    name: str | None = None
    description: str | None = None
    weight_g: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    serial_tracked: bool | None = None
    lot_tracked: bool | None = None
    hazmat: bool | None = None
    fragile: bool | None = None
    unit_price_minor: int | None = None
    currency: str | None = None
    image_path: str | None = None
    reorder_point: int | None = None
    safety_stock: int | None = None
    hs_code: str | None = None
    country_of_origin: str | None = None
    supplier: str | None = None
    lead_time_days: int | None = None
    cost_minor: int | None = None

    def given(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class BarcodeSpec:
    """A barcode to add: ``code`` as scanned or typed, ``pack_quantity`` units per scan."""

    code: str
    pack_quantity: int = 1


@dataclass(frozen=True)
class BarcodeInfo:
    code: str  # as stored: a GTIN as 14 digits, an internal code as typed
    pack_quantity: int


@dataclass(frozen=True)
class ComponentInfo:
    sku: str
    name: str
    quantity: int  # units of the component in one kit
    active: bool
    available: int  # the component's own available units


@dataclass(frozen=True)
class KitUse:
    """A kit this product is a component of."""

    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class BinStock:
    bin: str
    kind: str
    lot: str
    expiry: str | None
    on_hand: int
    reserved: int


@dataclass(frozen=True)
class StockSummary:
    """``available`` follows ``availability.available_units`` (pickable and storage bins);
    ``on_hand``/``reserved`` are over every bin, ``elsewhere`` is on hand in bins that do
    not sell (receiving, returns, quarantine, damaged, staging). A kit holds no stock: its
    ``on_hand`` is what its components' units make, ``available`` what their available
    units make, and ``reserved`` the difference."""

    on_hand: int
    reserved: int
    available: int
    elsewhere: int


@dataclass(frozen=True)
class ProductRow:
    id: int
    sku: str
    name: str
    barcodes: tuple[str, ...]
    weight_g: int
    unit_price_minor: int
    currency: str
    on_hand: int
    available: int
    active: bool
    kit: bool

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "barcodes": list(self.barcodes), "weight_g": self.weight_g,
                "price_minor": self.unit_price_minor, "currency": self.currency, "on_hand": self.on_hand,
                "available": self.available, "active": self.active, "kit": self.kit}


@dataclass(frozen=True)
class ProductPage:
    rows: tuple[ProductRow, ...]
    total: int  # how many products match, beyond this page too
    offset: int
    exact_sku: str | None = None  # the one product whose barcode or SKU is exactly the search text


@dataclass(frozen=True)
class ProductDetail:
    fields: ProductFields
    active: bool
    barcodes: tuple[BarcodeInfo, ...]
    components: tuple[ComponentInfo, ...]
    part_of: tuple[KitUse, ...]
    stock: StockSummary
    bins: tuple[BinStock, ...] = field(default=())

    @property
    def sku(self) -> str:
        return self.fields.sku

    @property
    def name(self) -> str:
        return self.fields.name

    @property
    def kit(self) -> bool:
        return bool(self.components)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self.fields), "active": self.active, "kit": self.kit,
                "barcodes": [asdict(b) for b in self.barcodes],
                "components": [asdict(c) for c in self.components],
                "part_of": [asdict(k) for k in self.part_of], "stock": asdict(self.stock),
                "bins": [asdict(b) for b in self.bins]}
