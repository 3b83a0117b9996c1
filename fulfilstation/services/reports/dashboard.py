"""The manager's dashboard (issue #14, point 1): the site's today at a glance.

What each figure is (also printed under the tables):

* Flow: *received* = orders created today; *ready* = open orders with status ready, not on
  hold and not on an open pick list (waiting to be picked or, picked, to be packed);
  *picking* = such orders on an open or started pick list; *packing* = orders being packed
  now, not on hold; *shipped* = orders whose first non-voided shipment was made today;
  *held* = open orders on hold (the "Orders on hold" exception's count). A held order is in
  no other stage: nobody may pick, pack or ship it. "Today" is the site-local day (reports
  setting).
* Backlog: open orders (pending, ready, packing) by ship-by against the site's today: late
  (before today), due today, later, none.
* On-time rate for today, the last 7 and the last 30 days (``sla.on_time_of``).
* Exceptions: each count comes from the area that owns the rule — holds (open orders on
  hold), label-pending shipments (``shipping``), integration problems and late tracking
  (``integrations.problems``: failed pushes and sync trouble; shipment pushes not delivered
  24 h after the shipment), weight overrides of today (packages whose weight a manager
  accepted out of range, in shipments made today: ``shipping.weight_overrides``, the rule the
  Shipments screen's "Weight overrides" list follows),
  returns received more than 48 h ago and not processed (``returns``), stuck pack sessions
  (open and not heard from within ``packing.holders.STALE_AFTER``), and the carriers' tracking
  (``tracking.exceptions``): shipments returned to sender (30 days), with no carrier movement
  for 3 days, delivered after their promised day (the last 7 site days). Each names the workspace
  screen that lists them and the filter to show there.
* SLA alerts: open orders not on hold that have waited in their current step longer than
  its target: pending since received (``ready``); ready and nothing picked, waiting to be
  picked, since ready (``picked``); ready with picked lines, or being packed, since the last
  pick, else since ready (``packed``). ``shipped`` has no open orders (a pack closes when it
  ships). ``waiting_step`` is the rule, and it is the service-levels report's (``sla``): an
  order packed without a pick list has no Ready → picked step, its Picked → packed step runs
  from ready. So a ready order with nothing picked waits to be picked only when it is on an
  open pick list, or when the site uses pick lists (one was made in the last
  ``PICK_LIST_DAYS`` days: the order waits to be put on one); on a site that packs straight
  from the queue it waits to be packed, since ready — never a permanent Ready → picked alert.

Threading: ``dashboard_of`` blocks (database); the values are immutable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Order,
    PackSession,
    PickList,
    PickListOrder,
)
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus, PickListStatus
from fulfilstation.services.integrations.problems import problems
from fulfilstation.services.orders.lookup import CLOSED
from fulfilstation.services.packing.holders import stale_before
from fulfilstation.services.reports.period import Period
from fulfilstation.services.reports.settings import STEP_NAMES, STEPS, ReportSettings
from fulfilstation.services.reports.shipped import first_shipments, latest_picks, ship_days
from fulfilstation.services.reports.sla import OnTime, minutes_between, on_time_of
from fulfilstation.services.reports.tables import ReportChart, ReportTable
from fulfilstation.services.returns.queries import list_rmas
from fulfilstation.services.shipping.listing import label_pending_shipments
from fulfilstation.services.shipping.weight_overrides import count_weight_overrides
from fulfilstation.services.tracking.exceptions import tracking_problems
from fulfilstation.services.tracking.views import DELIVERED_LATE, NO_MOVEMENT, RETURNED

OPEN = (OrderStatus.PENDING.value, OrderStatus.READY.value, OrderStatus.PACKING.value)
OPEN_LISTS = (PickListStatus.OPEN.value, PickListStatus.PICKING.value)
FLOW = ("received", "ready", "picking", "packing", "shipped", "held")
FLOW_NAMES = {"received": "Received", "ready": "Ready", "picking": "Picking", "packing": "Packing",
              "shipped": "Shipped", "held": "On hold"}
BACKLOG = ("late", "today", "later", "none")
BACKLOG_NAMES = {"late": "Late (ship-by before today)", "today": "Due today", "later": "Later",
                 "none": "No ship-by"}
FLOW_NOTE = ("Received: orders created today. Ready: status ready, not on hold, not on an open pick list. Picking: "
             "ready and on an open or started pick list. Packing: being packed now. Shipped: first non-voided "
             "shipment made today. On hold: open orders on hold, in no other stage (also under Open exceptions). "
             "Today is the site's local day.")
BACKLOG_NOTE = "Open orders (pending, ready, being packed) by their ship-by date against the site's today."
ALERTS_NOTE = ("Open orders not on hold waiting in their current step longer than its target: pending since "
               "received (Received → ready); ready with nothing picked, on an open pick list or on a site that "
               "made a pick list in the last 30 days, since ready (Ready → picked); ready with picked lines or "
               "being packed since the last pick, else since ready (Picked → packed) — as in Service levels, an "
               "order packed without a pick list goes from ready to packed, so a site that packs straight from "
               "the queue has no Ready → picked wait.")
#: A site that made a pick list within this many days uses pick lists: its ready orders not yet
#: on one wait to be picked (``waiting_step``).
PICK_LIST_DAYS = 30


@dataclass(frozen=True)
class DashboardException:
    key: str
    label: str
    count: int
    screen: str  # the workspace screen's key that lists them ("orders", "shipments", "integrations", "returns")
    filter: str | None  # what that screen shows (``Screen.show_filter``); None: the screen as it is


@dataclass(frozen=True)
class SlaAlert:
    step: str  # one of STEPS
    name: str
    target_min: int
    count: int  # open orders over the target in this step
    longest_min: float | None  # the longest wait among them

    @property
    def message(self) -> str:
        """What the dashboard says in red (``ui/reports`` shows an alert's ``message``)."""
        longest = f"; the longest has waited {self.longest_min:.0f} min" if self.longest_min is not None else ""
        orders = "1 order has" if self.count == 1 else f"{self.count} orders have"
        return f"{self.name}: {orders} waited longer than the {self.target_min}-minute target{longest}."


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    at: dt.datetime  # when it was computed (UTC)
    flow: dict[str, int]  # FLOW → orders
    backlog: dict[str, int]  # BACKLOG → open orders
    on_time: tuple[OnTime, ...]  # today, 7 days, 30 days
    exceptions: tuple[DashboardException, ...]
    waiting: tuple[SlaAlert, ...]  # one per STEPS, also those with no order over the target

    @property
    def title(self) -> str:
        return f"Today, {self.today.isoformat()}"

    def exception(self, key: str) -> DashboardException:
        return next(e for e in self.exceptions if e.key == key)

    def alert(self, step: str) -> SlaAlert:
        return next(a for a in self.waiting if a.step == step)

    @property
    def alerts(self) -> tuple[SlaAlert, ...]:
        """The steps running late: those with an open order over the target."""
        return tuple(a for a in self.waiting if a.count)

    def tables(self) -> list[ReportTable]:
        return [
            ReportTable("Today's flow", ("Stage", "Orders"),
                        tuple((FLOW_NAMES[stage], self.flow[stage]) for stage in FLOW), note=FLOW_NOTE),
            ReportTable("Backlog by ship-by", ("Ship-by", "Open orders"),
                        tuple((BACKLOG_NAMES[key], self.backlog[key]) for key in BACKLOG), note=BACKLOG_NOTE),
            ReportTable("On-time shipment", ("Period", "Shipped with ship-by", "On time", "On-time %"),
                        tuple((rate.period.label(), rate.rated, rate.on_time, rate.rate_pct)
                              for rate in self.on_time),
                        note="Shipped on or before the ship-by date (site-local day of the first shipment)."),
            ReportTable("Open exceptions", ("Exception", "Count", "Where"),
                        tuple((e.label, e.count, e.screen if e.filter is None else f"{e.screen}: {e.filter}")
                              for e in self.exceptions)),
            ReportTable("Steps running late", ("Step", "Target (min)", "Orders over target", "Longest wait (min)"),
                        tuple((a.name, a.target_min, a.count, a.longest_min) for a in self.waiting),
                        note=ALERTS_NOTE),
        ]

    def charts(self) -> list[ReportChart]:
        return [ReportChart("Today's flow", "bar", tuple(FLOW_NAMES[stage] for stage in FLOW),
                            (("Orders", tuple(float(self.flow[stage]) for stage in FLOW)),), unit="orders"),
                ReportChart("Backlog by ship-by", "bar", tuple(BACKLOG_NAMES[key] for key in BACKLOG),
                            (("Open orders", tuple(float(self.backlog[key]) for key in BACKLOG)),), unit="orders")]


def dashboard_of(database: Database, settings: ReportSettings, now: dt.datetime, today: Period) -> Dashboard:
    """The dashboard at ``now`` (UTC) of the site's ``today`` (a one-day period)."""
    month = Period.last_days(30, today.first, today.zone)
    week = Period.last_days(7, today.first, today.zone)
    with database.unit_of_work() as session:
        held = session.scalar(select(func.count()).select_from(Order).where(
            Order.hold.is_(True), Order.status.not_in(CLOSED))) or 0
        flow = _flow(session, today, int(held))
        backlog = _backlog(session, today.first)
        shipped = ship_days(session, month)
        alerts = _alerts(session, settings, now)
        overrides = count_weight_overrides(session, today.start_utc, today.end_utc)
        stuck = session.scalar(select(func.count()).select_from(PackSession).where(
            PackSession.status == PackSessionStatus.OPEN.value,
            PackSession.heard_at.is_(None) | (PackSession.heard_at < stale_before(now)))) or 0
        tracking = Counter(problem.kind for problem in tracking_problems(session, now, today.zone))
    trouble = problems(database, now)
    exceptions = (
        DashboardException("holds", "Orders on hold", int(held), "orders", "hold"),
        DashboardException("label_pending", "Shipments label-pending", len(label_pending_shipments(database)),
                           "shipments", "label-pending"),
        DashboardException("integrations", "Integration problems (failed pushes, sync trouble)",
                           len(trouble.failed) + len(trouble.syncs), "integrations", None),
        DashboardException("late_tracking", "Tracking not pushed after 24 h", len(trouble.late), "integrations",
                           None),
        DashboardException("weight_overrides", "Weight overrides today", overrides, "shipments",
                           "weight-overrides"),
        DashboardException("returns_overdue", "Returns received > 48 h ago, not processed",
                           len(list_rmas(database, now, overdue_only=True, limit=100_000)), "returns", "overdue"),
        DashboardException("stuck_packs", "Stuck pack sessions (station not heard from)", int(stuck), "orders",
                           "packing"),
        DashboardException("returned_to_sender", "Shipments returned to sender (30 days)", tracking[RETURNED],
                           "shipments", RETURNED),
        DashboardException("no_movement", "Shipments with no carrier movement for 3 days", tracking[NO_MOVEMENT],
                           "shipments", NO_MOVEMENT),
        DashboardException("delivered_late", "Delivered after the promised day (7 days)", tracking[DELIVERED_LATE],
                           "shipments", DELIVERED_LATE),
    )
    rates = tuple(on_time_of(period, shipped) for period in (today, week, month))
    return Dashboard(today.first, now, flow, backlog, rates, exceptions, alerts)


def _flow(session: Session, today: Period, held: int) -> dict[str, int]:
    """Today's stages; ``held`` (open orders on hold) is counted apart, in no other stage."""
    received = session.scalar(select(func.count()).select_from(Order).where(
        Order.created_at >= today.start_utc, Order.created_at < today.end_utc)) or 0
    shipped = session.scalar(select(func.count()).select_from(first_shipments(today).subquery())) or 0
    picking = case((Order.id.in_(_on_open_list()), "picking"), else_="ready")
    stage = case((Order.status == OrderStatus.PACKING.value, "packing"), else_=picking)
    counts = Counter({str(name): int(n) for name, n in session.execute(
        select(stage, func.count()).where(Order.status.in_((OrderStatus.READY.value, OrderStatus.PACKING.value)),
                                          Order.hold.is_(False))
        .group_by(stage))})
    return {"received": int(received), "ready": counts["ready"], "picking": counts["picking"],
            "packing": counts["packing"], "shipped": int(shipped), "held": held}


def _on_open_list() -> Select[int]:
    """The orders on an open or started pick list (the flow's "picking"; ``waiting_step``)."""
    return (select(PickListOrder.order_id).join(PickList, PickList.id == PickListOrder.pick_list_id)
            .where(PickList.status.in_(OPEN_LISTS)))


def _backlog(session: Session, today: dt.date) -> dict[str, int]:
    bucket = case((Order.ship_by.is_(None), "none"), (Order.ship_by < today, "late"),
                  (Order.ship_by == today, "today"), else_="later")
    counts = Counter({str(name): int(n) for name, n in session.execute(
        select(bucket, func.count()).where(Order.status.in_(OPEN)).group_by(bucket))})
    return {key: counts[key] for key in BACKLOG}


def waiting_step(status: str, received: dt.datetime | None, ready: dt.datetime | None,
                 picked: dt.datetime | None, on_pick_list: bool, site_picks: bool) -> tuple[str, dt.datetime | None]:
    """The step an open order waits in and since when (see the module doc): pending → ``ready``
    since received; ready, nothing picked, on an open pick list or at a site that uses pick
    lists (``site_picks``) → ``picked`` since ready; else → ``packed`` since the last pick, or
    since ready when nothing was picked (the SLA report's path for an order without a pick list)."""
    if status == OrderStatus.PENDING.value:
        return "ready", received
    if status == OrderStatus.READY.value and picked is None and (on_pick_list or site_picks):
        return "picked", ready
    return "packed", picked or ready


def _alerts(session: Session, settings: ReportSettings, now: dt.datetime) -> tuple[SlaAlert, ...]:
    waiting = (Order.status.in_(OPEN), Order.hold.is_(False))
    picked = latest_picks(select(Order.id).where(*waiting))
    site_picks = bool(session.scalar(select(exists().where(
        PickList.created_at >= now - dt.timedelta(days=PICK_LIST_DAYS)))))
    waits: dict[str, list[float]] = {step: [] for step in STEPS}
    for status, received, ready, picked_at, listed in session.execute(
            select(Order.status, Order.created_at, Order.ready_at, picked.c.picked_at,
                   Order.id.in_(_on_open_list()))
            .outerjoin(picked, picked.c.order_id == Order.id).where(*waiting)):
        step, since = waiting_step(status, received, ready, picked_at, bool(listed), site_picks)
        minutes = minutes_between(since, now)
        if minutes is not None and minutes > settings.targets[step]:
            waits[step].append(minutes)
    return tuple(SlaAlert(step, STEP_NAMES[step], settings.targets[step], len(waits[step]),
                          max(waits[step]) if waits[step] else None) for step in STEPS)
