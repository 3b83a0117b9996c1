"""The inventory and returns report as the screen, CSV and the daily PDF receive it
(``InventoryReport``, a ``ReportSection``): accuracy from cycle counts, ABC class sizes,
stock-outs and backorders, return rate and reasons by product, return processing time.

Invariants: money is shown in the site currency's major units as ``Decimal`` (never float);
a rate with nothing to divide by is ``None`` (shown empty), never 0. Every figure comes from
``inventory_queries``; this module only lays them out.

Threading: immutable values; pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fulfilstation.domain.money import minor_digits
from fulfilstation.domain.words import plural
from fulfilstation.services.counts.views import AbcShare, Accuracy
from fulfilstation.services.reports.period import Period
from fulfilstation.services.reports.tables import ReportChart, ReportTable
from fulfilstation.services.returns.views import ReasonCount

TITLE = "Inventory and returns"


def major(minor: int, currency: str) -> Decimal:
    """Minor units as the currency's major units (``1250`` USD → ``Decimal("12.50")``)."""
    return Decimal(minor).scaleb(-minor_digits(currency))


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class AccuracyDay:
    """The counts completed on one of the site's days."""

    day: dt.date
    counts: int
    lines_counted: int
    lines_exact: int

    @property
    def percent(self) -> float | None:
        return percent(self.lines_exact, self.lines_counted)


@dataclass(frozen=True)
class StockOut:
    """A product with no available units while pending orders want it (now)."""

    sku: str
    name: str
    available: int
    orders: int  # pending orders with a line for it
    units_wanted: int
    backorders: int  # of those orders, backorders


@dataclass(frozen=True)
class OpenBackorder:
    number: str
    ordered: dt.date  # the site's day the order came in
    ship_by: dt.date | None
    units: int
    skus: str


@dataclass(frozen=True)
class ReturnRate:
    sku: str
    name: str
    units_shipped: int
    units_returned: int

    @property
    def rate_percent(self) -> float | None:
        return percent(self.units_returned, self.units_shipped)


@dataclass(frozen=True)
class ProductReason:
    sku: str
    name: str
    reason: str  # code
    words: str
    units: int


@dataclass(frozen=True)
class ProcessingTime:
    """RMAs processed (every received unit graded) in the period: received → processed, hours."""

    rmas: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class InventoryReport:
    period: Period
    currency: str
    accuracy: Accuracy
    accuracy_by_day: tuple[AccuracyDay, ...]
    abc_window: str  # what the shipped value of the ABC table covers
    abc: tuple[AbcShare, ...]
    stock_outs: tuple[StockOut, ...]
    open_backorders: tuple[OpenBackorder, ...]
    backordered: int  # orders that went to backorder in the period
    split_remainders: int  # remainders of split orders created in the period (waiting as backorders)
    return_rates: tuple[ReturnRate, ...]
    product_reasons: tuple[ProductReason, ...]
    reasons: tuple[ReasonCount, ...]
    processing: ProcessingTime
    other_currency_orders: int = 0  # shipped in the period in another currency: not in the ABC values
    variance_currencies: tuple[str, ...] = ()  # of the products the period's counts counted

    @property
    def title(self) -> str:
        return TITLE

    @property
    def variance_in_currency(self) -> bool:
        """Whether the counts' value variance is in the site's currency (else it is not shown)."""
        return all(code == self.currency for code in self.variance_currencies)

    def tables(self) -> list[ReportTable]:
        cur = self.currency
        a = self.accuracy
        tables = [
            ReportTable("Inventory accuracy", ("Counts", "Lines counted", "Lines exact", "Accuracy %",
                                               "Units variance", f"Value variance ({cur})"),
                        ((a.counts, a.lines_counted, a.lines_exact, a.percent, a.units_variance,
                          major(a.value_variance_minor, cur) if self.variance_in_currency else None),),
                        note="Cycle counts completed in the period: lines whose count matched the system's figure "
                             "over lines counted, as each count recorded it when completed."
                             + ("" if self.variance_in_currency else
                                f" Value variance not shown: the counted products are priced in "
                                f"{', '.join(self.variance_currencies)}, not {cur}.")),
            ReportTable("Inventory accuracy by day", ("Day", "Counts", "Lines counted", "Lines exact", "Accuracy %"),
                        tuple((d.day, d.counts, d.lines_counted, d.lines_exact, d.percent)
                              for d in self.accuracy_by_day)),
            ReportTable("ABC classes", ("Class", "Products", f"Shipped value ({cur})", "Share %"),
                        tuple((s.abc_class, s.products, major(s.shipped_value_minor, cur), s.share_percent)
                              for s in self.abc),
                        note=f"Active products by their stored class (never classified: C); shipped value "
                             f"{self.abc_window}: units shipped × the order line's price."
                             + (f" {plural(self.other_currency_orders, 'shipped order')} in another currency than "
                                f"{cur} left out of the values." if self.other_currency_orders else "")),
            ReportTable("Stock-outs and backorders", ("Figure", "Value"), (
                ("Products out of stock with orders waiting (now)", len(self.stock_outs)),
                ("Backorders open (now)", len(self.open_backorders)),
                ("Orders that went to backorder in the period", self.backordered),
                ("Remainders of split orders created in the period", self.split_remainders)),
                note="Went to backorder: orders marked backorder when their stock could not be reserved "
                     "(recorded as order.backordered)."),
            ReportTable("Stock-outs now", ("SKU", "Product", "Available", "Orders waiting", "Units wanted",
                                           "Backorders"),
                        tuple((s.sku, s.name, s.available, s.orders, s.units_wanted, s.backorders)
                              for s in self.stock_outs),
                        note="Products (kits: by their components) with no available unit in pickable and "
                             "storage bins while pending orders want them."),
            ReportTable("Backorders open now", ("Order", "Ordered", "Ship by", "Units", "SKUs"),
                        tuple((b.number, b.ordered, b.ship_by, b.units, b.skus) for b in self.open_backorders)),
            ReportTable("Return rate by product", ("SKU", "Product", "Units shipped", "Units returned",
                                                   "Return rate %"),
                        tuple((r.sku, r.name, r.units_shipped, r.units_returned, r.rate_percent)
                              for r in self.return_rates),
                        note="Units returned on RMAs created in the period (a closed RMA: what came back; a waiting "
                             "one: what is authorised; cancelled: none) over units shipped in the period."),
            ReportTable("Return reasons by product", ("SKU", "Product", "Reason", "Units"),
                        tuple((r.sku, r.name, r.words, r.units) for r in self.product_reasons)),
            ReportTable("Return reasons", ("Reason", "Units", "RMAs"),
                        tuple((r.words, r.units, r.rmas) for r in self.reasons)),
            ReportTable("Return processing time", ("RMAs processed", "Median hours", "p90 hours"),
                        ((self.processing.rmas, self.processing.median_hours, self.processing.p90_hours),),
                        note="From an RMA's receipt to its last unit graded, for RMAs processed in the period; "
                             "the median, and p90 by nearest rank (one of the values)."),
        ]
        return tables

    def charts(self) -> list[ReportChart]:
        return [
            ReportChart("Inventory accuracy by day", "bar", tuple(d.day.isoformat() for d in self.accuracy_by_day),
                        (("Accuracy", tuple(d.percent for d in self.accuracy_by_day)),), unit="%"),
            ReportChart("Return reasons", "bar", tuple(r.words for r in self.reasons),
                        (("Units", tuple(float(r.units) for r in self.reasons)),), unit="units"),
        ]
