"""The packers' report: what each packer packed, how fast for the orders they had, and the
mistakes the station caught — per packer and per product.

Invariants:

* A pack session counts in the period when it was completed (``status = completed``) on one
  of the period's site-local days (its ``ended_at``); its time is ``ended_at − started_at``,
  its items, distinct SKUs and packages are its packages' (what was packed).
* A session shorter than ``MIN_TIMED_SECONDS`` is not a measurement of packing (a pack shipped
  in one go from the command line, a clock set back): its orders, items, packages and mistakes
  count, but it is left out of every time figure — packing minutes, the per-hour rates, the
  fit of the standard and the index — so one half-second pack cannot make a packer's orders
  per hour explode. ``PackerFigures.untimed`` says how many were left out.
* Productivity is adjusted for order complexity (``complexity``): standard minutes fitted over
  the period's timed sessions, index 100 = the period's average pace for that mix of orders.
* Mistakes caught are the refused scans made in the period (``scan_events.result = refused``,
  by their own ``created_at``), grouped by kind (``KINDS``), plus the packages whose weight was
  outside the range (``weight_mistakes``: refused at the scale — ``weight_refusals`` — or
  accepted by a manager, once each; "Weight overrides" says how many of them a manager
  accepted, and is not added again). A mistake the station prevented counts whatever became of
  its session — completed, cancelled (``fulfilstation pack`` cancels its session on every
  refusal; Esc, a take-over or a manager's release in the window cancel it too) or still open —
  so the command line and the window give the same figures for the same mistake. A scan
  refusal is the scanning user's (else the session's packer's), a weight the user's who weighed
  it. The denominators stay the completed sessions': per 100 items packed, and per product
  per 100 of its units packed; a packer or product with mistakes and nothing packed in the
  period has no rate. Per product: refusals naming the product (the wrong item scanned, the
  one scanned too often) and weight mistakes of packages holding it.

Cost: one statement for every packer (sessions grouped with their packages and items, then by packer,
with the sums the fit needs: no session leaves the database), one for the refused scans (of the
sessions open during the period: ``open_during``), one for the units per product and three for the
weights (``weight_mistakes``). Threading: blocking (database); read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fulfilstation.db.in_lists import in_batches
from fulfilstation.db.models import Package, PackageItem, PackSession, Product, ScanEvent, User
from fulfilstation.domain.enums import PackSessionStatus, ScanResult
from fulfilstation.services.packing.views import Refusal
from fulfilstation.services.reports.complexity import Moments, Standard, fit_moments, index
from fulfilstation.services.reports.durations import seconds_between
from fulfilstation.services.reports.open_during import open_during
from fulfilstation.services.reports.period import Period
from fulfilstation.services.reports.tables import ReportChart, ReportTable
from fulfilstation.services.reports.weight_mistakes import weight_counts

WRONG_ITEM, OVER_SCAN, UNKNOWN, LOT_SERIAL = "wrong item", "over-scan", "unknown barcode", "lot/serial"
#: Which refused scans count as a mistake caught, and as what. Refusals about the pack itself
#: (an order's number, a closed session, the queue) are not a packer's mistake.
KINDS: dict[str, str] = {
    Refusal.NOT_ON_ORDER.value: WRONG_ITEM, Refusal.KIT_BARCODE.value: WRONG_ITEM,
    Refusal.OVER_QUANTITY.value: OVER_SCAN, Refusal.SERIAL_REPEATED.value: OVER_SCAN,
    Refusal.UNKNOWN_BARCODE.value: UNKNOWN,
    Refusal.SERIAL_ALREADY_SHIPPED.value: LOT_SERIAL, Refusal.SERIAL_NOT_RECEIVED.value: LOT_SERIAL,
    Refusal.EXPIRED_LOT.value: LOT_SERIAL, Refusal.LOT_NOT_IN_STOCK.value: LOT_SERIAL,
}
PRODUCT_CHART_TOP = 15
#: A completed session shorter than this is counted but not timed (see the module doc): no order
#: is packed — order scanned, items scanned, parcel weighed — in under ten seconds.
MIN_TIMED_SECONDS = 10.0


@dataclass(frozen=True)
class Mistakes:
    wrong_item: int = 0
    over_scan: int = 0
    unknown_barcode: int = 0
    lot_serial: int = 0
    weight: int = 0  # packages whose weight was outside the range (refused, accepted, or both: once)
    weight_overrides: int = 0  # of ``weight``, the ones a manager accepted (not added to the total again)

    @property
    def total(self) -> int:
        return self.wrong_item + self.over_scan + self.unknown_barcode + self.lot_serial + self.weight


@dataclass(frozen=True)
class PackerFigures:
    """``orders``, ``items`` and ``packages``: every completed session; ``mistakes``: those made
    in the period, whatever became of their session; ``minutes``, ``expected_minutes`` and the
    rates: the timed completed sessions only (``timed_*``; the ``untimed`` sessions were shorter
    than ``MIN_TIMED_SECONDS``)."""

    user_id: int
    name: str
    orders: int
    items: int
    packages: int
    minutes: float
    expected_minutes: float
    mistakes: Mistakes = field(default_factory=Mistakes)
    timed_orders: int | None = None  # None: all of them
    timed_items: int | None = None
    timed_packages: int | None = None

    @property
    def hours(self) -> float:
        return self.minutes / 60.0

    @property
    def untimed(self) -> int:
        return self.orders - (self.orders if self.timed_orders is None else self.timed_orders)

    def per_hour(self, count: int) -> float | None:
        """``count`` (of the timed sessions) per hour of their packing time."""
        return count / self.hours if self.hours > 0 else None

    @property
    def orders_per_hour(self) -> float | None:
        return self.per_hour(self.orders if self.timed_orders is None else self.timed_orders)

    @property
    def items_per_hour(self) -> float | None:
        return self.per_hour(self.items if self.timed_items is None else self.timed_items)

    @property
    def packages_per_hour(self) -> float | None:
        return self.per_hour(self.packages if self.timed_packages is None else self.timed_packages)

    @property
    def index(self) -> float | None:
        """Complexity-adjusted productivity: 100 = the period's average pace."""
        return index(self.expected_minutes, self.minutes)

    @property
    def mistakes_per_100(self) -> float | None:
        return 100.0 * self.mistakes.total / self.items if self.items else None


