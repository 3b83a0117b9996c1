"""Tracking's exceptions on the dashboard and the on-time delivery rate of the service-level
report, on SQLite and PostgreSQL: shipments tracked through the EasyPost stub, then the
figures asked as a manager asks them."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.reports import ReportSettings
from fulfilstation.services.tracking.views import DELIVERED_LATE, NO_MOVEMENT, RETURNED
from tests.support.app import sign_in
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.shop_channel import ManualClock
from tests.support.tracking import iso, shipment_made, tracking_app

DAY = dt.timedelta(days=1)


def test_each_exception_kind_and_the_on_time_delivery_rate(seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    now = clock.now()
    account = add_easypost_account(db, stub, price_minor=500)  # zone 5 everywhere, 2 business days in transit
    returned_id, returned = shipment_made(db, account, now - 6 * DAY)
    stub.scan(returned, "in_transit", iso(now - 5 * DAY))
    stub.scan(returned, "return_to_sender", iso(now - DAY), message="Returned to sender: refused")
    stalled_id, stalled = shipment_made(db, account, now - 5 * DAY)
    stub.scan(stalled, "in_transit", iso(now - 4 * DAY))
    unscanned_id, _unscanned = shipment_made(db, account, now - 4 * DAY)  # the carrier never saw it
    late_id, late = shipment_made(db, account, now - 6 * DAY, deliver_by=(now - 3 * DAY).date())
    stub.scan(late, "delivered", iso(now - 2 * DAY))
    on_time_id, on_time = shipment_made(db, account, now - 3 * DAY)  # promised: 2 business days later
    stub.scan(on_time, "delivered", iso(now - 3 * DAY + dt.timedelta(hours=20)))
    moving_id, moving = shipment_made(db, account, now - DAY)
    stub.scan(moving, "in_transit", iso(now - dt.timedelta(hours=2)))

    app = tracking_app(db, clock)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    app.reports.set_settings(owner, ReportSettings(time_zone="UTC"))
    done = app.tracking.poll(manager)
    assert (done.asked, done.delivered, done.errors) == (6, 2, ())

    board = app.reports.dashboard(manager)
    counts = {e.key: (e.count, e.screen, e.filter) for e in board.exceptions}
    assert counts["returned_to_sender"] == (1, "shipments", RETURNED)
    assert counts["no_movement"] == (2, "shipments", NO_MOVEMENT)
    assert counts["delivered_late"] == (1, "shipments", DELIVERED_LATE)
    kinds = {(p.kind, p.shipment_id) for p in app.tracking.problems()}
    assert kinds == {(RETURNED, returned_id), (NO_MOVEMENT, stalled_id), (NO_MOVEMENT, unscanned_id),
                     (DELIVERED_LATE, late_id)}
    assert moving_id not in {shipment for _kind, shipment in kinds}
    assert on_time_id not in {shipment for _kind, shipment in kinds}

    report = app.reports.sla(manager, app.reports.period(now.date() - 6 * DAY, now.date()))
    assert report.delivery is not None
    assert (report.delivery.rated, report.delivery.on_time, report.delivery.late) == (2, 1, 1)
    assert report.delivery.rate_pct == pytest.approx(50.0)
    table = report.tables()[-1]
    assert table.title == "On-time delivery" and table.rows[0][1:] == (2, 1, 1, pytest.approx(50.0), 0)
    assert "promised day" in (table.note or "")


def test_a_delivery_without_a_promise_is_counted_apart(seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    now = clock.now()
    account = add_easypost_account(db, stub)  # no rate table: no transit days, no promise
    _id, number = shipment_made(db, account, now - 2 * DAY)
    stub.scan(number, "delivered", iso(now - DAY))
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="UTC"))
    assert app.tracking.poll(manager).delivered == 1
    report = app.reports.sla(manager, app.reports.period(now.date() - 6 * DAY, now.date()))
    assert report.delivery is not None
    assert (report.delivery.rated, report.delivery.without_promise, report.delivery.rate_pct) == (0, 1, None)
    assert app.tracking.problems() == []
