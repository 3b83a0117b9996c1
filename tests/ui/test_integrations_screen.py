"""The Integrations screen (offscreen, both engines): a failed push shows with its error and
Retry queues it again; late tracking is flagged; the schedule runs a round off the GUI
thread for a manager and shows what it did; a packer never gets the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import OutboxMessage
from fulfilstation.integrations.ports import ChannelError
from tests.support.app import sign_in
from tests.support.outbox import add_shop, ship_order
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.station_window import WAIT_MS
from ui.integrations import IntegrationsScreen


def _status(database: Database, message_id: int) -> str:
    with database.unit_of_work() as session:
        return str(session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id)))


@pytest.fixture
def shop() -> RecordingShop:
    return RecordingShop()


def test_a_failed_push_is_listed_with_its_error_and_retried(qtbot: QtBot, seeded_database: Database,
                                                            shop: RecordingShop) -> None:
    clock = ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    app.integrations.sync(manager)  # synced just now: the channel itself is no problem
    shop.fail_next(ChannelError("The order is not in the shop (404)", retryable=False, status=404))
    app.integrations.deliver(manager)
    (failed,) = app.integrations.problems().failed

    screen = IntegrationsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(manager)
    screen.schedule.timer.stop()  # this test runs the rounds itself
    screen.refresh()
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 1 and screen.channels.rowCount() == 1, timeout=WAIT_MS)
    row = screen.problems.row(0)
    assert (row.kind, row.message_id, row.channel, row.error) == ("Failed push", failed.id, "test",
                                                                  "The order is not in the shop (404)")
    assert screen.channels.row(0).failed_pushes == 1 and not screen.late_flag.isVisibleTo(screen)
    assert not screen.retry_button.isEnabled()
    screen.problem_table.selectRow(0)
    assert screen.retry_button.isEnabled()
    qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 0, timeout=WAIT_MS)
    assert _status(seeded_database, failed.id) == "pending"
    assert f"Push #{failed.id} is queued again" in screen.status.text()

    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)  # a round, in the background
    qtbot.waitUntil(lambda: screen.last_round.text().startswith("Last sync"), timeout=WAIT_MS)
    assert "1 push delivered" in screen.last_round.text()
    assert _status(seeded_database, failed.id) == "delivered"


def test_tracking_late_by_24_hours_is_flagged(qtbot: QtBot, seeded_database: Database, shop: RecordingShop) -> None:
    clock = ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, _shipment = ship_order(app, [("MUG-CER-350", 1)])
    clock.advance(dt.timedelta(hours=25).total_seconds())
    screen = IntegrationsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "owner"))
    screen.schedule.timer.stop()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 2, timeout=WAIT_MS)
    rows = {screen.problems.row(n).kind: screen.problems.row(n) for n in range(2)}
    assert rows["Tracking late"].order == number
    assert rows["Sync failing"].channel == "test" and "never synced" in rows["Sync failing"].error  # nobody synced
    assert screen.late_flag.isVisibleTo(screen) and "1 shipped order" in screen.late_flag.text()
    assert "test: never synced since it was added" in screen.late_flag.text()


def test_a_failing_sync_shows_its_error_and_retry_all_queues_every_failed_push(
        qtbot: QtBot, seeded_database: Database, shop: RecordingShop) -> None:
    clock = ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    ship_order(app, [("MUG-CER-350", 1)])
    ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    shop.fail_next(ChannelError("The shop refused token=shpat_0123456789abcdef", retryable=False),
                   ChannelError("Not in the shop", retryable=False, status=404),
                   ChannelError("Not in the shop", retryable=False, status=404))
    app.integrations.run_round(manager)
    assert len(app.integrations.problems().failed) == 2

    screen = IntegrationsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(manager)
    screen.schedule.timer.stop()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 3, timeout=WAIT_MS)
    channel = screen.channels.row(0)
    assert channel.last_error == "The shop refused token=[hidden]"  # never the secret
    assert screen.problems.row(0).kind == "Sync failing" and "The shop refused" in screen.problems.row(0).error
    assert "test: the last sync failed: The shop refused" in screen.late_flag.text()
    assert screen.retry_all_button.isEnabled()
    qtbot.mouseClick(screen.retry_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 1, timeout=WAIT_MS)
    assert "2 failed pushes are queued again" in screen.status.text()
    assert not screen.retry_all_button.isEnabled()

    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)  # this round goes through: the error is gone
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 0 and screen.channels.row(0).last_error is None,
                    timeout=WAIT_MS)
    assert "2 pushes delivered" in screen.last_round.text() and not screen.late_flag.isVisibleTo(screen)


def test_the_schedule_runs_only_for_someone_who_may_sync(qtbot: QtBot, seeded_database: Database,
                                                         shop: RecordingShop) -> None:
    app = shop_app(seeded_database, shop, ManualClock())
    screen = IntegrationsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    assert not screen.schedule.timer.isActive() and not screen.sync_button.isEnabled()
    screen.set_actor(sign_in(app, "manager"))
    assert screen.schedule.timer.isActive() and screen.schedule.timer.interval() == 30_000
    screen.schedule.run_now()  # no shop channel yet: nothing to do
    qtbot.waitUntil(lambda: screen.last_round.text() == "No active shop channel: nothing to sync.", timeout=WAIT_MS)
    assert shop.calls == []
    screen.set_actor(None)
    assert not screen.schedule.timer.isActive()