@dataclass(frozen=True)
class ProductMistakes:
    sku: str
    name: str
    units_packed: int
    mistakes: Mistakes

    @property
    def per_100(self) -> float | None:
        return 100.0 * self.mistakes.total / self.units_packed if self.units_packed else None


@dataclass(frozen=True)
class PackersReport:
    period: Period
    standard: Standard
    packers: tuple[PackerFigures, ...]  # by index, best first (no time recorded: last)
    products: tuple[ProductMistakes, ...]  # most mistakes per 100 units first
    unknown_barcodes: int  # refused scans of codes no product has (in the packers' figures only)

    @property
    def title(self) -> str:
        return "Packers"

    def tables(self) -> list[ReportTable]:
        packers = ReportTable(
            "Packers", ("Packer", "Orders", "Items", "Packages", "Packing minutes", "Orders/h", "Items/h",
                        "Packages/h", "Standard minutes", "Index", "Too short to time"),
            tuple((p.name, p.orders, p.items, p.packages, p.minutes, p.orders_per_hour, p.items_per_hour,
                   p.packages_per_hour, p.expected_minutes, p.index, p.untimed) for p in self.packers),
            note=("Packing time is each completed pack session's end − start. Index = 100 × the standard minutes "
                  "of the packer's orders ÷ their actual minutes (100 = the period's average pace, above 100 "
                  f"faster); {self.standard.words()}. A packer of multi-item orders is measured against what "
                  "such orders take, so is not ranked below one of single-item orders for the same pace. A pack "
                  f"session shorter than {MIN_TIMED_SECONDS:.0f} s (too short to time) counts in orders, items and "
                  "packages but not in the minutes, the per-hour figures, the standard or the index."))
        by_packer = ReportTable(
            "Mistakes caught, by packer", ("Packer", "Items", "Wrong item", "Over-scan", "Unknown barcode",
                                           "Lot/serial", "Weight", "Weight overrides", "Per 100 items"),
            tuple((p.name, p.items, p.mistakes.wrong_item, p.mistakes.over_scan, p.mistakes.unknown_barcode,
                   p.mistakes.lot_serial, p.mistakes.weight, p.mistakes.weight_overrides, p.mistakes_per_100)
                  for p in self.packers),
            note=("Refused scans made in the period (the scanning packer's), and packages whose weight was "
                  "outside the range: refused at the scale (the packer's who weighed it) or accepted by a manager "
                  "— once per package, however often it was weighed; a refusal a manager then accepted is one "
                  "mistake, and Weight overrides says how many were accepted (not added again). A mistake the "
                  "station prevented counts whatever became of the pack: shipped, cancelled (the pack command "
                  "cancels on every refusal; Esc or a take-over at the station too) or still open. An empty or "
                  "unsteady scale is not a mistake. Per 100 items packed in the completed packs."))
        by_product = ReportTable(
            "Mistakes caught, by product", ("SKU", "Product", "Units packed", "Wrong item", "Over-scan",
                                            "Lot/serial", "Weight", "Weight overrides", "Per 100 units"),
            tuple((p.sku, p.name, p.units_packed, p.mistakes.wrong_item, p.mistakes.over_scan,
                   p.mistakes.lot_serial, p.mistakes.weight, p.mistakes.weight_overrides, p.per_100)
                  for p in self.products),
            note=("Wrong item: the product was scanned for an order that does not hold it (a look-alike?). "
                  "Weight: packages whose weight was outside the range, one count for each product scanned "
                  "into the package by the time it was first refused (its weight on file may be wrong); "
                  f"Weight overrides: of those, the ones a manager accepted. {self.unknown_barcodes} scans of "
                  "unknown barcodes name no product."))
        return [packers, by_packer, by_product]

    def charts(self) -> list[ReportChart]:
        ranked = [p for p in self.packers if p.index is not None]
        charts = [ReportChart("Productivity index per packer (100 = average)", "bar",
                              tuple(p.name for p in ranked), (("Index", tuple(p.index for p in ranked)),),
                              unit="index")]
        top = [p for p in self.products if p.per_100 is not None and p.mistakes.total][:PRODUCT_CHART_TOP]
        charts.append(ReportChart("Mistakes caught per 100 units, by product", "bar", tuple(p.sku for p in top),
                                  (("Per 100 units", tuple(p.per_100 for p in top)),), unit="per 100 units"))
        return charts


