"""Changes reach every open window without polling (both engines): what another station
commits reloads this window's views within 2 s (PostgreSQL LISTEN/NOTIFY, the SQLite
change counter), and what this window's own use cases change reloads them too."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.app import app_for, sign_in
from tests.support.station_window import Station

WITHIN_MS = 2_000


def queued(station: Station) -> list[str]:
    model = station.window.queue_model
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def ready_count(station: Station) -> int:
    return int(station.window.counts.text().split(" ready")[0].replace(",", ""))


def test_another_stations_claim_reaches_this_window_within_two_seconds(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    assert station.log_in("manager", "2222")[1] == "ok"
    qtbot.waitUntil(lambda: window.counts.text().endswith("shipped"), timeout=5_000)
    assert window.context.listener is not None and window.context.listener.wait_listening(5)
    before = ready_count(station)
    other = Database.connect(seeded_database.engine.url)  # another station: its own engine
    try:
        elsewhere = app_for(other, station="PACK-ELSEWHERE")
        packer = sign_in(elsewhere, "packer2")
        started = time.monotonic()
        with qtbot.waitSignal(window.changes_applied, timeout=WITHIN_MS,  # a sign-in's own change may come first
                              check_params_cb=lambda tables: "orders" in tables) as applied:
            elsewhere.packing.next_order(packer)
        assert "orders" in applied.args[0] and time.monotonic() - started < WITHIN_MS / 1000
        qtbot.waitUntil(lambda: ready_count(station) == before - 1, timeout=WITHIN_MS)
    finally:
        other.dispose()


def test_this_windows_own_use_cases_reload_its_views(qtbot: QtBot, seeded_database: Database,
                                                     printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    assert station.log_in("owner", "3333")[1] == "ok"
    qtbot.waitUntil(lambda: window.queue_model.rowCount() > 0, timeout=5_000)
    listed = queued(station)
    number = listed[0]  # held orders are listed last
    app = window.context.app
    with qtbot.waitSignal(window.changes_applied, timeout=WITHIN_MS) as applied:
        app.packing.start(sign_in(app, "owner", station="DESK"), number)  # a use case of this window's app
    assert "pack_sessions" in applied.args[0]
    qtbot.waitUntil(lambda: number not in queued(station), timeout=WITHIN_MS)
    assert len(queued(station)) == len(listed) - 1
