"""A hand-made history for the inventory and returns report, written row by row at chosen
instants (not through the packing, returns and counts flows: those stamp the real clock).

``seed_history`` writes the history the report tests compute their expectations from; the
figures it leads to are worked out in its docstring, for the site's zone America/Chicago
(UTC−6 in November) and its day 2026-11-10, which runs from 06:00 UTC on the 10th to
06:00 UTC on the 11th.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Bin,
    CarrierAccount,
    CarrierService,
    CycleCount,
    CycleCountLine,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Rma,
    RmaLine,
    Shipment,
)

MUG, PEN, TEA = "MUG-CER-350", "PEN-FTN-NAV", "TEA-EARL-100"
OUT = "OUT-OF-STOCK-1"  # a product with no stock at all
DAY = dt.date(2026, 11, 10)
ZONE = "America/Chicago"

_numbers = itertools.count(1)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant of November 2026, UTC."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


@dataclass(frozen=True)
class History:
    backorder: str  # the open backorder of OUT
    waiting: str  # the pending order of OUT that is not a backorder
    remainder: str  # the split remainder (a backorder of PEN)


def product_id(database: Database, sku: str) -> int:
    with database.unit_of_work() as session:
        return int(session.scalars(select(Product.id).where(Product.sku == sku)).one())


def order(database: Database, lines: list[tuple[str, int, int]], *, status: str, at: dt.datetime,
          backorder: bool = False, ship_by: dt.date | None = None, split_from: str | None = None) -> str:
    """An order of ``(sku, units, unit price)`` lines; its number."""
    number = f"INV-{next(_numbers):04d}"
    with database.unit_of_work() as session:
        parent = session.scalars(select(Order.id).where(Order.number == split_from)).one() if split_from else None
        row = Order(channel="test", external_id=number, number=number, status=status, ship_to_name="Ada",
                    ship_to_line1="1 Main St", ship_to_city="Springfield", ship_to_region="IL",
                    ship_to_postal_code="62704", ship_to_country="US", backorder=backorder, ship_by=ship_by,
                    ordered_at=at, created_at=at, updated_at=at, split_from_id=parent)
        session.add(row)
        session.flush()
        for line_no, (sku, units, price) in enumerate(lines, start=1):
            pid = session.scalars(select(Product.id).where(Product.sku == sku)).one()
            session.add(OrderLine(order_id=row.id, line_no=line_no, product_id=pid, quantity=units,
                                  unit_price_minor=price))
    return number


def shipped(database: Database, lines: list[tuple[str, int, int]], at: dt.datetime, *, voided: bool = False) -> str:
    """A shipped order of ``lines`` and its shipment (one package) created at ``at``."""
    number = order(database, lines, status="shipped", at=at)
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        account = session.scalars(select(CarrierAccount.id).order_by(CarrierAccount.id)).first()
        service = session.scalars(select(CarrierService.id).order_by(CarrierService.id)).first()
        shipment = Shipment(order_id=order_id, carrier_account_id=account, service_id=service,
                            status="voided" if voided else "printed", tracking_number=f"TRK{number}",
                            created_at=at, cost_minor=0, currency="USD")
        session.add(shipment)
        session.flush()
        package = Package(shipment_id=shipment.id, sequence=1, weight_measured_g=500)
        session.add(package)
        session.flush()
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)):
            session.add(PackageItem(package_id=package.id, order_line_id=line.id, product_id=line.product_id,
                                    quantity=line.quantity))
    return number


def rma(database: Database, lines: list[tuple[str, int, int, str]], *, status: str, created: dt.datetime,
        received: dt.datetime | None = None, processed: dt.datetime | None = None) -> None:
    """An RMA of ``(sku, units expected, units received, reason)`` lines."""
    with database.unit_of_work() as session:
        row = Rma(number=f"RMA-T{next(_numbers):04d}", status=status, created_at=created, received_at=received,
                  processed_at=processed)
        session.add(row)
        session.flush()
        for sku, expected, got, reason in lines:
            pid = session.scalars(select(Product.id).where(Product.sku == sku)).one()
            session.add(RmaLine(rma_id=row.id, product_id=pid, quantity_expected=expected, quantity_received=got,
                                quantity_graded=got if status == "closed" else 0, reason_code=reason))


def count(database: Database, completed: dt.datetime, lines: int, exact: int, units: int, value_minor: int) -> None:
    """A completed cycle count with its recorded accuracy (and one of its lines: a demo product, USD)."""
    with database.unit_of_work() as session:
        row = CycleCount(number=f"CC-T{next(_numbers):04d}", status="completed", created_at=completed,
                         completed_at=completed, lines_counted=lines, lines_exact=exact,
                         units_variance=units, value_variance_minor=value_minor)
        session.add(row)
        session.flush()
        product = session.scalars(select(Product.id).where(Product.sku == MUG)).one()
        session.add(CycleCountLine(cycle_count_id=row.id, bin_id=session.scalars(select(Bin.id).limit(1)).one(),
                                   product_id=product, expected_quantity=1, counted_quantity=1))


def backordered(database: Database, number: str, at: dt.datetime) -> None:
    """The ``order.backordered`` audit entry the reserving code writes, at ``at``."""
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        session.execute(insert(AuditEntry), [{"occurred_at": at, "action": "order.backordered",
                                              "entity_type": "order", "entity_id": order_id,
                                              "details": {"order": number}}])


def seed_history(database: Database) -> History:
    """The history, and what the report of 2026-11-10 (Chicago) makes of it:

    * Shipments: MUG ×4 at $10.00 (15:00 UTC on the 10th), PEN ×2 at $25.00 + TEA ×1 at $5.00
      (05:30 UTC on the 11th = 23:30 on the 10th in Chicago: in); MUG ×6 at 05:30 UTC on the 10th
      (23:30 on the 9th in Chicago: out); TEA ×3 voided on the 10th (out). Units shipped: MUG 4,
      PEN 2, TEA 1; shipped value MUG 4000, PEN 5000, TEA 500 (total 9500 cents).
    * Classes: MUG A, PEN B, every other active product C. Shares: A 42.1 %, B 52.6 %, C 5.3 %.
    * Counts completed: 10 lines / 9 exact (14:00 UTC on the 10th), 10 / 7 (05:30 UTC on the
      11th: the 10th in Chicago), 4 / 0 (05:00 UTC on the 10th: the 9th in Chicago). The 10th:
      2 counts, 20 lines, 16 exact = 80.0 %, units variance 2 + 5, value 1500 + 300 cents.
    * RMAs created on the 10th: closed, MUG 2 authorised / 1 back, damaged in transit (counts 1);
      open, PEN 1 wrong item + TEA 1 defective (05:45 UTC on the 11th: in; count as authorised);
      cancelled, MUG 3 defective (nothing). Return rate: TEA 1/1 = 100.0 %, PEN 1/2 = 50.0 %,
      MUG 1/4 = 25.0 %.
    * RMAs processed on the 10th (Chicago): received → processed 2 h, 24 h and 71 h (the last at
      05:00 UTC on the 11th); one processed at 05:00 UTC on the 10th (the 9th) is out. Median
      24.0 h, p90 (nearest rank ⌈0.9 × 3⌉ = 3rd) 71.0 h.
    * Now: OUT has no stock; a backorder wants 2 and another pending order 1 → a stock-out of 3
      units in 2 orders, 1 a backorder. Open backorders: that one (ship by the 12th, ordered at
      04:00 UTC on the 11th = the 10th in Chicago) and a split remainder of PEN ×1 (no ship-by).
      A cancelled order marked backorder is not open.
    * Went to backorder on the 10th: the OUT backorder (audited twice: one order); a remainder
      split off on the 10th; an order audited at 03:00 UTC on the 10th (the 9th) is out.
    """
    first = shipped(database, [(MUG, 4, 1000)], utc(10, 15))
    shipped(database, [(PEN, 2, 2500), (TEA, 1, 500)], utc(11, 5, 30))
    shipped(database, [(MUG, 6, 1000)], utc(10, 5, 30))
    shipped(database, [(TEA, 3, 500)], utc(10, 18), voided=True)
    with database.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == MUG).values(abc_class="A"))
        session.execute(update(Product).where(Product.sku == PEN).values(abc_class="B"))
        session.add(Product(sku=OUT, name="Sold out lamp", weight_g=100))

    count(database, utc(10, 14), 10, 9, 2, 1500)
    count(database, utc(11, 5, 30), 10, 7, 5, 300)
    count(database, utc(10, 5), 4, 0, 4, 900)

    rma(database, [(MUG, 2, 1, "damaged-in-transit")], status="closed", created=utc(10, 16), received=utc(10, 18),
        processed=utc(10, 20))
    rma(database, [(PEN, 1, 0, "wrong-item"), (TEA, 1, 0, "defective")], status="open", created=utc(11, 5, 45))
    rma(database, [(MUG, 3, 0, "defective")], status="cancelled", created=utc(10, 17))
    rma(database, [(MUG, 1, 1, "defective")], status="closed", created=utc(1, 12), received=utc(9, 12),
        processed=utc(10, 12))
    rma(database, [(TEA, 1, 1, "defective")], status="closed", created=utc(2, 12), received=utc(8, 6),
        processed=utc(11, 5))
    rma(database, [(PEN, 1, 1, "other")], status="closed", created=utc(2, 12), received=utc(9, 5),
        processed=utc(10, 5))

    back = order(database, [(OUT, 2, 3000)], status="pending", at=utc(11, 4), backorder=True,
                 ship_by=dt.date(2026, 11, 12))
    waiting = order(database, [(OUT, 1, 3000), (MUG, 1, 1000)], status="pending", at=utc(10, 9))
    remainder = order(database, [(PEN, 1, 2500)], status="pending", at=utc(10, 19), backorder=True,
                      split_from=first)
    gone = order(database, [(OUT, 5, 3000)], status="cancelled", at=utc(9, 12), backorder=True)
    backordered(database, back, utc(10, 20))
    backordered(database, back, utc(11, 1))
    backordered(database, gone, utc(10, 3))
    return History(back, waiting, remainder)