@dataclass(frozen=True)
class _Packer:
    """One packer's sums over their sessions, and the moments their sessions add to the fit."""

    orders: int
    items: int
    packages: int
    timed_packages: int
    moments: Moments  # of the timed sessions only (n = timed orders)


def _per_packer(session: Session, period: Period) -> dict[int, _Packer]:
    """Per packer, in one statement: each completed session of the period grouped with its
    packages and items, then the sessions grouped by packer; the moments over the timed
    sessions only (``t`` = 1 for a session of at least ``MIN_TIMED_SECONDS``, else 0)."""
    dialect = session.get_bind().dialect.name
    seconds = seconds_between(PackSession.started_at, PackSession.ended_at, dialect)
    per_session = (
        select(PackSession.user_id.label("user_id"), (seconds / 60.0).label("m"),
               case((seconds >= MIN_TIMED_SECONDS, 1), else_=0).label("t"),
               func.coalesce(func.sum(PackageItem.quantity), 0).label("i"),
               func.count(PackageItem.product_id.distinct()).label("s"),
               func.count(Package.id.distinct()).label("packages"))
        .select_from(PackSession)
        .outerjoin(Package, Package.pack_session_id == PackSession.id)
        .outerjoin(PackageItem, PackageItem.package_id == Package.id)
        .where(*_completed(period)).group_by(PackSession.id).subquery())
    i, s, m, t, p = per_session.c.i, per_session.c.s, per_session.c.m, per_session.c.t, per_session.c.packages
    rows = session.execute(select(
        per_session.c.user_id, func.count(), func.sum(i), func.sum(p), func.sum(p * t),
        func.sum(t), func.sum(i * t), func.sum(s * t), func.sum(i * i * t), func.sum(i * s * t), func.sum(s * s * t),
        func.sum(m * t), func.sum(i * m * t), func.sum(s * m * t), func.sum(m * m * t))
        .group_by(per_session.c.user_id))
    packers = {}
    for user_id, n, items, packages, timed_packages, *sums in rows:
        packers[int(user_id)] = _Packer(int(n), int(items or 0), int(packages or 0), int(timed_packages or 0),
                                        Moments(*(float(v or 0) for v in sums)))
    return packers


def _completed(period: Period) -> tuple[ColumnElement[bool], ...]:
    return (PackSession.status == PackSessionStatus.COMPLETED.value, PackSession.ended_at >= period.start_utc,
            PackSession.ended_at < period.end_utc)


