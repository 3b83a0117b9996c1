"""``orders.ready_at`` is the FIRST time an order became ready (both engines): a pack the
packer cancels, a pack a manager releases and a voided shipment put the order back in the
queue without moving it — so the service-levels report counts a failed pack attempt in
the later steps, not in "Received → ready". An order with no ``ready_at`` (older than the
column) gets one the first time it returns to ready."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.packing import Weighing
from fulfilstation.services.reports import Period
from tests.support.app import app_for, sign_in
from tests.support.report_history import (
    CHICAGO,
    in_chicago,
    local,
    ready,
    reports_app,
    set_demo_orders_aside,
    stamp,
    start_pack,
)

DAY = dt.date(2026, 11, 10)
FIRST_READY = dt.datetime(2026, 11, 10, 14, 10, tzinfo=dt.UTC)  # long before the test runs


def order_row(db: Database, number: str) -> tuple[str, dt.datetime | None]:
    with db.unit_of_work() as session:
        status, ready_at = session.execute(select(Order.status, Order.ready_at).where(Order.number == number)).one()
    return str(status), ready_at


def first_ready(db: Database, number: str, when: dt.datetime | None = FIRST_READY) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(ready_at=when))


def test_a_cancelled_pack_keeps_the_first_ready(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = ready(app, None)
    first_ready(db, number)
    session_id, _ = start_pack(app, number)
    assert order_row(db, number) == ("packing", FIRST_READY)
    app.packing.cancel(sign_in(app, "packer"), session_id, "wrong item in the tote")
    assert order_row(db, number) == ("ready", FIRST_READY)


def test_a_released_pack_keeps_the_first_ready(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = ready(app, None)
    first_ready(db, number)
    start_pack(app, number)
    app.orders.release_pack_session(sign_in(app, "manager"), number, "station died")
    assert order_row(db, number) == ("ready", FIRST_READY)


def test_a_voided_shipment_keeps_the_first_ready(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = ready(app, None)
    first_ready(db, number)
    session_id, grams = start_pack(app, number)
    app.shipping.ship(sign_in(app, "packer"), session_id, Weighing(grams))
    assert order_row(db, number) == ("shipped", FIRST_READY)
    app.shipping.void(sign_in(app, "manager"), number, "wrong address")
    assert order_row(db, number) == ("ready", FIRST_READY)


def test_an_order_without_a_ready_time_gets_one_when_it_returns_to_ready(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = ready(app, None)
    first_ready(db, number, None)  # as written before the column existed
    session_id, _ = start_pack(app, number)
    before = utcnow()
    app.packing.cancel(sign_in(app, "packer"), session_id)
    status, stamped = order_row(db, number)
    assert status == "ready" and stamped is not None and before <= stamped <= utcnow()


def test_a_failed_pack_attempt_is_not_time_to_ready_in_the_report(seeded_database: Database) -> None:
    db = seeded_database
    set_demo_orders_aside(db)
    app = app_for(db)
    number = ready(app, DAY)
    stamp(db, number, received=local(DAY, 8), ready_at=local(DAY, 8, 10))
    session_id, _ = start_pack(app, number)  # the first attempt, given back
    app.packing.cancel(sign_in(app, "packer"), session_id, "over-scan")
    session_id, grams = start_pack(app, number)
    app.shipping.ship(sign_in(app, "packer"), session_id, Weighing(grams))
    stamp(db, number, packed=local(DAY, 11), shipped=local(DAY, 12))
    at_noon = reports_app(db, local(DAY, 13))
    in_chicago(at_noon)
    report = at_noon.reports.sla(sign_in(at_noon, "manager"), Period.day(DAY, CHICAGO))
    ready_step, packed_step = report.step("ready"), report.step("packed")
    assert (ready_step.count, ready_step.median_min) == (1, 10.0)  # 08:00 → 08:10, not → the cancel
    assert (packed_step.count, packed_step.median_min) == (1, 170.0)  # 08:10 → 11:00, the failed attempt in it
