"""Report settings and weight overrides in the window (offscreen, both engines).

* Site settings → Reports: an owner picks the time zone from the searchable list, sets a
  step's target, the labour rate in dollars and the currency, and saves (off the GUI thread;
  stored in minor units); an unknown currency and a rate above the ceiling are refused in the
  use case's words and nothing changes; a manager's save is refused and the window does not
  offer them the dialog.
* The dashboard's "Weight overrides today" opens the Shipments screen's list of the packages a
  manager accepted: order, package, measured and expected, who and why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.reports import ReportSettings
from tests.support.app import app_for, sign_in
from tests.support.report_history import ready, ship
from tests.support.station_window import WAIT_MS, Station
from ui.report_settings_page import ReportSettingsPage
from ui.reports import ReportsScreen
from ui.shipments import ShipmentsScreen
from ui.shipments.screen import OVERRIDES
from ui.shipments.weight_overrides_view import HEADERS
from ui.site_settings_dialog import SiteSettingsDialog


def reports_page(qtbot: QtBot, app: AppServices, actor: Actor) -> ReportSettingsPage:
    dialog = SiteSettingsDialog(app, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.reports)
    page = dialog.reports
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=WAIT_MS)
    return page


def save(qtbot: QtBot, page: ReportSettingsPage) -> str:
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.save_button.isEnabled() and "Saving" not in page.message.text(), timeout=WAIT_MS)
    return page.message.text()


def test_an_owner_sets_the_reports_zone_targets_rate_and_currency(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    page = reports_page(qtbot, app, owner)
    typed, completer = page.zone.lineEdit(), page.zone.completer()
    assert typed is not None and completer is not None
    page.zone.setFocus()
    typed.selectAll()
    qtbot.keyClicks(typed, "chicago")  # the list narrows to the zones containing it
    assert completer.completionCount() == 1 and completer.currentCompletion() == "America/Chicago"
    page.zone.setCurrentText(completer.currentCompletion())
    page.targets["ready"].setValue(20)
    page.rate.setText("18.50")
    page.currency.setCurrentText("eur")
    assert save(qtbot, page) == ("Saved: the site's days are America/Chicago days; packing labour €18.50 an "
                                 "hour.")
    stored = app.reports.settings()
    assert (stored.time_zone, stored.targets["ready"], stored.labour_rate_minor, stored.currency) == (
        "America/Chicago", 20, 1850, "EUR")
    assert page.currency.currentText() == "EUR" and page.rate.text() == "18.50"


def test_a_bad_currency_or_rate_is_refused_in_words_and_nothing_changes(qtbot: QtBot,
                                                                        seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    before = app.reports.set_settings(owner, ReportSettings(time_zone="UTC", labour_rate_minor=1850))
    page = reports_page(qtbot, app, owner)
    assert page.rate.text() == "18.50" and page.currency.currentText() == "USD"
    page.currency.setCurrentText("ABC")
    assert save(qtbot, page) == ("ABC is not a currency: write its three-letter ISO 4217 code, such as USD, "
                                 "EUR or GBP.")
    page.currency.setCurrentText("USD")
    page.rate.setText("1850")  # cents typed as dollars
    assert save(qtbot, page) == ("A labour rate of $1,850.00 an hour is more than the $1,000.00 taken: write the "
                                 "rate per hour in whole units of the currency, such as 18.50.")
    page.rate.setText("eighteen")
    assert save(qtbot, page) == "'eighteen' is not an amount per hour: write it like 18.50."
    assert app.reports.settings() == before


def test_a_manager_is_not_offered_the_settings_and_cannot_save_them(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    app = app_for(seeded_database)
    page = reports_page(qtbot, app, sign_in(app, "manager"))
    page.rate.setText("99")
    assert save(qtbot, page) == ("Morgan Manager is a manager: only an owner can change the site settings. "
                                 "Ask one to do it, or to sign in here.")
    assert app.reports.settings().labour_rate_minor == 0
    station = Station(qtbot, seeded_database, printer.uri)
    station.log_in("manager", "2222")
    assert not station.window.site_settings_action.isVisible()
    assert station.scan("FS:LOGOUT")[1] == "info"
    station.log_in("owner", "3333")
    assert station.window.site_settings_action.isVisible()


def test_the_dashboards_weight_overrides_open_the_list_of_accepted_weights(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    accepted, plain = ready(app, None), ready(app, None)
    ship(app, accepted, override=manager)  # 5 kg over, accepted by Morgan Manager: "Scale test"
    ship(app, plain)
    station = Station(qtbot, seeded_database, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    reports = window.screens["reports"]
    assert isinstance(reports, ReportsScreen)
    window.show_screen("reports")
    dashboard = reports.dashboard
    qtbot.waitUntil(lambda: dashboard.dashboard is not None and not dashboard.loading, timeout=WAIT_MS)
    items = [dashboard.exceptions.item(row) for row in range(dashboard.exceptions.count())]
    overrides = next(item for item in items if item.text().startswith("Weight overrides today"))
    assert overrides.text() == "Weight overrides today: 1"
    qtbot.mouseClick(dashboard.exceptions.viewport(), Qt.MouseButton.LeftButton,
                     pos=dashboard.exceptions.visualItemRect(overrides).center())
    shipments = window.screens["shipments"]
    assert isinstance(shipments, ShipmentsScreen)
    assert window.stack.currentWidget() is shipments and shipments.tabs.currentIndex() == OVERRIDES
    listing = shipments.overrides
    assert shipments.pages.currentWidget() is listing and listing.period.currentText() == "Today"
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1, timeout=WAIT_MS)
    row = {header: str(listing.proxy.index(0, column).data()) for column, header in enumerate(HEADERS)}
    assert (row["Package"], row["By"], row["Reason"]) == (f"{accepted} / 1", "Morgan Manager",
                                                                           "Scale test")
    assert row["Measured"] != row["Expected"] and " heavy. Accepted by Morgan Manager " in listing.detail.text()
    assert f"Order {accepted}, package 1" in listing.detail.text() and "Scale test" in listing.detail.text()
    assert not shipments.reprint_button.isEnabled() and not shipments.void_button.isEnabled()
    shipments.search_box.setText(plain)
    shipments.search_now()  # the search narrows the list: the plain order has no override
    qtbot.waitUntil(lambda: listing.model.rowCount() == 0 and "No weight" in listing.found.text(), timeout=WAIT_MS)