def packers_report(session: Session, period: Period) -> PackersReport:
    in_period = select(PackSession.id).where(*_completed(period))
    per_packer = _per_packer(session, period)
    total = Moments(*(sum(getattr(p.moments, name) for p in per_packer.values())
                      for name in Moments.__dataclass_fields__))
    standard = fit_moments(total)
    refusals: list[tuple[int, int | None, str, int]] = [(int(user), product, str(refusal), int(count)) for
                                                        user, product, refusal, count in session.execute(
        select(func.coalesce(ScanEvent.user_id, PackSession.user_id), ScanEvent.product_id, ScanEvent.refusal,
               func.count(ScanEvent.id))
        .join(PackSession, PackSession.id == ScanEvent.pack_session_id)
        .where(*open_during(period), ScanEvent.created_at >= period.start_utc,
               ScanEvent.created_at < period.end_utc, ScanEvent.result == ScanResult.REFUSED.value,
               ScanEvent.refusal.in_(list(KINDS)))
        .group_by(func.coalesce(ScanEvent.user_id, PackSession.user_id), ScanEvent.product_id,
                  ScanEvent.refusal))]
    weights = weight_counts(session, period)
    packers = _packers(session, per_packer, standard, refusals, weights.by_user)
    products = _products(session, in_period, refusals, weights.by_product)
    unknown = sum(count for _u, _p, refusal, count in refusals if KINDS[refusal] == UNKNOWN)
    return PackersReport(period, standard, packers, products, unknown)


def _count(counts: dict[str, int], kind: str, n: int) -> None:
    counts[kind] = counts.get(kind, 0) + n


def _mistakes(counts: dict[str, int], weight: tuple[int, int]) -> Mistakes:
    return Mistakes(counts.get(WRONG_ITEM, 0), counts.get(OVER_SCAN, 0), counts.get(UNKNOWN, 0),
                    counts.get(LOT_SERIAL, 0), *weight)


def _packers(session: Session, per_packer: dict[int, _Packer], standard: Standard,
             refusals: list[tuple[int, int | None, str, int]], weights: dict[int, tuple[int, int]]
             ) -> tuple[PackerFigures, ...]:
    kinds: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, _product, refusal, count in refusals:
        _count(kinds[int(user_id)], KINDS[refusal], int(count))
    users = set(per_packer) | set(kinds) | set(weights)
    names: dict[int, str] = {}
    for part in in_batches(sorted(users)):
        names.update({int(user_id): str(name) for user_id, name in
                      session.execute(select(User.id, User.full_name).where(User.id.in_(part)))})
    empty = _Packer(0, 0, 0, 0, Moments())
    figures = []
    for user_id in users:
        own = per_packer.get(user_id, empty)
        timed = own.moments
        expected = (standard.per_order * timed.n + standard.per_item * timed.items
                    + standard.per_sku * timed.skus) if timed.n else 0.0
        figures.append(PackerFigures(
            user_id, names.get(user_id, f"user {user_id}"), orders=own.orders, items=own.items,
            packages=own.packages, minutes=timed.minutes, expected_minutes=expected,
            mistakes=_mistakes(kinds.get(user_id, {}), weights.get(user_id, (0, 0))),
            timed_orders=int(timed.n), timed_items=int(timed.items), timed_packages=own.timed_packages))
    return tuple(sorted(figures, key=lambda p: (p.index is None, -(p.index or 0.0), p.name)))


def _products(session: Session, in_period: Select[int], refusals: list[tuple[int, int | None, str, int]],
              weights: dict[int, tuple[int, int]]) -> tuple[ProductMistakes, ...]:
    units = {int(product_id): int(quantity) for product_id, quantity in session.execute(
        select(PackageItem.product_id, func.sum(PackageItem.quantity))
        .join(Package, Package.id == PackageItem.package_id)
        .where(Package.pack_session_id.in_(in_period)).group_by(PackageItem.product_id))}
    kinds: dict[int, dict[str, int]] = defaultdict(dict)
    for _user, product_id, refusal, count in refusals:
        if product_id is not None:
            _count(kinds[int(product_id)], KINDS[refusal], int(count))
    ids = set(units) | set(kinds) | set(weights)
    if not ids:
        return ()
    named: dict[int, tuple[str, str]] = {}
    for part in in_batches(sorted(ids)):
        named.update({int(row.id): (row.sku, row.name) for row in session.execute(
            select(Product.id, Product.sku, Product.name).where(Product.id.in_(part)))})
    rows = [ProductMistakes(named[pid][0], named[pid][1], units.get(pid, 0),
                            _mistakes(kinds.get(pid, {}), weights.get(pid, (0, 0)))) for pid in ids]
    return tuple(sorted(rows, key=lambda p: (-(p.per_100 if p.per_100 is not None else float("inf")),
                                             -p.mistakes.total, p.sku)))
