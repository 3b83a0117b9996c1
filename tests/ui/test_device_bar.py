"""The device bar follows the real drivers (simulators) through the Qt adapters."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from drivers.sim.printer import SimLabelPrinter
from drivers.sim.scale import SimulatedScale
from drivers.sim.scanner import SimScanner
from drivers.toolkit import DriverToolkit
from fulfilstation.devices import Devices, open_devices
from fulfilstation.domain.units import format_weight
from fulfilstation.ports import PrinterStatus
from fulfilstation.settings import DeviceSettings
from ui.devices import LiveDevices, PrinterStatusPoller
from ui.style import AMBER, RED
from ui.widgets.device_bar import DeviceBar

SETTINGS = DeviceSettings(scanner="sim:", scale="sim:?weight=1.25lb", label_printer="sim:?state=paper-out",
                          document_printer="")


@pytest.fixture
def devices() -> Iterator[Devices]:
    opened, notices = open_devices(DriverToolkit(), SETTINGS)
    assert notices == []
    yield opened
    opened.stop_all()


def bar_for(qtbot: QtBot, devices: Devices, settings: DeviceSettings = SETTINGS) -> tuple[DeviceBar, LiveDevices]:
    bar = DeviceBar({"Scanner": settings.scanner, "Scale": settings.scale, "Label printer": settings.label_printer,
                     "Document printer": settings.document_printer or None}, unit="lb")
    qtbot.addWidget(bar)
    live = LiveDevices(devices, bar)
    bar.watch(live)
    live.start()
    return bar, live


def test_scale_chip_shows_the_weight_and_follows_the_scale(qtbot: QtBot, devices: Devices) -> None:
    bar, live = bar_for(qtbot, devices)
    chip = bar.chips["Scale"]
    qtbot.waitUntil(lambda: "1.25 lb stable" in chip.text(), timeout=5000)
    assert chip.text() == "Scale: 1.25 lb stable (sim)" and chip.state == "simulated"
    assert AMBER in chip.styleSheet()  # a simulator never looks like real hardware
    scale = devices.scale
    assert isinstance(scale, SimulatedScale)
    scale.set_weight(2000, stable=False)
    qtbot.waitUntil(lambda: chip.text().startswith(f"Scale: {format_weight(2000, 'lb')} motion"), timeout=5000)
    scale.disconnect()
    qtbot.waitUntil(lambda: chip.state == "disconnected", timeout=5000)
    assert chip.text() == "Scale: disconnected" and RED in chip.styleSheet()
    assert "reconnects by itself" in chip.toolTip()
    scale.reconnect()
    qtbot.waitUntil(lambda: chip.state == "simulated", timeout=5000)  # back by itself
    assert "4.41 lb" in chip.text()
    adapter = live.scale
    assert adapter is not None
    with qtbot.waitSignal(adapter.stopped, timeout=5000):
        live.stop()  # detaches at once, stops the driver's thread in the background
    assert not adapter.running and adapter.last_error == ""


def test_printer_chip_shows_the_state_in_words_and_the_advice(qtbot: QtBot, devices: Devices) -> None:
    bar, live = bar_for(qtbot, devices)
    chip = bar.chips["Label printer"]
    qtbot.waitUntil(lambda: chip.state == "fault", timeout=5000)
    assert chip.text() == "Label printer: paper out" and RED in chip.styleSheet()
    assert "out of labels" in chip.toolTip()
    printer = devices.label_printer
    assert isinstance(printer, SimLabelPrinter) and live.label_printer is not None
    printer.state = "ok"
    qtbot.waitUntil(lambda: not live.label_printer.in_flight if live.label_printer else True)
    live.label_printer.poll_now()
    qtbot.waitUntil(lambda: chip.text() == "Label printer: ready (sim)", timeout=5000)
    live.stop()


def test_scanner_chip_shows_the_last_scan_briefly(qtbot: QtBot, devices: Devices) -> None:
    bar, live = bar_for(qtbot, devices)
    chip = bar.chips["Scanner"]
    assert chip.text() == "Scanner: simulated"
    scanner = devices.scanner
    assert isinstance(scanner, SimScanner)
    scanner.inject("0109501101530003", "]C1")
    qtbot.waitUntil(lambda: "0109501101530003" in chip.text(), timeout=5000)
    assert chip.text() == "Scanner: simulated · 0109501101530003"
    assert "GS1-128" in chip.toolTip()
    live.stop()


def test_a_device_whose_address_failed_is_not_in_use(qtbot: QtBot) -> None:
    settings = DeviceSettings(scanner="wedge:", scale="serial:///dev/ttyUSB0?protocol=mt-sics&speed=9600",
                              label_printer="", document_printer="")
    opened, notices = open_devices(DriverToolkit(), settings)
    assert opened.scale is None and "speed" in notices[0]
    bar, live = bar_for(qtbot, opened, settings)
    assert bar.chips["Scale"].state == "not in use"
    assert bar.chips["Label printer"].state == "not set"
    assert bar.chips["Scanner"].text() == "Scanner: connected"
    live.stop()


class SlowPrinter:
    uri = "slow:"

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()

    def status(self) -> PrinterStatus:
        self.calls += 1
        self.release.wait(5)
        return PrinterStatus()

    def send(self, data: bytes, job_name: str = "label") -> None:
        raise AssertionError("not used")


def test_the_poller_never_has_two_requests_in_flight(qtbot: QtBot) -> None:
    printer = SlowPrinter()
    poller = PrinterStatusPoller(printer, interval_s=0.01)
    poller.start()
    qtbot.wait(100)  # ten ticks go by while the first request waits
    for _ in range(3):
        poller.poll_now()
    assert printer.calls == 1 and poller.in_flight
    with qtbot.waitSignal(poller.status, timeout=5000) as blocker:
        printer.release.set()
    assert blocker.args == [PrinterStatus()]
    poller.stop()
