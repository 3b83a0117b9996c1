"""After the first-run assistant, what the set-up warned about (here a label printer that
does not answer) is said over the station window: the assistant closes as soon as the
settings are written, so its own report is never seen."""

from __future__ import annotations

import argparse

from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

import main
from drivers.toolkit import DriverToolkit
from fulfilstation.services.setup import StationSetup
from ui.app import Launcher
from ui.setup_assistant.wizard import DEVICES, FINISH, STATION

GUI_ARGS = argparse.Namespace(db=None, demo=False, fullscreen=False, verbose=False)  # as the settings say
SILENT_PRINTER = "tcp://127.0.0.1:1"  # nothing listens on port 1: refused at once


def test_the_sets_ups_warnings_are_shown_over_the_station_window(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    launcher = Launcher(app, lambda prompt: main.bootstrap(GUI_ARGS, prompt), False,
                        setup=StationSetup(DriverToolkit()))
    wizard = launcher.assistant
    assert wizard is not None
    qtbot.addWidget(wizard)
    for page in (STATION, DEVICES, FINISH):
        if page == FINISH:
            wizard.devices_page.label_row.combo.setEditText(SILENT_PRINTER)
        wizard.button(QWizard.WizardButton.NextButton).click()
        assert wizard.currentId() == page
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=30_000)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    notice = launcher.setup_notice
    assert notice is not None and notice.isVisible() and notice.parent() is window
    assert notice.text().startswith(f"Label printer: {SILENT_PRINTER}")
    assert "Scanner" not in notice.text()  # only what needs a look
    notice.accept()
    window.close()
