"""Starting the window: a start-up screen while the database is opened and migrated on a
worker thread, then the station window, or a plain-language error with the fix."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.credentials import Prompt
from ui.gui_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.password_prompt import GuiPasswordPrompt
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
                 collector: GuiThreadCollector | None = None) -> None:
        self.app = app
        self.collector = collector
        self.fullscreen = fullscreen
        self.startup = StartupScreen()
        self.prompt = GuiPasswordPrompt(self.startup)
        self.window: MainWindow | None = None
        self.exit_code = 0
        self.startup.show()
        run_in_background(lambda: bootstrap(self.prompt), self._ready, self._failed)

    def _ready(self, context: AppContext) -> None:
        self.window = MainWindow(context)
        if self.fullscreen or context.settings.ui.fullscreen:
            self.window.showFullScreen()
        else:
            show_fitted(self.window)  # maximized on a packing station's 1280×800: the frame fits
        self.startup.close()
        if self.collector is not None:  # start-up's objects live as long as the window: out of every collection
            self.collector.freeze()

    def _failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self.startup.close()
        QMessageBox.critical(None, "FulfilStation cannot start", describe_error(exc))
        self.exit_code = 1
        self.app.exit(1)


def run_app(bootstrap: Bootstrap, fullscreen: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FulfilStation")
    app.setStyleSheet(STYLESHEET)
    collector = GuiThreadCollector(app)  # never on a pool thread: that can destroy a QObject there
    launcher = Launcher(app, bootstrap, fullscreen, collector)
    code = app.exec()
    return launcher.exit_code or code
