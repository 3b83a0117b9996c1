"""The station window's event loop under a packer's pace (issue #15, point 4): the real window
offscreen (``bench/window_harness.py``), scans arriving at 10 a second through the
keyboard-wedge path (order number, each unit, ``FS:SHIP``; a tick is skipped while the
station is still busy with the previous scan), the simulated scale given a new reading at
10 Hz (its worker thread polls it meanwhile), and a ``Qt.PreciseTimer`` every 10 ms whose
lateness is the stall: how much later than 10 ms after the previous tick it ran.

    .venv/bin/python bench/window_stall.py [--seconds 60] [--json]

Prints the stall's median, p99 and maximum, the scans sent and the orders shipped. Target:
p99 under 50 ms. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pack_latency import UNITS_PER_ORDER, percentile  # noqa: E402
from bench.window_harness import scan_stamped, station_window  # noqa: E402

TICK_MS = 10
SCAN_MS = 100  # 10 scans a second
SCALE_MS = 100  # 10 Hz


@dataclass(frozen=True)
class StallFigures:
    seconds: float
    ticks: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    scans: int
    skipped: int
    shipped: int


class Pace:
    """Feeds the station its codes at SCAN_MS and the scale its readings at SCALE_MS."""

    def __init__(self, station: Any, orders: list[tuple[str, str]]) -> None:
        self.station = station
        self.codes = [code for number, barcode in orders
                      for code in (number, *([barcode] * UNITS_PER_ORDER), "FS:SHIP")]
        self.sent = self.skipped = self.step = 0
        self.scale = station.window.context.devices.scale

    def scan(self) -> None:
        if self.sent >= len(self.codes):
            return
        code = self.codes[self.sent]
        view = self.station.controller.view
        weight = self.station.window.station.pack.weight.reading
        ready = code != "FS:SHIP" or (view is not None and view.complete and weight.usable
                                      and weight.grams == view.expected_g)
        if self.station.controller.busy or not ready:
            self.skipped += 1
            return
        scan_stamped(self.station.focused(), code)
        self.sent += 1

    def weigh(self) -> None:
        self.step += 1
        view = self.station.controller.view
        if view is not None and view.complete and view.expected_g is not None:
            self.scale.set_weight(view.expected_g)  # the parcel on the scale, steady
        else:
            self.scale.set_weight(10 * (self.step % 40))  # items going into the box


def measure(seconds: float) -> StallFigures:
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    orders = int(seconds * 1000 / SCAN_MS / (UNITS_PER_ORDER + 2)) + 5
    with station_window(orders) as (station, made):
        station.window.sim_dock.panel.auto_weight.setChecked(False)
        pace = Pace(station, made)
        stalls: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            stalls.append(max(0.0, now - last[0] - TICK_MS / 1000))
            last[0] = now

        timers = []
        for interval, slot in ((TICK_MS, tick), (SCAN_MS, pace.scan), (SCALE_MS, pace.weigh)):
            timer = QTimer()
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.timeout.connect(slot)
            timer.start(interval)
            timers.append(timer)
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        last[0] = time.perf_counter()
        loop.exec()
        for timer in timers:
            timer.stop()
        shipped = sum(1 for text, _tone in station.messages if text.startswith("Shipped"))
    ms = [stall * 1000 for stall in stalls]
    return StallFigures(seconds, len(ms), percentile(ms, 0.5), percentile(ms, 0.99), max(ms), pace.sent,
                        pace.skipped, shipped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/run_all.py)")
    args = parser.parse_args()
    figures = measure(args.seconds)
    if args.json:
        print(json.dumps(asdict(figures)))
        return
    print(f"window stall over {figures.seconds:.0f} s ({figures.ticks} ticks of {TICK_MS} ms)")
    print(f"  stall median {figures.p50_ms:.1f} ms   p99 {figures.p99_ms:.1f} ms   max {figures.max_ms:.1f} ms")
    print(f"  scans sent {figures.scans} (ticks skipped while busy: {figures.skipped}), "
          f"orders shipped {figures.shipped}")


if __name__ == "__main__":
    main()
