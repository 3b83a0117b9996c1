"""The values the replenishment area returns (frozen: they cross threads to the window).

``ReorderRow``: one product on the reorder report; ``ReorderReport``: the rows and the
settings they were made with; ``PurchaseOrdersMade``: the POs one "create purchase
orders" made (one per supplier) and the rows it left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fulfilstation.services.refused import Refused

HISTORY_DAYS = 120  # the shipped history the forecast reads
REVIEW_DAYS = 7  # how often the report is looked at: stock must last lead time + this
UNKNOWN_SUPPLIER = "Unknown supplier"  # the PO of products with no supplier recorded


@dataclass(frozen=True)
class ReorderRow:
    """A product at or below its reorder point (available + on order ≤ reorder point +
    safety stock), or whose forecast runs it out within its lead time.

    ``suggested`` = max(0, forecast demand over lead time + review period + safety stock −
    position, reorder point + safety stock − position), where position = available + on order.
    """

    sku: str
    name: str
    supplier: str | None
    available: int
    on_order: int
    reorder_point: int
    safety_stock: int
    lead_time_days: int
    forecast_per_day: float
    demand: int  # forecast units over lead time + review period
    method: str  # the forecasting method used, in words
    suggested: int
    below_reorder_point: bool  # else: listed because the forecast runs it out within its lead time

    @property
    def position(self) -> int:
        return self.available + self.on_order

    @property
    def why(self) -> str:
        return "at or below reorder point" if self.below_reorder_point else "runs out within lead time"

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "supplier": self.supplier, "available": self.available,
                "on_order": self.on_order, "reorder_point": self.reorder_point, "safety_stock": self.safety_stock,
                "lead_time_days": self.lead_time_days, "forecast_per_day": round(self.forecast_per_day, 2),
                "demand": self.demand, "method": self.method, "suggested": self.suggested, "why": self.why}


@dataclass(frozen=True)
class ReorderReport:
    rows: tuple[ReorderRow, ...]
    today: dt.date
    history_days: int
    review_days: int

    def row(self, sku: str) -> ReorderRow | None:
        return next((row for row in self.rows if row.sku.lower() == sku.strip().lower()), None)


@dataclass(frozen=True)
class PurchaseOrderMade:
    number: str
    supplier: str
    lines: int
    units: int


@dataclass(frozen=True)
class PurchaseOrdersMade:
    orders: tuple[PurchaseOrderMade, ...]
    skipped: tuple[str, ...]  # SKUs asked for that had nothing suggested (or are not on the report)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(order.number for order in self.orders)


class ReplenishmentRefused(Refused):
    """Codes: ``nothing-to-order`` (no selected row suggests a quantity), ``cannot-write``
    (the CSV file's folder); a receiving refusal of a PO passes through as it is."""
