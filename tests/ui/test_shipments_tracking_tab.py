"""The Shipments screen's Tracking tab (offscreen, both engines): the dashboard's tracking
exceptions open it narrowed to their kind, the rows are the poller's findings, and Reprint
and Void are off there."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from tests.support.app import sign_in
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.shop_channel import ManualClock
from tests.support.station_window import WAIT_MS
from tests.support.tracking import iso, shipment_made, tracking_app
from ui.shipments import ShipmentsScreen
from ui.shipments.screen import TRACKING
from ui.shipments.tracking_view import COLUMNS

DAY = dt.timedelta(days=1)


def texts(screen: ShipmentsScreen, header: str) -> list[str]:
    model, column = screen.tracking.table.model(), [c.header for c in COLUMNS].index(header)
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def test_the_dashboards_tracking_exceptions_open_their_list(qtbot: QtBot, seeded_database: Database,
                                                            stub: EasyPostStub) -> None:
    db, clock = seeded_database, ManualClock()
    now = clock.now()
    account = add_easypost_account(db, stub)
    _r, returned = shipment_made(db, account, now - 6 * DAY)
    stub.scan(returned, "return_to_sender", iso(now - DAY))
    _s, stalled = shipment_made(db, account, now - 5 * DAY)
    stub.scan(stalled, "in_transit", iso(now - 4 * DAY))
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    assert app.tracking.poll(manager).asked == 2

    screen = ShipmentsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(manager)
    screen.show_filter("no-movement")
    screen.shown()
    assert screen.tabs.currentIndex() == TRACKING and screen.pages.currentWidget() is screen.tracking
    qtbot.waitUntil(lambda: texts(screen, "Tracking") == [stalled], timeout=WAIT_MS)
    assert texts(screen, "Exception") == ["No carrier movement for 3 days"]
    assert stalled in screen.tracking.detail.text() and screen.selected() is None
    assert not screen.reprint_button.isEnabled() and not screen.void_button.isEnabled()

    screen.show_filter("returned")
    screen.refresh()
    qtbot.waitUntil(lambda: texts(screen, "Tracking") == [returned], timeout=WAIT_MS)
    screen.tracking.show_kind(None)
    screen.refresh()
    qtbot.waitUntil(lambda: sorted(texts(screen, "Tracking")) == sorted([returned, stalled]), timeout=WAIT_MS)
    screen.search_box.setText(returned[-6:])
    screen.search_now()
    qtbot.waitUntil(lambda: texts(screen, "Tracking") == [returned], timeout=WAIT_MS)
