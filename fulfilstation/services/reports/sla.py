"""Service levels per step (issue #14, point 2): for the orders shipped in a period, how long
each step took against the site's target, and the on-time shipment rate.

How each figure is computed (also printed under the tables):

* An order belongs to the period of the site-local day of its first non-voided shipment.
* Its events: received = ``orders.created_at``; ready = ``orders.ready_at`` (the FIRST time
  its stock was reserved: a return to ready after a cancelled pack, a voided shipment or a
  short pick keeps it — ``services/orders/ready.py`` — so a failed pack attempt counts in
  the later steps, where the work was, never in received → ready); picked = the latest
  ``picked_at`` of its pick-list lines; packed = the ``ended_at`` of its completed pack
  session that ended last before that shipment; shipped = that shipment's ``created_at``.
* Steps: ``ready`` = received → ready, ``picked`` = ready → picked, ``packed`` = picked →
  packed, ``shipped`` = packed → shipped. An order packed without a pick list has no picked
  step: its ``packed`` step is measured from ready. A step is counted only when both its ends
  are known and in order (a ready after its pick — ``ready_at`` stamped by hand or by an
  older version that stamped every return to ready — is left out).
* Per step: count, median (middle value; mean of the two middle ones), p90 (nearest rank:
  the value at rank ⌈0.9·n⌉ of the sorted durations), in minutes; within target = duration ≤
  the step's target (site settings); late = count − within.
* On time: shipped on or before the ship-by date, comparing the site-local day of the first
  shipment with ``ship_by`` (the shipment is before the local midnight that ends the ship-by
  day); over orders that have a ship-by (the others are counted apart).
* On-time delivery (``delivery.py``): shipments delivered in the period by their promised day.
* Speed: the database subtracts the instants (``shipped.shipped_steps``: one query of hash
  joins, numbers only back); Python sorts each step's minutes for the median and p90.

Threading: ``sla_report`` blocks (database); the values are immutable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from fulfilstation.services.reports.delivery import OnTimeDelivery, on_time_delivery
from fulfilstation.services.reports.percentiles import median, p90
from fulfilstation.services.reports.period import Period, local_midnight
from fulfilstation.services.reports.settings import STEP_NAMES, STEPS, ReportSettings
from fulfilstation.services.reports.shipped import ShippedSteps, shipped_steps
from fulfilstation.services.reports.tables import ReportChart, ReportTable

STEPS_NOTE = (
    "Each order shipped in the period (site-local day of its first non-voided shipment). Received = order "
    "created; ready = stock first reserved (kept through a cancelled pack or a void); "
    "picked = latest picked pick-list line; "
    "packed = its completed pack session's end; shipped = first shipment. An order packed without a pick list "
    "has no 'Ready → picked' step and its 'Picked → packed' step is measured from ready. A step counts only when "
    "both ends are known and in order. Median: the middle value (mean of the two middle ones); p90: nearest rank, "
    "the value at rank ⌈0.9·n⌉ of the sorted times. Within target: time ≤ the step's target; late: the rest.")
ON_TIME_NOTE = (
    "On time: the site-local day of the order's first non-voided shipment is on or before its ship-by date. "
    "Rate = on time ÷ orders shipped with a ship-by date; orders without one are counted apart and not rated.")


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    """Minutes from ``start`` to ``end``; None when either is missing or ``end`` is before ``start``."""
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 60


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent; None for nothing to rate."""
    return None if whole == 0 else 100.0 * part / whole


@dataclass(frozen=True)
class StepLevel:
    step: str  # one of STEPS
    name: str  # "Received → ready"
    count: int
    median_min: float | None
    p90_min: float | None
    target_min: int
    within: int  # within the target

    @property
    def late(self) -> int:
        return self.count - self.within

    @property
    def within_pct(self) -> float | None:
        return share(self.within, self.count)


NOISE = 1e-6  # minutes: below the engines' float arithmetic's reach, far below a second


def step_level(step: str, minutes: list[float], target: int) -> StepLevel:
    """Median and p90 to the thousandth of a minute; within target: at most ``target`` (+ NOISE)."""
    middle, high = median(minutes), p90(minutes)
    return StepLevel(step, STEP_NAMES[step], len(minutes), None if middle is None else round(middle, 3),
                     None if high is None else round(high, 3), target,
                     sum(1 for m in minutes if m <= target + NOISE))


