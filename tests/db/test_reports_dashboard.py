"""The manager's dashboard (issue #14, points 1 and 7; both engines), at 22:00 on a Chicago day
(04:00 UTC the next day): today's flow, the backlog by ship-by, the on-time rate of today, 7
and 30 days, the open exceptions with where to look, and the steps running late — each
figure computed by hand from a history built with the use cases and back-dated. The steps
running late follow the service-levels report's rule: a ready order with nothing picked waits
in Ready → picked only on a site that uses pick lists (or on an open list); on a site that packs
straight from the queue it waits in Picked → packed, since ready."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import PickList
from fulfilstation.services.reports import Period
from tests.support.app import app_for, sign_in
from tests.support.report_history import (
    CHICAGO,
    in_chicago,
    local,
    pending_order,
    pick,
    ready,
    reports_app,
    set_demo_orders_aside,
    ship,
    stamp,
    start_pack,
)

DAY = dt.date(2026, 11, 10)  # today in Chicago
NOW = local(DAY, 22)  # 2026-11-11 04:00 UTC


def days(n: int) -> dt.date:
    return DAY - dt.timedelta(days=n)


def history(db: Database, *, pick_lists: bool = True) -> dict[str, str]:
    """Shipped (first shipment, Chicago time; ship-by):
    S1 today 10:00 (today: on time; received today 08:00; its weight accepted by a manager today)
    S2 today 00:30 (the 9th: late)     S3 the 5th 12:00 (the 6th: on time)
    S4 Oct 20 12:00 (Oct 19: late)     S5 the 9th 23:30 = 05:30 UTC on the 10th (the 9th: on time)
    Open (received; where it waits since when; ship-by):
    O1 pending, received today 21:00 (60 min > 30: Received → ready late); due today
    O2 ready, on no pick list, nothing picked, ready 19:00 (180 min > 120: Ready → picked late, the
       site using pick lists — O3's; without them 180 > 60: Picked → packed); received the 9th;
       ship-by the 9th: late
    O3 ready on an open pick list, ready 21:30 (30 min); received today 21:00; the 12th: later
       (``pick_lists=False``: no pick list, a site that packs from the queue; O3 is simply ready)
    O4 being packed, ready 18:00, its station silent since 18:00 (240 min > 60: Picked → packed late,
       a stuck pack); received the 8th; no ship-by
    O5 ready and held since the 9th (not an alert: a hold); received today 01:00; due today"""
    app = app_for(db)
    manager = sign_in(app, "manager")
    o = {name: ready(app, ship_by) for name, ship_by in (
        ("S1", DAY), ("S2", days(1)), ("S3", days(-1) - dt.timedelta(days=5)), ("S4", dt.date(2026, 10, 19)),
        ("S5", days(1)), ("O2", days(1)), ("O3", days(-2)), ("O4", None), ("O5", DAY))}
    o["O1"] = pending_order(db, DAY)
    ship(app, o["S1"], override=manager)
    for name in ("S2", "S3", "S4", "S5"):
        ship(app, o[name])
    if pick_lists:
        pick(app, o["O3"], confirm=False)
    start_pack(app, o["O4"])
    app.orders.hold(manager, o["O5"], "Address check")
    stamp(db, o["S1"], received=local(DAY, 8), ready_at=local(DAY, 8, 5), packed=local(DAY, 9, 50),
          shipped=local(DAY, 10))
    stamp(db, o["S2"], received=local(days(1), 9), packed=local(DAY, 0, 20), shipped=local(DAY, 0, 30))
    stamp(db, o["S3"], received=local(days(5), 9), packed=local(days(5), 11), shipped=local(days(5), 12))
    stamp(db, o["S4"], received=local(days(21), 9), packed=local(days(21), 11), shipped=local(days(21), 12))
    stamp(db, o["S5"], received=local(days(1), 9), packed=local(days(1), 23), shipped=local(days(1), 23, 30))
    stamp(db, o["O1"], received=local(DAY, 21))
    stamp(db, o["O2"], received=local(days(1), 12), ready_at=local(DAY, 19))
    stamp(db, o["O3"], received=local(DAY, 21), ready_at=local(DAY, 21, 30))
    stamp(db, o["O4"], received=local(days(2), 9), ready_at=local(DAY, 18), heard=local(DAY, 18))
    stamp(db, o["O5"], received=local(DAY, 1), ready_at=local(days(1), 9))
    return o


def test_the_dashboard_of_a_chicago_evening(seeded_database: Database) -> None:
    db = seeded_database
    set_demo_orders_aside(db)
    history(db)
    app = reports_app(db, NOW)
    in_chicago(app)
    board = app.reports.dashboard(sign_in(app, "manager"))
    assert board.today == DAY and board.at == NOW  # not the UTC day (the 11th)
    # received: S1 O1 O3 O5; O5 is held: not ready, counted apart (as the "Orders on hold" exception)
    assert board.flow == {"received": 4, "ready": 1, "picking": 1, "packing": 1, "shipped": 2, "held": 1}
    assert board.backlog == {"late": 1, "today": 2, "later": 1, "none": 1}
    rates = [(r.period.first, r.period.last, r.rated, r.on_time, r.rate_pct) for r in board.on_time]
    assert rates == [(DAY, DAY, 2, 1, 50.0), (days(6), DAY, 4, 3, 75.0), (days(29), DAY, 5, 3, 60.0)]
    counts = {e.key: (e.count, e.screen, e.filter) for e in board.exceptions}
    assert counts == {
        "holds": (1, "orders", "hold"),
        "label_pending": (5, "shipments", "label-pending"),  # no label printer at the test's station
        "integrations": (0, "integrations", None),
        "late_tracking": (0, "integrations", None),
        "weight_overrides": (1, "shipments", "weight-overrides"),
        "returns_overdue": (0, "returns", "overdue"),
        "stuck_packs": (1, "orders", "packing"),
        "returned_to_sender": (0, "shipments", "returned"),
        "no_movement": (0, "shipments", "no-movement"),
        "delivered_late": (0, "shipments", "delivered-late"),
    }
    alerts = {a.step: (a.count, a.target_min, a.longest_min) for a in board.waiting}
    assert alerts == {"ready": (1, 30, 60.0), "picked": (1, 120, 180.0), "packed": (1, 60, 240.0),
                      "shipped": (0, 120, None)}
    assert [a.step for a in board.alerts] == ["ready", "picked", "packed"]  # what the screen shows in red
    assert board.alert("packed").message == ("Picked → packed: 1 order has waited longer than the 60-minute "
                                             "target; the longest has waited 240 min.")

    flow, backlog, on_time, exceptions, late = board.tables()
    assert flow.rows == (("Received", 4), ("Ready", 1), ("Picking", 1), ("Packing", 1), ("Shipped", 2),
                         ("On hold", 1))
    assert backlog.rows[0] == ("Late (ship-by before today)", 1)
    assert on_time.rows[1] == ("2026-11-04 – 2026-11-10", 4, 3, 75.0)
    assert ("Orders on hold", 1, "orders: hold") in exceptions.rows
    assert ("Weight overrides today", 1, "shipments: weight-overrides") in exceptions.rows
    assert late.rows[1] == ("Ready → picked", 120, 1, 180.0)
    flow_chart, backlog_chart = board.charts()
    assert flow_chart.series == (("Orders", (4.0, 1.0, 1.0, 1.0, 2.0, 1.0)),)
    assert backlog_chart.series == (("Open orders", (1.0, 2.0, 1.0, 1.0)),)


def test_the_next_morning_only_yesterdays_late_orders_remain(seeded_database: Database) -> None:
    db = seeded_database
    set_demo_orders_aside(db)
    history(db)
    app = reports_app(db, local(DAY + dt.timedelta(days=1), 7))
    in_chicago(app)
    board = app.reports.dashboard(sign_in(app, "owner"))
    assert board.today == DAY + dt.timedelta(days=1)
    assert board.flow == {"received": 0, "ready": 1, "picking": 1, "packing": 1, "shipped": 0, "held": 1}
    assert board.backlog == {"late": 3, "today": 0, "later": 1, "none": 1}  # O1, O2, O5 now late
    assert [(r.rated, r.on_time) for r in board.on_time] == [(0, 0), (4, 3), (5, 3)]
    assert board.on_time[0].rate_pct is None
    assert board.exception("weight_overrides").count == 0  # it was yesterday


def test_a_held_order_is_in_no_stage_but_on_hold_even_mid_pack_or_on_a_pick_list(seeded_database: Database) -> None:
    db = seeded_database
    set_demo_orders_aside(db)
    o = history(db)
    manager = sign_in(app_for(db), "manager")
    app_for(db).orders.hold(manager, o["O4"], "Wrong address")  # being packed
    app_for(db).orders.hold(manager, o["O3"], "Customer called")  # on an open pick list
    app = reports_app(db, NOW)
    in_chicago(app)
    board = app.reports.dashboard(sign_in(app, "manager"))
    assert board.flow == {"received": 4, "ready": 1, "picking": 0, "packing": 0, "shipped": 2, "held": 3}
    assert board.exception("holds").count == board.flow["held"] == 3  # one figure, said twice


def test_a_site_without_pick_lists_has_no_ready_to_picked_wait(seeded_database: Database) -> None:
    """The same evening on a site that packs straight from the queue: O2, ready since 19:00 with
    nothing picked, waits to be packed (180 min > 60: Picked → packed, beside O4's 240), as the
    service levels will measure it (ready → packed, no picked step); O3, ready 30 min, is within
    the 60. Nothing waits in Ready → picked: no alert there, today or ever."""
    db = seeded_database
    set_demo_orders_aside(db)
    history(db, pick_lists=False)
    app = reports_app(db, NOW)
    in_chicago(app)
    board = app.reports.dashboard(sign_in(app, "manager"))
    assert board.flow == {"received": 4, "ready": 2, "picking": 0, "packing": 1, "shipped": 2, "held": 1}
    alerts = {a.step: (a.count, a.target_min, a.longest_min) for a in board.waiting}
    assert alerts == {"ready": (1, 30, 60.0), "picked": (0, 120, None), "packed": (2, 60, 240.0),
                      "shipped": (0, 120, None)}
    assert [a.step for a in board.alerts] == ["ready", "packed"]
    assert "a site that packs straight from the queue has no Ready → picked wait" in board.tables()[4].note
    # The service levels of the day agree: the orders shipped without a pick list have no
    # Ready → picked step, only Picked → packed.
    sla = app.reports.sla(sign_in(app, "manager"), Period.day(DAY, CHICAGO))
    assert sla.without_pick_list == sla.orders == 2 and sla.step("picked").count == 0


def test_a_site_that_stopped_using_pick_lists_has_no_ready_to_picked_wait(seeded_database: Database) -> None:
    """O3's pick list, made 31 days before the evening and cancelled since: the site no longer
    uses pick lists, so O2 waits to be packed; a list made 29 days before, O2 waits to be picked."""
    db = seeded_database
    set_demo_orders_aside(db)
    history(db)
    manager = sign_in(app_for(db), "manager")
    with db.unit_of_work() as session:
        (list_number,) = session.scalars(select(PickList.number)).all()
    app_for(db).picking.cancel(manager, list_number)
    app = reports_app(db, NOW)
    in_chicago(app)
    # O2 waits 180 min, O4 (being packed) 240 and O3 (ready 21:30, now on no list) 30.
    for days_before, picked, packed in ((31, (0, None), (2, 240.0)), (29, (1, 180.0), (1, 240.0))):
        with db.unit_of_work() as session:
            session.execute(update(PickList).values(created_at=NOW - dt.timedelta(days=days_before)))
        board = app.reports.dashboard(sign_in(app, "manager"))
        assert board.flow["picking"] == 0
        assert [(board.alert(step).count, board.alert(step).longest_min) for step in ("picked", "packed")] == [
            picked, packed], days_before
