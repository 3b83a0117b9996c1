"""The window's part in "a dead station doesn't strand an order" (issue #10, point 4).

The station's heartbeat keeps its open pack alive; a pack left by a station silent for 2
minutes is taken over by scanning its order here, its scans shown; a station that lost its
pack (taken over, released by a manager) learns it at its next heartbeat."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import PackSession
from fulfilstation.services.packing import Weighing
from tests.support.app import app_for, sign_in
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import make_order, unit_barcode


def silent_for(db: Database, session_id: int, minutes: float) -> None:
    with db.unit_of_work() as session:
        session.execute(update(PackSession).where(PackSession.id == session_id)
                        .values(heard_at=utcnow() - dt.timedelta(minutes=minutes)))


def heard_at(db: Database, session_id: int) -> dt.datetime | None:
    with db.unit_of_work() as session:
        return session.get_one(PackSession, session_id).heard_at


def test_scanning_a_dead_stations_order_takes_it_over_with_its_scans(qtbot: QtBot, seeded_database: Database,
                                                                     printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 2)])
    dead = app_for(db, station="BENCH-DEAD")
    packer = sign_in(dead, "packer2")
    view = dead.packing.start(packer, number)
    dead.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-CER-350"))
    silent_for(db, view.session_id, 3)
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    text, tone = station.scan(number)
    assert tone == "warn" and "Taken over from station BENCH-DEAD" in text and "its 1 scan is kept" in text
    assert station.scanned() == [1]
    assert station.scan(unit_barcode(db, "MUG-CER-350"))[1] == "ok"  # the second mug, not "too many"


def test_the_heartbeat_keeps_the_pack_and_learns_when_it_is_lost(qtbot: QtBot, seeded_database: Database,
                                                                 printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 2)])
    station = Station(qtbot, db, printer.uri)
    assert station.controller.heartbeat.isActive() and station.controller.heartbeat.interval() == 30_000
    station.log_in("packer", "1111")
    station.scan(number)
    view = station.controller.view
    assert view is not None
    silent_for(db, view.session_id, 1.5)
    station.controller.beat()
    qtbot.waitUntil(lambda: (heard_at(db, view.session_id) or utcnow()) > utcnow() - dt.timedelta(seconds=30),
                    timeout=WAIT_MS)
    manager_app = app_for(db)
    manager_app.orders.release_pack_session(sign_in(manager_app, "manager"), number, "testing")
    before = len(station.messages)
    station.controller.beat()
    text, tone = station.said(before + 1)
    assert tone == "warn" and f"The pack of {number} is no longer open at this station" in text
    assert station.controller.view is None


def test_labels_printed_while_the_database_was_away_are_recorded_by_the_window(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    from tests.db.test_after_commit import Outage, packed, printing_app, shipment_of
    from tests.support.warehouse import expected_weight

    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.print_state = True
    assert app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).database_lost
    outage.print_state = False
    printer.wait_for_jobs(1)
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    before = len(station.messages)
    station.controller.beat()  # the heartbeat timer's tick
    assert station.said(before + 1) == ("The database is back: 1 label printed while it was away is now recorded.",
                                        "info")
    assert shipment_of(db, number).status == "printed" and len(printer.jobs) == 1
