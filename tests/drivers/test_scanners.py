"""Scanner drivers end to end: HID POS against a replayed device, serial over a real
pseudo-terminal, the sim: scanner, and the open_scanner factory."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from drivers.scanner import HidPosScanner, SerialScanner, WedgeScanner, open_scanner
from drivers.sim.scanner import ReplayHidDevice, SimScanner, hid_pos_reports
from fulfilstation.ports import DeviceUriError, ScanValue

TIMEOUT = 5.0
GS1 = "0109501101530008\x1d10ABC123\x1d17251231"


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


class Collector:
    """Receives scans on the driver's thread; the test takes them with a deadline."""

    def __init__(self) -> None:
        self.values: queue.Queue[ScanValue] = queue.Queue()
        self.threads: set[str] = set()

    def __call__(self, value: ScanValue) -> None:
        self.threads.add(threading.current_thread().name)
        self.values.put(value)

    def take(self) -> ScanValue:
        return self.values.get(timeout=TIMEOUT)


@pytest.fixture
def collector() -> Collector:
    return Collector()


# --------------------------------------------------------------------------- HID POS


def hid_scanner(device: ReplayHidDevice, uri: str = "hid://0c2e:0b61") -> HidPosScanner:
    scanner = open_scanner(
        uri,
        hid_device_factory=lambda: device,
        hid_enumerate=device.enumerate,
        reconnect_delay=0.05,
    )
    assert isinstance(scanner, HidPosScanner)
    return scanner


def test_hid_pos_scans_arrive_on_the_worker_thread(collector: Collector) -> None:
    device = ReplayHidDevice()
    scanner = hid_scanner(device)
    assert isinstance(scanner, HidPosScanner)
    scanner.start(collector)
    try:
        device.push(*hid_pos_reports("0012345678905", "]E0"))
        device.push(*hid_pos_reports(GS1 * 3, "]C1", with_length=False))
        first, second = collector.take(), collector.take()
    finally:
        scanner.stop()
    assert (first.text, first.symbology) == ("0012345678905", "]E0")
    assert (second.text, second.symbology) == (GS1 * 3, "]C1")
    assert (
        collector.threads and threading.current_thread().name not in collector.threads
    )
    assert device.closed


def test_hid_pos_reconnects_after_a_read_error(collector: Collector) -> None:
    device = ReplayHidDevice()
    scanner = hid_scanner(device)
    scanner.start(collector)
    try:
        device.push(*hid_pos_reports("BEFORE01", "]C0"))
        assert collector.take().text == "BEFORE01"
        device.unplug()
        wait_until(lambda: device.opens == 2 and scanner.connected)
        device.push(*hid_pos_reports("AFTER001", "]C0"))
        assert collector.take().text == "AFTER001"
    finally:
        scanner.stop()
        scanner.stop()  # idempotent


def test_hid_pos_missing_device_keeps_retrying_with_a_message(
    collector: Collector,
) -> None:
    device = ReplayHidDevice(vid=0x05E0, pid=0x1200)
    scanner = hid_scanner(device, "hid://0c2e:0b61")  # a Honeywell that is not there
    scanner.start(collector)
    try:
        wait_until(lambda: "not connected" in scanner.last_error)
        assert not scanner.connected and device.opens == 0
    finally:
        scanner.stop()


def test_hid_pos_keyboard_mode_is_explained() -> None:
    keyboard = [
        {"path": b"k", "vendor_id": 0x0C2E, "product_id": 0x0B61, "usage_page": 0x01}
    ]
    scanner = HidPosScanner(
        "hid://0c2e:0b61",
        0x0C2E,
        0x0B61,
        device_factory=ReplayHidDevice,
        enumerate_fn=lambda vid, pid: keyboard,
        reconnect_delay=0.05,
    )
    scanner.start(lambda value: None)
    try:
        wait_until(lambda: "HID POS mode" in scanner.last_error)
    finally:
        scanner.stop()


def test_hid_pos_callback_errors_do_not_stop_the_scanner(collector: Collector) -> None:
    device = ReplayHidDevice()
    scanner = hid_scanner(device)

    def flaky(value: ScanValue) -> None:
        if value.text == "BOOM0001":
            raise RuntimeError("bug in the callback")
        collector(value)

    scanner.start(flaky)
    try:
        device.push(*hid_pos_reports("BOOM0001"), *hid_pos_reports("FINE0001"))
        assert collector.take().text == "FINE0001"
    finally:
        scanner.stop()


# --------------------------------------------------------------------------- serial


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    yield master, name
    os.close(master)
    os.close(slave)


def test_serial_scanner_over_a_real_pty(
    pty: tuple[int, str], collector: Collector
) -> None:
    master, name = pty
    scanner = open_scanner(f"serial://{name}?baud=9600", reconnect_delay=0.05)
    assert isinstance(scanner, SerialScanner) and scanner.port == name
    scanner.start(collector)
    try:
        wait_until(lambda: scanner.connected)
        os.write(master, b"]C1" + GS1.encode() + b"\r")
        os.write(master, b"4006381333931\n")
        os.write(master, b"]E00012345678905\r\n")
        os.write(master, b"SPLIT")
        first, second, third = collector.take(), collector.take(), collector.take()
        os.write(master, b"-LINE\r\n")
        fourth = collector.take()
    finally:
        scanner.stop()
    assert first == ScanValue(GS1, "]C1", b"]C1" + GS1.encode())
    assert (second.text, second.symbology) == ("4006381333931", None)
    assert (third.text, third.symbology) == ("0012345678905", "]E0")
    assert fourth.text == "SPLIT-LINE"
    assert collector.values.empty()  # the LF of CRLF made no empty scan


def test_serial_scanner_missing_port_reports_and_retries() -> None:
    scanner = SerialScanner("serial:///dev/nope", "/dev/nope", reconnect_delay=0.05)
    scanner.start(lambda value: None)
    try:
        wait_until(lambda: "not connected" in scanner.last_error)
        assert not scanner.connected
    finally:
        scanner.stop()


# ------------------------------------------------------------------ sim + factory


def test_sim_scanner_inject(collector: Collector) -> None:
    scanner = open_scanner("sim:")
    assert isinstance(scanner, SimScanner)
    scanner.inject("EARLY001")  # before start: waits
    scanner.start(collector)
    scanner.inject(GS1, symbology="]C1")
    assert collector.take() == ScanValue("EARLY001", None, b"EARLY001")
    assert collector.take() == ScanValue(GS1, "]C1", ("]C1" + GS1).encode())
    scanner.stop()
    scanner.stop()
    with pytest.raises(RuntimeError):
        scanner.start(collector)
        scanner.start(collector)
    scanner.stop()


def test_open_scanner_wedge_and_errors() -> None:
    wedge = open_scanner("wedge:?gap_ms=30&terminator=tab")
    assert isinstance(wedge, WedgeScanner)
    assert wedge.detector.config.max_gap == pytest.approx(0.03)
    for bad in ("tcp://10.0.0.7:9100", "serial:///dev/ttyS0?protocol=nci", "nope:"):
        with pytest.raises(DeviceUriError):
            open_scanner(bad)
    with pytest.raises(DeviceUriError, match="colour"):
        open_scanner("wedge:?colour=red")
