"""Site settings → Customs in the window (offscreen, both engines): an owner picks the contents
type and incoterm, types the signer and the CN22 limit, and saves (off the GUI thread; stored
in minor units, audited); a limit that is not an amount is caught on the page and nothing is
stored; a manager's save is refused in the use case's words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.site import CustomsTerms
from tests.support.app import app_for, sign_in
from tests.support.station_window import WAIT_MS
from ui.customs_settings_page import CustomsSettingsPage
from ui.site_settings_dialog import SiteSettingsDialog


def customs_page(qtbot: QtBot, app: AppServices, actor: Actor) -> CustomsSettingsPage:
    dialog = SiteSettingsDialog(app, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.customs)
    page = dialog.customs
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=WAIT_MS)
    return page


def save(qtbot: QtBot, page: CustomsSettingsPage) -> str:
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.save_button.isEnabled() and "Saving" not in page.message.text(), timeout=WAIT_MS)
    return page.message.text()


def test_an_owner_sets_the_customs_terms(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    page = customs_page(qtbot, app, sign_in(app, "owner"))
    assert (page.contents.currentText(), page.incoterm.currentText(), page.limit.text(),
            page.currency.currentText()) == ("merchandise", "DDU", "400.00", "USD")
    page.contents.setCurrentText("gift")
    page.incoterm.setCurrentText("DDP")
    page.signer.setText("Olive Owner")
    page.limit.setText("four hundred")
    assert page.wanted() is None and "is not an amount" in page.message.text()
    page.limit.setText("350")
    page.currency.setCurrentText("eur")
    assert save(qtbot, page) == "Saved: gift, DDP; CN22 up to €350.00."
    assert app.site.customs() == CustomsTerms("gift", "DDP", "Olive Owner", 35_000, "EUR")


def test_a_managers_save_is_refused_in_words(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    page = customs_page(qtbot, app, sign_in(app, "manager"))
    page.incoterm.setCurrentText("DAP")
    assert "can change the site settings" in save(qtbot, page)
    assert app.site.customs() == CustomsTerms()
