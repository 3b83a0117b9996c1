"""Starting the window: on a PC never set up, the set-up assistant first (Cancel ends the
program having written nothing); then a start-up screen while the database is opened and
migrated on a worker thread, then the station window, or a plain-language error with the fix."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.credentials import Prompt
from fulfilstation.services.setup import SetupReport, StationSetup
from ui import native_memory
from ui.gui_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.password_prompt import GuiPasswordPrompt
from ui.setup_assistant import SetupAssistant
from ui.style import STYLESHEET
from ui.widgets.screen_fit import show_fitted
from ui.worker import run_in_background

Bootstrap = Callable[[Prompt], AppContext]


class StartupScreen(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("FulfilStation")
        layout = QVBoxLayout(self)
        self.message = QLabel("Starting FulfilStation…\nOpening the database and checking its schema.")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        progress = QProgressBar(self)
        progress.setRange(0, 0)  # busy indicator: the time is the database's
        layout.addWidget(self.message)
        layout.addWidget(progress)
        self.resize(520, 160)


class Launcher:
    """Owns the start-up sequence; keeps the windows alive while Qt runs."""

    def __init__(self, app: QApplication, bootstrap: Bootstrap, fullscreen: bool,
                 collector: GuiThreadCollector | None = None, setup: StationSetup | None = None) -> None:
        """``setup``: the set-up door, when this start may need the assistant (its ``needed``
        decides); None when the command line chose the database (``--db``, ``--demo``)."""
        self.app = app
        self.collector = collector
        self.fullscreen = fullscreen
        self.bootstrap = bootstrap
        self.startup = StartupScreen()
        self.prompt = GuiPasswordPrompt(self.startup)
        self.window: MainWindow | None = None
        self.assistant: SetupAssistant | None = None
        self.setup_report: SetupReport | None = None
        self.setup_notice: QMessageBox | None = None
        self.exit_code = 0
        if setup is not None and setup.needed():
            self.assistant = SetupAssistant(setup)
            self.assistant.applied.connect(self._set_up)
            self.assistant.rejected.connect(self._cancelled)
            self.assistant.show()
        else:
            self._start()

    def _start(self) -> None:
        self.startup.show()
        bootstrap = self.bootstrap
        run_in_background(lambda: bootstrap(self.prompt), self._ready, self._failed)

    def _set_up(self, report: SetupReport) -> None:
        self.setup_report = report
        self._start()  # shown before the assistant closes: the program never has no window

    def _cancelled(self) -> None:
        self.app.exit(0)

    def _ready(self, context: AppContext) -> None:
        self.window = MainWindow(context)
        if self.fullscreen or context.settings.ui.fullscreen:
            self.window.showFullScreen()
        else:
            show_fitted(self.window)  # maximized on a packing station's 1280×800: the frame fits
        self.startup.close()
        self._tell_setup_warnings(self.window)
        if self.collector is not None:  # start-up's objects live as long as the window: out of every collection
            self.collector.freeze()

    def _tell_setup_warnings(self, window: QWidget) -> None:
        """The set-up's warnings (a device that did not answer, a password kept nowhere), said
        once over the station window: the assistant closes as soon as the settings are written,
        before anyone could read its report. Does not block (``open``)."""
        report = self.setup_report
        if report is None or not report.warnings:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "This station is set up, but needs a look",
                          "\n\n".join(line.text for line in report.warnings), QMessageBox.StandardButton.Ok,
                          window)
        box.setInformativeText("The settings are written. Devices can be changed later under Station → Device "
                               "settings… (Ctrl+,).")
        box.open()
        self.setup_notice = box

    def _failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self.startup.close()
        QMessageBox.critical(None, "FulfilStation cannot start", describe_error(exc))
        self.exit_code = 1
        self.app.exit(1)


def run_app(bootstrap: Bootstrap, fullscreen: bool = False, setup: StationSetup | None = None) -> int:
    native_memory.limit_arenas()  # before Qt and the pool start their threads
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FulfilStation")
    app.setStyleSheet(STYLESHEET)
    collector = GuiThreadCollector(app)  # never on a pool thread: that can destroy a QObject there
    launcher = Launcher(app, bootstrap, fullscreen, collector, setup)
    code = app.exec()
    return launcher.exit_code or code
