"""The real station window offscreen for the window benchmarks (memory, stall), without pytest.

``station_window(orders)`` prepares everything a packing station needs in a temporary folder:
settings, data and documents directories of its own (``FULFIL_CONFIG_DIR`` …), an in-memory
keyring, a fresh SQLite database migrated with the demo warehouse and ``orders`` ready orders
(``bench/import_orders.make_orders``: 4 units of one plain product each), and a ZPL printer
simulator on TCP in a *separate* process (so the labels it keeps are not counted in the
window's memory). It then opens the window as ``tests/support/station_window.Station`` does
(``main.bootstrap`` → ``MainWindow``), driven by ``BareBot``: the four calls of pytest-qt's
``QtBot`` that ``Station`` uses, on a plain ``QApplication``. The packer is signed in by
typing the PIN.

``pack_by_keyboard(station, number, code)`` packs one order as a packer with a keyboard-wedge
scanner does: the order number, each unit's barcode, then ``FS:SHIP`` once the simulated scale
reads the expected weight steady.

Threading: everything here runs on the GUI thread; waits spin the Qt event loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCREEN = ROOT / "tests" / "support" / "screen_1280x800.json"


def offscreen() -> None:
    """Qt offscreen on a packing station's 1280×800 screen (as the tests' conftest sets it)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"


def rss_bytes() -> int:
    """This process's resident set size (``/proc/self/statm``; psutil when installed)."""
    try:
        import psutil
    except ImportError:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return int(psutil.Process().memory_info().rss)


class BareBot:
    """What ``Station`` asks of pytest-qt's ``QtBot``, on a plain ``QApplication``."""

    def __init__(self) -> None:
        self.widgets: list[Any] = []

    def addWidget(self, widget: Any) -> None:  # noqa: N802 - QtBot's name
        self.widgets.append(widget)

    def waitUntil(self, condition: Callable[[], object], timeout: int = 5000) -> None:  # noqa: N802
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} ms for {condition}")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)

    def waitExposed(self, widget: Any, timeout: int = 5000) -> None:  # noqa: N802
        self.waitUntil(lambda: widget.windowHandle() is not None and widget.windowHandle().isExposed(), timeout)

    def keyClick(self, widget: Any, key: Any, modifier: Any = None) -> None:  # noqa: N802
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(widget, key, modifier or Qt.KeyboardModifier.NoModifier)


@contextmanager
def printer_process() -> Iterator[str]:
    """A ZPL printer simulator on TCP in a process of its own; yields its URI."""
    code = ("import sys; from drivers.sim.printer import ZplPrinterSimulator\n"
            "with ZplPrinterSimulator() as printer:\n"
            "    print(printer.uri, flush=True); sys.stdin.read()\n")
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None and child.stdin is not None
    try:
        yield child.stdout.readline().strip()
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def prepared_database(path: Path, orders: int) -> list[tuple[str, str]]:
    """A migrated SQLite file at ``path`` with the demo warehouse and ``orders`` ready orders,
    made in a child process (its memory is not the window's); returns (number, barcode)s, each
    barcode as the catalogue holds it (a scanner reads the whole code)."""
    code = ("import json, sys; from pathlib import Path\n"
            "from bench.import_orders import make_orders\n"
            "from fulfilstation.db import migrate\n"
            "from fulfilstation.db.database import Database\n"
            "from fulfilstation.db.url import sqlite_url\n"
            "from fulfilstation.demo.seed import seed_demo\n"
            "path = Path(sys.argv[1]); database = Database.connect(sqlite_url(path))\n"
            "migrate.upgrade(database.engine, backup_dir=path.parent / 'backups'); seed_demo(database)\n"
            "from sqlalchemy import select; from fulfilstation.db.models import ProductBarcode\n"
            "made = make_orders(database, int(sys.argv[2]))\n"
            "with database.unit_of_work() as session: codes = list(session.scalars(select(ProductBarcode.code)))\n"
            "full = {code[2:]: code for code in codes if code.startswith('00')}\n"
            "print(json.dumps([(number, full.get(code, code)) for number, code in made])); database.dispose()\n")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(orders)], cwd=ROOT, check=True,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return [(number, barcode) for number, barcode in json.loads(done.stdout.strip().splitlines()[-1])]


