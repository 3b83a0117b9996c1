"""A packing station window driven through the keyboard only, as a packer with a
keyboard-wedge scanner drives it, with what it said recorded (tests/ui)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

import main
from drivers.scanner.wedge_scanner import WedgeScanner
from drivers.sim.simulated_scale import SimulatedScale
from fulfilstation.db.database import Database
from fulfilstation.ports import DocumentPrinter, KeyboardWedge
from tests.support.scanner_keys import scan_keys
from ui.main_window import MainWindow

if TYPE_CHECKING:  # the window benchmarks drive a Station without pytest (bench/window_harness.BareBot)
    from pytestqt.qtbot import QtBot

STATION = "PACK-UI"
WAIT_MS = 10_000
_STATIC_CHECK: KeyboardWedge = WedgeScanner()  # mypy: the wedge driver satisfies the port


class Station:
    """A station window driven only through the keyboard, with what it said recorded."""

    def __init__(self, qtbot: QtBot, database: Database, printer_uri: str,
                 documents: DocumentPrinter | None = None) -> None:
        """``documents``: the document printer put in the context (the settings name none)."""
        self.qtbot = qtbot
        url = database.engine.url.render_as_string(hide_password=False)
        args = argparse.Namespace(db=url, demo=False, fullscreen=False, verbose=False)
        context = main.bootstrap(args)
        if documents is not None:
            context = replace(context, devices=replace(context.devices, document_printer=documents))
        self.window = MainWindow(context)
        qtbot.addWidget(self.window)
        self.controller = self.window.station.controller
        self.messages: list[tuple[str, str]] = []
        self.controller.message.connect(lambda text, tone: self.messages.append((text, tone)))
        self.typed: list[str] = []  # codes that reached the station as typing, not as scans
        self.window.station.entry.typed.connect(self.typed.append)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        qtbot.waitUntil(lambda: self.window.station.login.users.count() == 4, timeout=WAIT_MS)
        assert self.window.context.settings.devices.label_printer == printer_uri

    def focused(self) -> QWidget:
        return QApplication.focusWidget() or self.window

    def said(self, count: int) -> tuple[str, str]:
        """Wait for the ``count``-th message since the start; return it (text, tone)."""
        self.qtbot.waitUntil(lambda: len(self.messages) >= count and not self.controller.busy, timeout=WAIT_MS)
        return self.messages[count - 1]

    def scan(self, code: str) -> tuple[str, str]:
        """Type ``code`` + Enter at scanner speed; the station's answer."""
        before = len(self.messages)
        scan_keys(self.focused(), code)
        return self.said(before + 1)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> tuple[str, str]:
        before = len(self.messages)
        self.qtbot.keyClick(self.focused(), key, modifier)
        return self.said(before + 1)

    def log_in(self, username: str, pin: str) -> tuple[str, str]:
        """Choose the name with ↓ and type the PIN as a person does (each key arrives once
        the wedge knows it is typing, not a scan)."""
        login = self.window.station.login
        for _ in range(login.users.count()):
            if login.username() == username:
                break
            self.qtbot.keyClick(self.focused(), Qt.Key.Key_Down)
        assert login.username() == username
        for digit in pin:
            typed = login.pin.text() + digit
            self.qtbot.keyClick(self.focused(), digit)
            self.qtbot.waitUntil(lambda: login.pin.text() == typed, timeout=WAIT_MS)  # noqa: B023 - waited here
        return self.key(Qt.Key.Key_Return)

    def weigh(self, grams: int) -> None:
        scale = self.window.context.devices.scale
        assert isinstance(scale, SimulatedScale)
        scale.set_weight(grams)
        weight = self.window.station.pack.weight
        self.qtbot.waitUntil(lambda: weight.reading.grams == grams and weight.reading.usable, timeout=WAIT_MS)

    def scanned(self) -> list[int]:
        view = self.controller.view
        assert view is not None
        return [line.scanned for line in view.lines]

