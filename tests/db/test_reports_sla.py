"""Service levels per step (issue #14, points 2 and 7; both engines): orders reserved, picked,
packed and shipped through the use cases, their instants set to hand-chosen Chicago times;
the time per step (median, p90, within target, late) and the on-time rate are the ones
computed by hand below — an order shipped at 23:30 in Chicago counts on that Chicago day, one
shipped at 23:30 the day before does not. ``orders.ready_at`` is set when an order becomes
ready, at import's reserve and when a backorder is filled. A packer may not see the report."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.orders.arrival import reserve_arrivals
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import Period, ReportSettings
from fulfilstation.services.reports.tables import write_csv
from tests.support.app import app_for, sign_in
from tests.support.kits import new_product
from tests.support.kits import pending_order as pending_of
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
)

DAY = dt.date(2026, 11, 10)  # a Tuesday, CST (UTC−6)
BEFORE, AFTER = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)


def history(db: Database) -> None:
    """Minutes per step (received → ready → picked → packed → shipped), by hand:

    A  08:00 → 08:10 (10) → 09:00 (50) → 09:30 (30) → 09:40 (10)   ship-by the 10th: on time
    B  08:00 → 08:40 (40) → 11:40 (180) → 12:00 (20) → 12:30 (30)  ship-by the 9th: late
    C  09:00 → 09:20 (20) → no pick list → 11:20 (120 from ready) → 13:20 (120)  no ship-by
    D  20:00 → 20:05 (5) → 21:05 (60) → 23:00 (115) → 23:30 (30)  ship-by the 10th: on time
       (23:30 in Chicago is 05:30 UTC on the 11th: it counts on the 10th)
    E  shipped at 23:30 on the 9th (05:30 UTC on the 10th): not in the 10th
    F  shipped at 00:30 on the 11th: not in the 10th
    """
    app = app_for(db)
    a, b, c, d, e, f = (ready(app, ship_by) for ship_by in (DAY, BEFORE, None, DAY, BEFORE, AFTER))
    for number in (a, b, d, e, f):
        pick(app, number)
    for number in (a, b, c, d, e, f):
        ship(app, number)
    stamp(db, a, received=local(DAY, 8), ready_at=local(DAY, 8, 10), picked=local(DAY, 9),
          packed=local(DAY, 9, 30), shipped=local(DAY, 9, 40))
    stamp(db, b, received=local(DAY, 8), ready_at=local(DAY, 8, 40), picked=local(DAY, 11, 40),
          packed=local(DAY, 12), shipped=local(DAY, 12, 30))
    stamp(db, c, received=local(DAY, 9), ready_at=local(DAY, 9, 20), packed=local(DAY, 11, 20),
          shipped=local(DAY, 13, 20))
    stamp(db, d, received=local(DAY, 20), ready_at=local(DAY, 20, 5), picked=local(DAY, 21, 5),
          packed=local(DAY, 23), shipped=local(DAY, 23, 30))
    stamp(db, e, received=local(BEFORE, 20), ready_at=local(BEFORE, 20, 5), picked=local(BEFORE, 21),
          packed=local(BEFORE, 23), shipped=local(BEFORE, 23, 30))
    stamp(db, f, received=local(DAY, 22), ready_at=local(DAY, 22, 5), picked=local(DAY, 23),
          packed=local(AFTER, 0, 20), shipped=local(AFTER, 0, 30))


def test_time_per_step_and_on_time_rate_of_a_chicago_day(seeded_database: Database) -> None:
    db = seeded_database
    set_demo_orders_aside(db)
    history(db)
    app = reports_app(db, local(AFTER, 9))
    in_chicago(app)
    manager = sign_in(app, "manager")
    assert local(DAY, 23, 30) == dt.datetime(2026, 11, 11, 5, 30, tzinfo=dt.UTC)

    report = app.reports.sla(manager, app.reports.period(DAY))
    assert report.orders == 4 and report.without_pick_list == 1
    figures = {s.step: (s.count, s.median_min, s.p90_min, s.target_min, s.within, s.late) for s in report.steps}
    assert figures == {
        "ready": (4, 15.0, 40.0, 30, 3, 1),  # 5 10 20 40: median (10+20)/2, p90 rank ⌈3.6⌉=4
        "picked": (3, 60.0, 180.0, 120, 2, 1),  # 50 60 180
        "packed": (4, 72.5, 120.0, 60, 2, 2),  # 20 30 115 120 (C from ready)
        "shipped": (4, 30.0, 120.0, 120, 4, 0),  # 10 30 30 120: 120 is within a 120-minute target
    }
    assert report.step("ready").within_pct == 75.0
    rate = report.on_time
    assert (rate.rated, rate.on_time, rate.late, rate.without_ship_by) == (3, 2, 1, 1)
    assert rate.rate_pct == pytest.approx(200 / 3)

    steps, on_time, delivery = report.tables()
    assert delivery.rows == (("2026-11-10", 0, 0, 0, None, 0),)  # nothing tracked to delivery
    assert steps.rows[2] == ("Picked → packed", 4, 72.5, 120.0, 60, 2, 50.0, 2)
    assert "without a pick list" in steps.note and "nearest rank" in steps.note
    assert on_time.rows == (("2026-11-10", 3, 2, 1, pytest.approx(200 / 3), 1),)
    (chart,) = report.charts()
    assert chart.categories == ("Received → ready", "Ready → picked", "Picked → packed", "Packed → shipped")
    assert dict(chart.series)["p90"] == (40.0, 180.0, 120.0, 120.0)
    assert dict(chart.series)["Target"] == (30.0, 120.0, 60.0, 120.0)


def test_a_period_of_days_and_other_targets(seeded_database: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = seeded_database
    set_demo_orders_aside(db)
    history(db)
    app = reports_app(db, local(AFTER, 9))
    owner = sign_in(app, "owner")
    app.reports.set_settings(owner, ReportSettings(time_zone="America/Chicago", targets={"ready": 10}))
    three = app.reports.sla(owner, Period(BEFORE, AFTER, CHICAGO))  # E on the 9th and F on the 11th too
    assert three.orders == 6 and three.without_pick_list == 1
    ready_step = three.step("ready")  # A10 B40 C20 D5 E5 F5: 5 5 5 10 20 40
    assert (ready_step.count, ready_step.median_min, ready_step.p90_min, ready_step.within) == (6, 7.5, 40.0, 4)
    assert (three.on_time.rated, three.on_time.on_time) == (5, 4)  # E on its ship-by day, F before it
    out = write_csv(three.tables(), tmp_path / "sla.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert "Time per step" in text and "Received → ready,6,7.5,40.0,10,4,66.7,2" in text
    in_utc = reports_app(db, local(AFTER, 9))
    in_utc.reports.set_settings(owner, ReportSettings(time_zone="UTC"))
    utc_day = in_utc.reports.sla(owner, in_utc.reports.period(DAY))  # UTC's 10th: E, A, B, C — not D
    assert utc_day.orders == 4 and utc_day.step("picked").count == 3


def test_a_packer_may_not_see_service_levels_or_the_dashboard(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    packer = sign_in(app, "packer")
    with pytest.raises(NotAllowed):
        app.reports.sla(packer, app.reports.period())
    with pytest.raises(NotAllowed):
        app.reports.dashboard(packer)


def ready_at_of(db: Database, number: str) -> dt.datetime | None:
    with db.unit_of_work() as session:
        return session.scalar(select(Order.ready_at).where(Order.number == number))


def test_ready_at_is_set_when_an_order_becomes_ready(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    before = utcnow()
    waiting = pending_order(db, DAY)
    assert ready_at_of(db, waiting) is None
    (outcome,) = app.orders.reserve_stock(manager, [waiting])  # the reserve an import runs
    assert outcome.result == "ready"
    stamped = ready_at_of(db, waiting)
    assert stamped is not None and before <= stamped <= utcnow()


def order_id(db: Database, number: str) -> int:
    with db.unit_of_work() as session:
        return int(session.scalars(select(Order.id).where(Order.number == number)).one())


def test_ready_at_is_set_at_import_and_when_a_receipt_fills_a_backorder(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    before = utcnow()
    in_stock = pending_order(db, DAY)
    reserve_arrivals(db, manager, [order_id(db, in_stock)], DAY)  # what the intake runs for new orders
    stamped = ready_at_of(db, in_stock)
    assert stamped is not None and before <= stamped <= utcnow()

    new_product(db, "RA-1", barcode="04006381333931")
    waiting = pending_of(db, [("RA-1", 1)])
    reserve_arrivals(db, manager, [order_id(db, waiting)], DAY)
    assert ready_at_of(db, waiting) is None  # a backorder: not ready yet
    receipt = app.receiving.start(packer, supplier="Acme Supplies", bin="A-01-1").number
    assert app.receiving.scan(packer, receipt, "4006381333931").accepted
    filled = utcnow()
    app.receiving.close(packer, receipt)
    stamped = ready_at_of(db, waiting)
    assert stamped is not None and filled <= stamped <= utcnow()