@contextmanager
def station_window(orders: int) -> Iterator[tuple[Any, list[tuple[str, str]]]]:
    """The signed-in station window and the ``orders`` (number, barcode) it may pack."""
    offscreen()
    with tempfile.TemporaryDirectory(prefix="fulfil-window-bench-") as folder, printer_process() as printer_uri:
        for name in ("CONFIG", "DATA", "DOCUMENTS"):
            os.environ[f"FULFIL_{name}_DIR"] = str(Path(folder) / name.lower())
        os.environ.pop("FULFIL_DATABASE_URL", None)
        path = Path(folder) / "station.sqlite3"
        made = prepared_database(path, orders)
        import keyring
        from PySide6.QtWidgets import QApplication

        from fulfilstation.db.database import Database
        from fulfilstation.db.url import sqlite_url
        from fulfilstation.settings import DeviceSettings, StationSettings, save_settings
        from tests.support.memory_keyring import MemoryKeyring
        from tests.support.station_window import STATION, Station

        keyring.set_keyring(MemoryKeyring())
        from ui import native_memory

        native_memory.limit_arenas()  # as ui/app.py does, before Qt starts its threads
        database = Database.connect(sqlite_url(path))
        save_settings(StationSettings(station_name=STATION, devices=DeviceSettings(label_printer=printer_uri)))
        app = QApplication.instance() or QApplication([sys.argv[0]])
        from ui.gui_gc import GuiThreadCollector

        collector = GuiThreadCollector(app)  # as ui/app.py does
        station = Station(BareBot(), database, printer_uri)  # type: ignore[arg-type]
        station.window.sim_dock.panel.auto_weight.setChecked(False)  # the weight is put on by pack_by_keyboard
        try:
            text, tone = station.log_in("packer", "1111")
            assert tone == "ok", text
            collector.freeze()  # as ui/app.py does once the window is up
            yield station, made
        finally:
            from PySide6.QtCore import QThreadPool

            QThreadPool.globalInstance().waitForDone(10_000)  # a use case still running answers first
            app.processEvents()
            station.window.close()
            app.processEvents()
            collector.stop()
            database.dispose()


def scan_stamped(widget: Any, code: str) -> None:
    """Type ``code`` + Enter as a scanner does: ``tests.support.scanner_keys.scan_keys`` (its
    keys stamped 3 ms apart from the first, as the OS stamps a real scanner's keys)."""
    from tests.support.scanner_keys import scan_keys

    scan_keys(widget, code)


def pack_by_keyboard(station: Any, number: str, code: str, units: int) -> None:
    """Pack and ship one order through the keyboard path; raises when the station refuses."""
    for scanned in (number, *[code] * units):
        pause = time.monotonic() + 0.06  # a packer's next scan comes more than the wedge's gap (50 ms) later
        station.qtbot.waitUntil(lambda pause=pause: time.monotonic() > pause)
        before = len(station.messages)
        scan_stamped(station.focused(), scanned)
        text, tone = station.said(before + 1)
        if tone != "ok":
            raise RuntimeError(f"{number}: scanning {scanned!r} the station said {text!r}; "
                               f"codes taken as typing: {station.typed[-3:]}")
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)  # the parcel on the scale, read steady
    before = len(station.messages)
    scan_stamped(station.focused(), "FS:SHIP")
    try:
        station.qtbot.waitUntil(lambda: any(text.startswith("Shipped") for text, _ in station.messages[before:])
                                and not station.controller.busy, timeout=60_000)
    except TimeoutError:
        raise RuntimeError(f"{number} not shipped; the station said {station.messages[before - 2:]}, "
                           f"busy {station.controller.busy}") from None
