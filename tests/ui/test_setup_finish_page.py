"""The set-up assistant's last page: it fits a small screen (a check box's text does not
wrap, and the demo's long one made the wizard wider than 1280 px on that page), says why
the demo cannot be added on a site's database, and warns when a device is simulated."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from drivers.toolkit import DriverToolkit
from fulfilstation.services.setup import StationSetup
from ui.setup_assistant import SetupAssistant
from ui.setup_assistant.finish_page import DEMO_NOTE, FinishPage


def test_the_page_fits_a_small_screen_and_says_why_the_demo_is_off(qtbot: QtBot) -> None:
    page = FinishPage()
    qtbot.addWidget(page)
    page.prepare("Station PACK1 on this PC's embedded database.", one_pc=True)
    assert page.minimumSizeHint().width() < 800
    assert page.demo.isEnabled() and page.demo_note.text() == DEMO_NOTE
    page.demo.setChecked(True)
    page.prepare("Station PACK1 on postgresql://pack1@db/fulfil.", one_pc=False)
    assert not page.demo.isEnabled() and not page.demo.isChecked()
    assert page.demo_note.text().startswith("Only on this PC's own database")


def test_the_summary_names_the_simulated_devices(qtbot: QtBot) -> None:
    wizard = SetupAssistant(StationSetup(DriverToolkit()))
    qtbot.addWidget(wizard)
    devices = wizard.devices_page
    devices.scanner_row.combo.setEditText("wedge:")
    devices.scale_row.combo.setEditText("sim:?weight=1250g")
    devices.label_row.combo.setEditText("sim:")
    devices.document_row.combo.setEditText("")
    summary = wizard._summary()
    assert "Simulated (a demo or training" in summary and "the scale and the label printer." in summary
    devices.scale_row.combo.setEditText("hid://0922:8003")
    devices.label_row.combo.setEditText("tcp://10.0.0.7:9100")
    assert "Simulated" not in wizard._summary()
