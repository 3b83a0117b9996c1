"""``fulfilstation devices …``: find, read and test the devices of a station.

Device access goes through the ``DeviceToolkit`` port that ``main.py`` provides; this
package never imports ``drivers``.
"""

from __future__ import annotations

import argparse
import threading
import time

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import seconds, whole_number
from fulfilstation.documents.labels.printer_test_label import printer_test_label_zpl
from fulfilstation.ports import DeviceError, DeviceToolkit, Scale, ScaleState, WeightReading
from fulfilstation.printer_check import check_then_send

FIRST_READING_GRACE_S = 2.5  # a driver reports DISCONNECTED until its first reading


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    devices = commands.add_parser("devices", help="find, read and test scanners, scales and printers")
    sub = devices.add_subparsers(dest="devices_command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="list serial ports and recognised USB scales and scanners").set_defaults(
        handler=list_devices)
    read = sub.add_parser("read-scale", help="print readings from a scale as '<grams> g <state>'")
    read.add_argument("uri", help="e.g. serial:///dev/ttyUSB0?protocol=nci, hid://0922:8003, sim:")
    read.add_argument("--count", type=whole_number(1, 1_000_000), default=1,
                      help="how many readings to print (default 1)")
    read.add_argument("--interval", type=seconds, default=0.5, help="seconds between readings (default 0.5)")
    read.add_argument("--timeout", type=seconds, default=30.0, help="give up after this many seconds (default 30)")
    read.set_defaults(handler=read_scale)
    status = sub.add_parser("printer-status", help="ask a label printer for its state; exit 1 when not ready")
    status.add_argument("uri", help="e.g. tcp://10.0.0.7:9100")
    status.set_defaults(handler=printer_status)
    test = sub.add_parser("print-test", help="print a test label (after checking the printer is ready)")
    test.add_argument("uri")
    test.add_argument("--dpi", type=int, choices=(203, 300), default=203)
    test.set_defaults(handler=print_test)


def toolkit_of(context: CliContext) -> DeviceToolkit:
    if context.toolkit is None:
        raise CommandError("Device commands are not available in this build (no device drivers).")
    return context.toolkit


def list_devices(args: argparse.Namespace, context: CliContext) -> int:
    found = toolkit_of(context).discover()
    if not found:
        print("No serial ports or recognised USB scales/scanners found. Keyboard-wedge scanners need no "
              "set-up: their URI is wedge:")
    for device in found:
        print(f"{device.kind:<14} {device.uri:<48} {device.description}")
    return 0


def format_reading(reading: WeightReading) -> str:
    grams = "-" if reading.grams is None else str(reading.grams)
    return f"{grams} g {reading.state.value}"


def read_scale(args: argparse.Namespace, context: CliContext) -> int:
    if args.count < 1 or args.interval <= 0:
        raise CommandError("--count must be 1 or more and --interval above 0.")
    try:
        scale = toolkit_of(context).open_scale(args.uri)
    except DeviceError as exc:
        raise CommandError(str(exc)) from exc
    changed = threading.Event()
    scale.start(lambda _reading: changed.set())
    try:
        return _print_readings(scale, changed, args.count, args.interval, args.timeout)
    finally:
        scale.stop()


def _print_readings(scale: Scale, changed: threading.Event, count: int, interval: float, timeout: float) -> int:
    """One line per ``interval`` (the scale's latest reading), after waiting up to
    ``FIRST_READING_GRACE_S`` for the first real one. Returns within ``timeout`` seconds
    (plus one reading's printing): neither the grace nor an interval outlasts it."""
    started = time.monotonic()
    deadline = started + timeout
    grace_until = started + min(FIRST_READING_GRACE_S, timeout)
    while scale.latest().state is ScaleState.DISCONNECTED and time.monotonic() < grace_until:
        changed.wait(0.05)
        changed.clear()
    printed: list[WeightReading] = []
    while len(printed) < count:
        if printed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(interval, remaining))
            if time.monotonic() >= deadline:
                break
        reading = scale.latest()
        print(format_reading(reading), flush=True)
        printed.append(reading)
    if printed[-1].state is ScaleState.DISCONNECTED:
        print("The scale does not answer: check its cable, power and the URI's protocol and baud rate.")
        return 1
    return 0 if len(printed) == count else 1


def printer_status(args: argparse.Namespace, context: CliContext) -> int:
    try:
        status = toolkit_of(context).open_label_printer(args.uri).status()
    except DeviceError as exc:
        raise CommandError(exc.user_message) from exc
    print(status.words)
    if status.advice:
        print(status.advice)
    return 0 if status.ready else 1


def print_test(args: argparse.Namespace, context: CliContext) -> int:
    toolkit = toolkit_of(context)
    label = printer_test_label_zpl(context.loaded.settings.station_name, args.dpi)
    try:
        check_then_send(toolkit.open_label_printer(args.uri), label, "FulfilStation test label")
    except DeviceError as exc:
        raise CommandError(exc.user_message, code=1) from exc
    print(f"Test label sent to {args.uri}.")
    return 0
