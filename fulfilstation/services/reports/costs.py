"""The costs report: what each shipped order cost to send — label + box + packing labour — by
carrier, service and channel, and the label cost against the shipping the customer paid.

Invariants:

* An order counts in the period of the site-local day of its first non-voided shipment
  (``shipments.created_at``; a voided shipment never counts, its label was refunded). Its
  carrier and service are that first shipment's.
* Label cost = the order's non-voided shipments' ``cost_minor``; box cost = the box type's
  ``cost_minor`` of each package of those shipments (a package without a box type: 0);
  labour = the order's ended pack sessions' time (``ended_at − started_at``, completed or
  cancelled: the time was spent) × ``labour_rate_minor`` per hour, rounded half up to whole
  minor units per order. Total = the three. A rate of 0 (not set) counts no labour, and the
  note says so (``LABOUR_NOT_COUNTED``).
* Money stays integer minor units until shown (``Decimal`` major units). An order whose own
  currency, label currency or box currency is not the site's ``currency`` is left out of every
  sum and counted (``other_currency``).
* Label against charged: only orders whose shop or file said what shipping cost the customer
  (``orders.shipping_charged_minor`` not NULL); the list names every order whose label cost more.

Cost: three statements — the period's orders with their first shipment and their labels (window
functions over their live shipments), then their boxes and their pack time, each grouped by order —
one row per order each, read as Core rows with numbers the database computed (the shipped instant in
epoch seconds, the pack time in whole milliseconds); the sums per carrier, service and channel in one
pass in Python.
Threading: blocking; read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import (
    BoxType,
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    Package,
    PackSession,
    Shipment,
)
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.money import minor_digits
from fulfilstation.services.reports.durations import epoch_seconds, total_whole_ms, whole_ms
from fulfilstation.services.reports.period import Period
from fulfilstation.services.reports.tables import Cell, ReportChart, ReportTable

#: The note's words when the site's labour rate is 0 (not set): labour counts nothing.
LABOUR_NOT_COUNTED = "Labour not counted: set the labour rate in Site settings → Reports"
LISTED = 1000  # orders listed where the label cost more (all of them: ``label_cost_more``, ``order_table``)


def labour_minor(seconds: float, rate_minor_per_hour: int) -> int:
    """Packing labour of ``seconds`` (whole milliseconds counted) at the hourly rate, rounded
    half up to whole minor units."""
    return labour_minor_of_ms(round(whole_ms(seconds) * 1000), rate_minor_per_hour)


def labour_minor_of_ms(milliseconds: int, rate_minor_per_hour: int) -> int:
    """``labour_minor`` of whole milliseconds, in integers: ``⌊(2 × ms × rate + 3,600,000) / 7,200,000⌋``."""
    return (2 * milliseconds * rate_minor_per_hour + 3_600_000) // 7_200_000


class OrderCost(NamedTuple):
    """One shipped order's cost (a named tuple: a month is 100,000 of them)."""

    order_id: int
    number: str
    channel: str
    carrier: str
    service: str
    shipped_on: dt.date  # site-local day of its first non-voided shipment
    packages: int
    pack_minutes: float
    label_minor: int
    box_minor: int
    labour_minor: int
    shipping_charged_minor: int | None

    @property
    def total_minor(self) -> int:
        return self.label_minor + self.box_minor + self.labour_minor

    @property
    def label_over_charged_minor(self) -> int | None:
        """How much more the label cost than the customer paid for shipping (None: not known)."""
        if self.shipping_charged_minor is None:
            return None
        return self.label_minor - self.shipping_charged_minor


@dataclass(frozen=True)
class CostGroup:
    name: str
    orders: int
    label_minor: int
    box_minor: int
    labour_minor: int

    @property
    def total_minor(self) -> int:
        return self.label_minor + self.box_minor + self.labour_minor


