"""The self-test's checks that need Qt: the station's sounds and the real main window.

``window`` builds the :class:`~ui.main_window.MainWindow` a station opens (through the
composition root's ``bootstrap``, on a demo database), waits until the packing queue shows
orders — so the database, the use cases, the background workers and every screen's Qt
modules all worked — then closes it, which shuts its context down. It runs on whatever Qt
platform is set (the self-test sets ``offscreen`` unless told otherwise).
"""

from __future__ import annotations

import importlib.resources
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from fulfilstation.app_context import AppContext
from fulfilstation.self_test.runner import CheckFailed
from ui.main_window import MainWindow
from ui.station.sounds import SOUNDS
from ui.style import STYLESHEET


def sounds() -> str:
    """Every station sound's file is there, and QtMultimedia (which plays them) is installed. A
    PC whose system lacks a library QtMultimedia loads (PulseAudio's) passes with a note: the
    station runs silent there, as it is made to; a missing QtMultimedia module fails."""
    folder = importlib.resources.files("resources").joinpath("sounds")
    missing = [name for name in SOUNDS if not folder.joinpath(f"{name}.wav").is_file()]
    if missing:
        raise CheckFailed(f"the sound files {', '.join(missing)} are missing from resources/sounds")
    found = f"{len(SOUNDS)} station sounds found"
    try:
        import PySide6.QtMultimedia  # noqa: F401  (the station plays its sounds with it)
    except ModuleNotFoundError as exc:
        raise CheckFailed(f"Qt's multimedia module is not installed ({exc}): the station cannot play its "
                          "sounds; reinstall FulfilStation") from exc
    except ImportError as exc:  # the module is there, a system library it loads is not
        return (f"{found}; QtMultimedia cannot load on this PC ({exc}), so the station stays silent: install "
                "the PulseAudio client library (Debian/Ubuntu: sudo apt-get install libpulse0)")
    return f"{found}, QtMultimedia loads"


def window(bootstrap: Callable[[], AppContext], timeout_s: float = 60.0) -> str:
    """Open the main window on ``bootstrap()``'s context, wait for its packing queue, close it."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("FulfilStation")
    app.setStyleSheet(STYLESHEET)
    context = bootstrap()
    try:
        main_window = MainWindow(context)
    except BaseException:
        context.shutdown()
        raise
    try:
        main_window.show()
        deadline = time.monotonic() + timeout_s
        while main_window.queue_model.rowCount() == 0 and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        rows = main_window.queue_model.rowCount()
    finally:
        main_window.close()  # stops the devices and listeners and shuts the context down
        app.processEvents()
    if rows == 0:
        raise CheckFailed(f"the main window opened but its packing queue stayed empty for {timeout_s:.0f} s "
                          "on the demo database")
    return (f"main window opened on Qt's {QGuiApplication.platformName()} platform, {rows} demo orders "
            "in the packing queue, closed")
