"""A station's resident memory while it packs (issue #15, point 6): the real window offscreen
(``bench/window_harness.py``), the packer signed in, ``--packs`` orders packed and shipped
through the keyboard path (order number, 4 unit scans, ``FS:SHIP`` at a steady weight; the
label to a TCP printer simulator in another process, the packing slip saved as a PDF).

    .venv/bin/python bench/station_memory.py [--packs 1000] [--json]

Prints the RSS (``/proc/self/statm``, or psutil when installed) once signed in, after the
first 100 packs and after the last, and the growth between the last two. Target: under
250 MB and flat after the first 100. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pack_latency import UNITS_PER_ORDER  # noqa: E402
from bench.window_harness import pack_by_keyboard, rss_bytes, station_window  # noqa: E402

FIRST = 100


@dataclass(frozen=True)
class MemoryFigures:
    packs: int
    signed_in_mb: float
    after_first_mb: float
    after_last_mb: float
    seconds: float

    @property
    def growth_mb(self) -> float:
        return self.after_last_mb - self.after_first_mb


def measure(packs: int, trace: bool = False) -> MemoryFigures:
    """``trace``: also print where Python's own allocations grew (tracemalloc: slower, and
    blind to Qt's and the C libraries' memory)."""
    with station_window(packs) as (station, orders):
        if trace:
            tracemalloc.start(12)
        snapshots = [tracemalloc.take_snapshot()] if trace else []
        signed_in = rss_bytes()
        after_first = signed_in
        started = time.perf_counter()
        for index, (number, code) in enumerate(orders, start=1):
            pack_by_keyboard(station, number, code, UNITS_PER_ORDER)
            if index == min(FIRST, packs):
                gc.collect()
                after_first = rss_bytes()
                if trace:
                    snapshots.append(tracemalloc.take_snapshot())
        gc.collect()
        if trace:
            snapshots.append(tracemalloc.take_snapshot())
            _print_growth(snapshots)
        return MemoryFigures(packs, signed_in / 2**20, after_first / 2**20, rss_bytes() / 2**20,
                             time.perf_counter() - started)


def _print_growth(snapshots: list[tracemalloc.Snapshot]) -> None:
    for (label, before, after) in (("sign-in → first packs", snapshots[0], snapshots[1]),
                                   ("first packs → last", snapshots[1], snapshots[-1])):
        stats = after.compare_to(before, "traceback")
        total = sum(stat.size_diff for stat in stats)
        print(f"python allocations, {label}: {total / 2**20:+.1f} MB; largest:", file=sys.stderr)
        for stat in stats[:8]:
            frames = [f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno}" for frame in stat.traceback[-4:]]
            print(f"  {stat.size_diff / 2**20:+7.2f} MB  {' < '.join(reversed(frames))}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packs", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/run_all.py)")
    parser.add_argument("--trace", action="store_true", help="print where Python's allocations grew (stderr)")
    args = parser.parse_args()
    figures = measure(args.packs, args.trace)
    if args.json:
        print(json.dumps(asdict(figures)))
        return
    print(f"station memory, {figures.packs} packs through the keyboard ({figures.seconds:.0f} s)")
    print(f"  signed in                {figures.signed_in_mb:7.1f} MB")
    print(f"  after {min(FIRST, figures.packs):>4} packs          {figures.after_first_mb:7.1f} MB")
    print(f"  after {figures.packs:>4} packs          {figures.after_last_mb:7.1f} MB")
    print(f"  growth after the first   {figures.growth_mb:+7.1f} MB")


if __name__ == "__main__":
    main()