@dataclass(frozen=True)
class CostsReport:
    period: Period
    currency: str
    labour_rate_minor: int
    orders: tuple[OrderCost, ...]  # in the site currency, by shipped day then number
    other_currency: int  # shipped orders left out: not in the site currency

    @property
    def title(self) -> str:
        return "Costs"

    def money(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-minor_digits(self.currency))

    def average(self, minor: int, count: int) -> Decimal | None:
        """``minor / count`` in major units, rounded half up to the currency's minor unit."""
        if not count:
            return None
        quantum = Decimal(1).scaleb(-minor_digits(self.currency))
        return (self.money(minor) / count).quantize(quantum, rounding=ROUND_HALF_UP)

    @cached_property
    def _grouped(self) -> dict[str, tuple[CostGroup, ...]]:
        """The sums by carrier, service, channel and in all, in one pass over the orders."""
        sums: dict[str, dict[str, list[int]]] = {"carrier": {}, "service": {}, "channel": {}, "total": {}}
        for order in self.orders:
            for kind, name in (("carrier", order.carrier), ("service", f"{order.carrier} · {order.service}"),
                               ("channel", order.channel), ("total", "All orders")):
                found = sums[kind].get(name)
                if found is None:
                    found = sums[kind][name] = [0, 0, 0, 0]
                found[0] += 1
                found[1] += order.label_minor
                found[2] += order.box_minor
                found[3] += order.labour_minor
        return {kind: tuple(CostGroup(name, *values) for name, values in sorted(by_name.items()))
                for kind, by_name in sums.items()}

    @cached_property
    def total(self) -> CostGroup:
        return (self._grouped["total"] or (CostGroup("All orders", 0, 0, 0, 0),))[0]

    @cached_property
    def by_carrier(self) -> tuple[CostGroup, ...]:
        return self._grouped["carrier"]

    @cached_property
    def by_service(self) -> tuple[CostGroup, ...]:
        return self._grouped["service"]

    @cached_property
    def by_channel(self) -> tuple[CostGroup, ...]:
        return self._grouped["channel"]

    @cached_property
    def compared(self) -> tuple[OrderCost, ...]:
        """The orders whose shipping charged is known."""
        return tuple(o for o in self.orders if o.shipping_charged_minor is not None)

    @cached_property
    def label_cost_more(self) -> tuple[OrderCost, ...]:
        """Orders whose label cost more than the customer paid for shipping, the largest gap first."""
        over = [o for o in self.compared if (o.label_over_charged_minor or 0) > 0]
        return tuple(sorted(over, key=lambda o: (-(o.label_over_charged_minor or 0), o.number)))

    def _group_table(self, title: str, heading: str, groups: tuple[CostGroup, ...], note: str = "") -> ReportTable:
        rows: list[tuple[Cell, ...]] = []
        for group in (*groups, self.total):
            rows.append((group.name, group.orders, self.money(group.label_minor), self.money(group.box_minor),
                         self.money(group.labour_minor), self.money(group.total_minor),
                         self.average(group.total_minor, group.orders)))
        return ReportTable(title, (heading, "Orders", f"Label ({self.currency})", f"Box ({self.currency})",
                                   f"Labour ({self.currency})", f"Total ({self.currency})",
                                   f"Per order ({self.currency})"), tuple(rows), note=note)

    def tables(self) -> list[ReportTable]:
        rate = self.money(self.labour_rate_minor)
        left_out = (f" {self.other_currency} shipped orders in another currency than {self.currency} are left out."
                    if self.other_currency else "")
        labour = (f"labour = its pack sessions' time × {rate} {self.currency} per hour, rounded half up per order."
                  if self.labour_rate_minor else f"{LABOUR_NOT_COUNTED}.")
        note = (f"Per order shipped in the period (the site's day of its first shipment not voided): label = its "
                f"shipments not voided; box = each package's box cost; {labour}{left_out}")
        compared = self.compared
        label, charged = sum(o.label_minor for o in compared), sum(o.shipping_charged_minor or 0 for o in compared)
        versus = ReportTable(
            "Label cost vs shipping charged", ("Orders", f"Label ({self.currency})", f"Charged ({self.currency})",
                                               f"Label − charged ({self.currency})", "Label cost more"),
            ((len(compared), self.money(label), self.money(charged), self.money(label - charged),
              len(self.label_cost_more)),),
            note=(f"Orders whose shop or file said what the customer paid for shipping; "
                  f"{len(self.orders) - len(compared)} shipped orders did not say."))
        listed = self.label_cost_more[:LISTED]
        over = ReportTable(
            "Orders where the label cost more than the customer paid", (
                "Order", "Shipped", "Carrier", "Service", "Channel", f"Label ({self.currency})",
                f"Charged ({self.currency})", f"Difference ({self.currency})"),
            tuple((o.number, o.shipped_on, o.carrier, o.service, o.channel, self.money(o.label_minor),
                   self.money(o.shipping_charged_minor or 0), self.money(o.label_over_charged_minor or 0))
                  for o in listed),
            note=(f"The {LISTED:,} largest of {len(self.label_cost_more):,} (every order: the per-order table)."
                  if len(self.label_cost_more) > LISTED else "Largest difference first."))
        return [self._group_table("Costs by carrier", "Carrier", self.by_carrier, note),
                self._group_table("Costs by service", "Service", self.by_service),
                self._group_table("Costs by channel", "Channel", self.by_channel),
                versus, over]

    def order_table(self) -> ReportTable:
        """Every order's cost, one row each (for the CSV export and a drill-down; not in ``tables()``:
        a month is 100,000 rows)."""
        return ReportTable(
            "Cost per order", ("Order", "Shipped", "Carrier", "Service", "Channel", "Packages", "Packing minutes",
                               f"Label ({self.currency})", f"Box ({self.currency})", f"Labour ({self.currency})",
                               f"Total ({self.currency})", f"Charged ({self.currency})"),
            tuple((o.number, o.shipped_on, o.carrier, o.service, o.channel, o.packages, o.pack_minutes,
                   self.money(o.label_minor), self.money(o.box_minor), self.money(o.labour_minor),
                   self.money(o.total_minor),
                   None if o.shipping_charged_minor is None else self.money(o.shipping_charged_minor))
                  for o in self.orders))

    def csv_tables(self) -> list[ReportTable]:
        """What a CSV export of this report holds: its tables and then every order's row."""
        return [*self.tables(), self.order_table()]

    def charts(self) -> list[ReportChart]:
        groups = self.by_carrier

        def part(minor: Callable[[CostGroup], int]) -> tuple[float | None, ...]:
            return tuple(float(self.average(minor(g), g.orders) or 0) for g in groups)

        return [ReportChart("Cost per order by carrier", "bar", tuple(g.name for g in groups),
                            (("Label", part(lambda g: g.label_minor)), ("Box", part(lambda g: g.box_minor)),
                             ("Labour", part(lambda g: g.labour_minor))), unit=self.currency)]


