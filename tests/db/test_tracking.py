"""The tracking poller (issue #17, point 6) on SQLite and PostgreSQL, against the local
EasyPost stub's Tracker API: scans recorded once however often it polls, the delivered state
and date, a carrier's failure said and not raised, and each shipment asked once per interval
when two stations poll at once."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Shipment, TrackingEvent
from fulfilstation.services.tracking.due import TRACK_EVERY
from tests.support.app import sign_in
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.shop_channel import ManualClock
from tests.support.tracking import iso, shipment_made, tracking_app

HOUR = TRACK_EVERY.total_seconds()


def _events(db: Database, shipment_id: int) -> list[tuple[str, str]]:
    with db.unit_of_work() as session:
        return [(e.code, e.description) for e in session.scalars(
            select(TrackingEvent).where(TrackingEvent.shipment_id == shipment_id).order_by(TrackingEvent.occurred_at))]


def _shipment(db: Database, shipment_id: int) -> Shipment:
    with db.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        assert shipment is not None
        return shipment


def test_scans_are_recorded_once_however_often_the_poller_asks(seeded_database: Database,
                                                               stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    made = clock.now() - dt.timedelta(hours=5)
    shipment_id, number = shipment_made(db, account, made)
    stub.scan(number, "pre_transit", iso(made), message="Shipping label created")
    stub.scan(number, "in_transit", iso(made + dt.timedelta(hours=3)), detail="arrived_at_facility",
              city="Chicago", state="IL")
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")

    first = app.tracking.poll(manager)
    assert (first.asked, first.events_added, first.updated, first.errors) == (1, 2, 1, ())
    assert _events(db, shipment_id) == [("pre_transit/status_update", "Shipping label created"),
                                        ("in_transit/arrived_at_facility", "In transit")]
    recorded = _shipment(db, shipment_id)
    assert (recorded.tracking_state, recorded.last_event_at) == ("in-transit", made + dt.timedelta(hours=3))
    assert recorded.tracked_at == clock.now()

    assert app.tracking.poll(manager).asked == 0  # asked within the hour: not again
    clock.advance(HOUR + 1)
    again = app.tracking.poll(manager)
    assert (again.asked, again.events_added, again.updated) == (1, 0, 0)  # the same scans: nothing added
    assert len(_events(db, shipment_id)) == 2

    stub.scan(number, "out_for_delivery", iso(made + dt.timedelta(hours=20)))
    clock.advance(HOUR + 1)
    assert app.tracking.poll(manager).events_added == 1
    assert _shipment(db, shipment_id).tracking_state == "out-for-delivery"
    shown = app.tracking.show(number)
    assert [e.code for e in shown.events][0] == "out_for_delivery/status_update"  # newest first
    assert shown.events[-1].location is None and shown.events[1].location == "Chicago, IL"


def test_delivery_is_recorded_with_its_date_and_the_shipment_is_no_longer_asked(seeded_database: Database,
                                                                                 stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    made = clock.now() - dt.timedelta(days=2)
    shipment_id, number = shipment_made(db, account, made)
    delivered = made + dt.timedelta(days=1, hours=6)
    stub.scan(number, "in_transit", iso(made + dt.timedelta(hours=2)))
    stub.scan(number, "delivered", iso(delivered), detail="arrived_at_destination", message="Delivered, Front Door")
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    done = app.tracking.poll(manager)
    assert (done.delivered, done.events_added) == (1, 2)
    recorded = _shipment(db, shipment_id)
    assert (recorded.tracking_state, recorded.delivered_at) == ("delivered", delivered)
    clock.advance(HOUR * 5)
    assert app.tracking.poll(manager).asked == 0  # delivered: never asked again
    assert stub.count("tracker") == 1
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "tracking.polled")).one()
        assert audit.details["delivered"] == 1 and audit.user_id == manager.user_id


def test_voided_and_old_shipments_are_not_asked(seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    _voided, voided_number = shipment_made(db, account, clock.now() - dt.timedelta(hours=3), status="voided")
    _old, old_number = shipment_made(db, account, clock.now() - dt.timedelta(days=90))
    for number in (voided_number, old_number):
        stub.scan(number, "in_transit", iso(clock.now() - dt.timedelta(hours=1)))
    app = tracking_app(db, clock)
    assert app.tracking.poll(sign_in(app, "manager")).asked == 0
    assert stub.count("tracker") == 0


def test_a_carrier_failure_is_said_not_raised_and_the_shipment_is_asked_again_later(
        seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    shipment_id, number = shipment_made(db, account, clock.now() - dt.timedelta(hours=5))
    stub.scan(number, "in_transit", iso(clock.now() - dt.timedelta(hours=1)))
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")

    stub.fail("tracker", 500, "INTERNAL_SERVER_ERROR", "Something went wrong on our end.")
    failed = app.tracking.poll(manager)
    assert failed.asked == 1 and len(failed.errors) == 1 and "EasyPost has a problem" in failed.errors[0]
    assert _events(db, shipment_id) == []

    clock.advance(HOUR + 1)
    stub.malformed("tracker")
    malformed = app.tracking.poll(manager)
    assert len(malformed.errors) == 1 and "not what was asked for" in malformed.errors[0]

    clock.advance(HOUR + 1)
    stub.delay("tracker", 1.5)  # past the account's 1 s timeout
    late = app.tracking.poll(manager)
    assert len(late.errors) == 1 and "did not answer within 1 s" in late.errors[0]

    clock.advance(HOUR + 1)
    assert app.tracking.poll(manager).events_added == 1  # the carrier is back: recorded once
    with db.unit_of_work() as session:
        errors = [e.details["errors"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "tracking.polled").order_by(AuditEntry.id))]
    assert [len(e) for e in errors] == [1, 1, 1, 0]


def test_a_number_the_carrier_does_not_know_is_left_out_and_others_recorded(seeded_database: Database,
                                                                            stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    _unknown, _ = shipment_made(db, account, clock.now() - dt.timedelta(hours=5))
    known_id, known = shipment_made(db, account, clock.now() - dt.timedelta(hours=5))
    stub.scan(known, "in_transit", iso(clock.now() - dt.timedelta(hours=1)))
    app = tracking_app(db, clock)
    done = app.tracking.poll(sign_in(app, "manager"))
    assert (done.asked, done.errors, done.events_added) == (2, (), 1)
    assert done.accounts[0].answered == 1
    assert _shipment(db, known_id).tracking_state == "in-transit"


def test_a_missing_api_key_is_said_for_that_account(seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    shipment_made(db, account, clock.now() - dt.timedelta(hours=5))
    from fulfilstation.credentials import SecretStore
    from tests.support.easypost_account import KEYRING_NAME
    SecretStore().delete(KEYRING_NAME)
    app = tracking_app(db, clock)
    done = app.tracking.poll(sign_in(app, "manager"))
    assert len(done.errors) == 1 and "No EasyPost API key is stored" in done.errors[0]


def test_two_stations_polling_at_once_ask_each_shipment_once(seeded_database: Database, stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_easypost_account(db, stub)
    numbers = []
    for _ in range(6):
        _id, number = shipment_made(db, account, clock.now() - dt.timedelta(hours=5))
        stub.scan(number, "in_transit", iso(clock.now() - dt.timedelta(hours=1)))
        numbers.append(number)
    apps = [tracking_app(db, clock, station=f"PACK-{n}") for n in (1, 2)]
    actors = [sign_in(app, "manager") for app in apps]
    start = threading.Barrier(2)
    results = []

    def run(index: int) -> None:
        start.wait()
        results.append(apps[index].tracking.poll(actors[index]))

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.asked for r in results) == 6 and all(not r.errors for r in results)
    assert stub.count("tracker") == 6
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(TrackingEvent)) == 6
