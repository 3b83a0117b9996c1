"""Cold start of the window to its first frame (issue #15, point 7): ``main.py`` started as a
new process, as a packer starts it, on a migrated SQLite database with the demo warehouse
(``FULFIL_DATABASE_URL``; settings, data and documents folders of its own), offscreen. The
time runs from just before the process is started to the first paint of the main window
(an event filter on the ``QApplication`` sees it and ends the process), so it counts the
interpreter, the imports, the start-up screen, opening and checking the database on the
worker thread, opening the devices and building the window.

    .venv/bin/python bench/cold_start.py [--runs 5] [--json]

The modules' bytecode is written to a temporary ``PYTHONPYCACHEPREFIX`` (even when
``PYTHONDONTWRITEBYTECODE`` is set here): the first start compiles every module and is
printed apart; the timed runs start from bytecode, as an installed station does. Prints each
run and their median.
Target: under 2 s. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.window_harness import SCREEN, prepared_database  # noqa: E402

# Run in the child before ``main`` is imported: the QApplication the launcher will reuse,
# with a filter that prints the wall-clock time of the main window's first paint and exits.
CHILD = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstFrame(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and type(watched).__name__ == "MainWindow":
            print(f"FIRST-FRAME {time.time():.6f}", flush=True)
            os._exit(0)
        return False

application = QApplication([sys.argv[0]])
first_frame = FirstFrame()
application.installEventFilter(first_frame)
sys.argv = [sys.argv[0]]
import main
sys.exit(main.main([]))
"""


def one_start(folder: Path) -> float:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "PYTHONPYCACHEPREFIX": str(folder / "pycache"), "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": f"offscreen:configfile={SCREEN}",
           "FULFIL_DATABASE_URL": f"sqlite:///{folder / 'station.sqlite3'}",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    for name in ("CONFIG", "DATA", "DOCUMENTS"):
        env[f"FULFIL_{name}_DIR"] = str(folder / name.lower())
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    stamps = [line for line in done.stdout.splitlines() if line.startswith("FIRST-FRAME ")]
    if not stamps:
        raise RuntimeError(f"the window never painted (exit {done.returncode}): {done.stderr[-2000:]}")
    return float(stamps[0].split()[1]) - started


def measure(runs: int) -> tuple[float, list[float]]:
    """(the first start, compiling every module; the ``runs`` starts after it, from bytecode)."""
    with tempfile.TemporaryDirectory(prefix="fulfil-cold-start-") as folder:
        prepared_database(Path(folder) / "station.sqlite3", 0)
        first = one_start(Path(folder))
        return first, [one_start(Path(folder)) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/run_all.py)")
    args = parser.parse_args()
    first, samples = measure(args.runs)
    if args.json:
        print(json.dumps({"first_s": first, "runs": samples, "median_s": statistics.median(samples)}))
        return
    print(f"cold start to the first frame: first (compiling) {first:.2f} s; from bytecode "
          + ", ".join(f"{s:.2f} s" for s in samples) + f"   median {statistics.median(samples):.2f} s")


if __name__ == "__main__":
    main()
