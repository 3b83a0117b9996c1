"""The Reports screen while the site's time zone was never set (pytest-qt, offscreen, both
engines): the Dashboard and Reports tabs each say in amber whose days they show ("Time zone not
set: days are <zone> days (this PC's). Set it in Site settings → Reports."); once an owner sets
the zone, the next load hides the line. Site settings → Reports shows this PC's zone and says
it is not set until an owner saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from fulfilstation.services.reports import ReportSettings
from tests.support.app import app_for, sign_in
from tests.support.machine_zone import pretend_machine_zone
from tests.support.station_window import WAIT_MS
from tests.ui.test_report_settings_ui import reports_page, save
from tests.ui.test_reports_screen import PACKERS, Asked, Board, Constructed, board_query, section_query
from ui.reports import ReportsScreen
from ui.reports.screen import DASHBOARD_TAB, REPORTS_TAB
from ui.reports.sections import Section

NOTICE = "Time zone not set: days are Australia/Perth days (this PC's). Set it in Site settings → Reports."


def test_both_tabs_say_the_zone_is_not_set_until_it_is(qtbot: QtBot, seeded_database: Database, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_machine_zone(monkeypatch, tmp_path, "Australia/Perth", "EST5EDT,M3.2.0,M11.1.0")  # a POSIX rule in TZ
    app = app_for(seeded_database)
    asked = Asked()
    screen = ReportsScreen(app, sections={"packers": Section("Packers", section_query(asked, Constructed(
        "Packers", (PACKERS,))))}, dashboard=board_query(asked, Board("Today")))
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    screen.resize(1000, 700)
    screen.show()
    screen.shown()
    board = screen.dashboard
    qtbot.waitUntil(lambda: board.loads == 1 and not board.loading, timeout=WAIT_MS)
    assert board.zone_notice.isVisible() and board.zone_notice.text() == NOTICE
    screen.tabs.setCurrentIndex(REPORTS_TAB)
    tab = screen.reports
    qtbot.waitUntil(lambda: tab.view.tables != [] and not tab.loading, timeout=WAIT_MS)
    assert tab.zone_notice.isVisible() and tab.zone_notice.text() == NOTICE
    assert asked.periods[-1].zone.key == "Australia/Perth"

    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="Australia/Perth"))
    tab.load()
    qtbot.waitUntil(lambda: len(asked.periods) == 2 and not tab.loading, timeout=WAIT_MS)
    assert not tab.zone_notice.isVisible()
    screen.tabs.setCurrentIndex(DASHBOARD_TAB)
    board.load()
    qtbot.waitUntil(lambda: board.loads >= 2 and not board.loading, timeout=WAIT_MS)
    assert not board.zone_notice.isVisible()


def test_the_settings_page_says_the_zone_is_not_set_until_saved(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    page = reports_page(qtbot, app, sign_in(app, "owner"))
    zone = app.reports.settings().time_zone  # this PC's
    assert page.zone.currentText() == zone
    assert page.message.text() == (f"The time zone is not set: the reports count {zone} days, this PC's. Choose "
                                   "the site's zone and Save.")
    assert save(qtbot, page).startswith(f"Saved: the site's days are {zone} days")
    assert app.reports.zone_notice() == ""
    again = reports_page(qtbot, app, sign_in(app, "owner"))
    assert again.message.text() == ""