@dataclass(frozen=True)
class OnTime:
    """Orders shipped in ``period``: rated (with a ship-by), on time among them, and unrated."""

    period: Period
    rated: int
    on_time: int
    without_ship_by: int

    @property
    def rate_pct(self) -> float | None:
        return share(self.on_time, self.rated)

    @property
    def late(self) -> int:
        return self.rated - self.on_time


def on_time_of(period: Period, shipments: Iterable[tuple[float, dt.date | None]]) -> OnTime:
    """Count ``(shipped at in seconds since the epoch, ship_by)`` pairs shipped within
    ``period``'s site-local days: on time when shipped before the end of the site-local
    ship-by day (its next local midnight)."""
    start, end = period.start_utc.timestamp(), period.end_utc.timestamp()
    deadlines: dict[dt.date, float] = {}
    rated = on_time = unrated = 0
    for shipped_s, ship_by in shipments:
        if not start <= shipped_s < end:
            continue
        if ship_by is None:
            unrated += 1
            continue
        rated += 1
        deadline = deadlines.get(ship_by)
        if deadline is None:
            deadline = deadlines[ship_by] = local_midnight(ship_by + dt.timedelta(days=1), period.zone).timestamp()
        on_time += shipped_s < deadline
    return OnTime(period, rated, on_time, unrated)


@dataclass(frozen=True)
class SlaReport:
    period: Period
    orders: int  # shipped in the period
    without_pick_list: int
    steps: tuple[StepLevel, ...]  # one per STEPS, in order
    on_time: OnTime
    delivery: OnTimeDelivery | None = None  # on-time delivery (``delivery.py``), when read from the database

    @property
    def title(self) -> str:
        return "Service levels"

    def step(self, step: str) -> StepLevel:
        return next(level for level in self.steps if level.step == step)

    def tables(self) -> list[ReportTable]:
        steps = ReportTable(
            "Time per step", ("Step", "Orders", "Median (min)", "p90 (min)", "Target (min)", "Within target",
                              "Within target %", "Late"),
            tuple((s.name, s.count, s.median_min, s.p90_min, s.target_min, s.within, s.within_pct, s.late)
                  for s in self.steps),
            note=f"{STEPS_NOTE} {self.orders} orders shipped; {self.without_pick_list} packed without a pick list.")
        rate = self.on_time
        on_time = ReportTable(
            "On-time shipment", ("Period", "Shipped with ship-by", "On time", "Late", "On-time %", "Without ship-by"),
            ((self.period.label(), rate.rated, rate.on_time, rate.late, rate.rate_pct, rate.without_ship_by),),
            note=ON_TIME_NOTE)
        return [steps, on_time] + ([self.delivery.table()] if self.delivery is not None else [])

    def charts(self) -> list[ReportChart]:
        return [ReportChart(
            "Time per step: median and p90 against the target", "bar", tuple(s.name for s in self.steps),
            (("Median", tuple(s.median_min for s in self.steps)), ("p90", tuple(s.p90_min for s in self.steps)),
             ("Target", tuple(float(s.target_min) for s in self.steps))), unit="minutes")]


def sla_of(period: Period, orders: list[ShippedSteps], targets: Mapping[str, int]) -> SlaReport:
    """The report of already-read ``orders`` (pure). A step time that is missing or negative
    (its ends out of order) is left out."""
    per_step: dict[str, list[float]] = {step: [] for step in STEPS}
    ready, picked, packed, shipped = (per_step[step] for step in STEPS)
    for order in orders:
        for times, value in ((ready, order.ready), (picked, order.picked), (packed, order.packed),
                             (shipped, order.shipped)):
            if value is not None and value > -NOISE:
                times.append(value)
    return SlaReport(period, len(orders), sum(1 for order in orders if not order.picked_on_list),
                     tuple(step_level(step, per_step[step], targets[step]) for step in STEPS),
                     on_time_of(period, ((order.shipped_s, order.ship_by) for order in orders)))


def sla_report(session: Session, period: Period, settings: ReportSettings) -> SlaReport:
    report = sla_of(period, shipped_steps(session, period), settings.targets)
    return replace(report, delivery=on_time_delivery(session, period))