def costs_report(session: Session, period: Period, currency: str, labour_rate_minor: int) -> CostsReport:
    dialect = session.get_bind().dialect.name
    live = Shipment.status != ShipmentStatus.VOIDED.value
    touched = (select(Shipment.order_id).where(live, Shipment.created_at >= period.start_utc,
                                               Shipment.created_at < period.end_utc))
    by_order = Shipment.order_id
    ranked = (select(Shipment.order_id, Shipment.created_at, Shipment.carrier_account_id, Shipment.service_id,
                     func.row_number().over(partition_by=by_order,
                                            order_by=(Shipment.created_at, Shipment.id)).label("n"),
                     func.sum(Shipment.cost_minor).over(partition_by=by_order).label("label"),
                     func.min(Shipment.currency).over(partition_by=by_order).label("low"),
                     func.max(Shipment.currency).over(partition_by=by_order).label("high"))
              .where(live, Shipment.order_id.in_(touched)).subquery())
    connection = session.connection()  # Core rows: no ORM result processing for 100,000 of them
    first = connection.execute(
        select(Order.id, Order.number, Order.channel, Order.currency, Order.shipping_charged_minor,
               epoch_seconds(ranked.c.created_at, dialect).label("shipped_at"), Carrier.name.label("carrier"),
               CarrierService.name.label("service"),
               ranked.c.label, ranked.c.low, ranked.c.high)
        .select_from(ranked).join(Order, Order.id == ranked.c.order_id)
        .join(CarrierAccount, CarrierAccount.id == ranked.c.carrier_account_id)
        .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
        .join(CarrierService, CarrierService.id == ranked.c.service_id)
        .where(ranked.c.n == 1, ranked.c.created_at >= period.start_utc, ranked.c.created_at < period.end_utc)).all()
    # Each part on its own grouped query, joined here by order id: a join of grouped sub-selects
    # planned on stale statistics (just after a bulk import) can loop over one per row of another.
    boxes = {order_id: (packages, box, low, high) for order_id, packages, box, low, high in connection.execute(
        select(Shipment.order_id, func.count(Package.id).label("packages"),
               func.coalesce(func.sum(BoxType.cost_minor), 0).label("box"),
               func.min(BoxType.currency).label("low"), func.max(BoxType.currency).label("high"))
        .join(Shipment, Shipment.id == Package.shipment_id).outerjoin(BoxType, BoxType.id == Package.box_type_id)
        .where(live, Shipment.order_id.in_(touched)).group_by(Shipment.order_id)).all()}
    labour: dict[int, float] = {order_id: ms for order_id, ms in connection.execute(
        select(PackSession.order_id, total_whole_ms(PackSession.started_at, PackSession.ended_at, dialect))
        .where(PackSession.ended_at.is_not(None), PackSession.order_id.in_(touched))
        .group_by(PackSession.order_id)).all()}
    orders: list[OrderCost] = []
    other = 0
    day_of = period.day_of_epoch()
    for order_id, number, channel, order_currency, charged, shipped_at, carrier, service, label_minor, label_low, \
            label_high in first:
        packages, box_minor, box_low, box_high = boxes.get(order_id, (0, 0, None, None))
        if not (order_currency == label_low == label_high == currency and box_low in (None, currency)
                and box_high in (None, currency)):
            other += 1
            continue
        milliseconds = int(labour.get(order_id) or 0)  # whole ms, rounded by the database
        orders.append(OrderCost(int(order_id), number, channel, carrier, service, day_of(shipped_at),
                                int(packages), milliseconds / 60_000, int(label_minor or 0), int(box_minor),
                                labour_minor_of_ms(milliseconds, labour_rate_minor), charged))
    orders.sort(key=lambda o: (o.shipped_on, o.number))
    return CostsReport(period, currency, labour_rate_minor, tuple(orders), other)
