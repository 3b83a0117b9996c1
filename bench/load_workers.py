"""The processes of the 16-station load (``bench/load_stations.py``), importable by spawn.

Each function runs in a process of its own, builds its own ``AppServices`` over the shared
PostgreSQL database as the window does (``tests/support/app.app_for``) and acts only
through the use cases, signed in as its own user:

* ``station``: a packing station. It claims the next ready order (``app.packing.next_order``),
  scans every unit (``app.packing.scan``, each timed), ships at the expected weight
  (``app.shipping.ship``: the label's ZPL goes to its own TCP printer simulator, the packing
  slip is saved as a PDF). It stops when the queue is empty or offers an order that is not
  the load's (an imported one: given back with ``cancel``). A deadlock or serialization
  failure PostgreSQL reports is retried (the step again) and counted; any other error
  ends the station, and the caller sees it as unresolved.
* ``dashboard``: a manager's dashboard (``app.reports.dashboard``) once a second until told
  to stop.
* ``order_import``: one CSV import (``app.order_files.import_orders``) of a Shopify order
  export.

Results go back as plain dicts (picklable). No timing is asserted anywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError

from drivers.printer import open_label_printer
from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from tests.support.app import app_for

RETRY_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ORDER_PREFIX = "L-"  # the load's own orders; the import's are not packed by the stations
T = TypeVar("T")


class Barrier(Protocol):
    """A barrier shared with the other processes (a ``multiprocessing.Manager`` proxy)."""

    def wait(self, timeout: float | None = None) -> Any: ...


class Event(Protocol):
    """An event shared with the other processes (a ``multiprocessing.Manager`` proxy)."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class Retries:
    """Counts the statements PostgreSQL failed to resolve a deadlock or a serialization
    conflict, each retried (up to ``limit`` times per step)."""

    def __init__(self, limit: int = 20) -> None:
        self.count = 0
        self.limit = limit

    def run(self, step: Callable[[], T]) -> T:
        for attempt in range(self.limit + 1):
            try:
                return step()
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) not in RETRY_SQLSTATES or attempt == self.limit:
                    raise
                self.count += 1
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")


def station(url: str, station_name: str, username: str, pin: str, printer_uri: str, documents_dir: str,
            barcodes: dict[str, str], barrier: Barrier) -> dict[str, Any]:
    """Pack the load's orders until none is left, scanning ``barcodes[sku]`` for each unit
    (the item in the packer's hand); returns what was shipped and the timings."""
    database = Database.connect(parse_url(url))
    app = app_for(database, label=open_label_printer(printer_uri), documents_dir=Path(documents_dir),
                  station=station_name)
    packer = app.users.sign_in_with_pin(username, pin)
    retries = Retries()
    shipped: list[tuple[str, int]] = []
    scans: list[float] = []
    not_printed: list[str] = []
    error = None
    barrier.wait(timeout=120)
    started = time.perf_counter()
    try:
        empty = 0
        while True:
            try:
                view = retries.run(lambda: app.packing.next_order(packer))
            except PackRefused as refused:
                if refused.code is not Refusal.QUEUE_EMPTY or empty >= 5:
                    break
                empty += 1  # "other stations took every order offered": ask again
                time.sleep(0.05)
                continue
            empty = 0
            if not view.order_number.startswith(ORDER_PREFIX):
                app.packing.cancel(packer, view.session_id, "load bench: not one of the load's orders")
                break
            for line in view.lines:
                code = barcodes[line.sku]
                for _unit in range(line.ordered - line.scanned):
                    before = time.perf_counter()
                    outcome = retries.run(lambda code=code, sid=view.session_id: app.packing.scan(packer, sid, code))
                    scans.append(time.perf_counter() - before)
                    if not outcome.accepted:
                        raise RuntimeError(f"{view.order_number}: scan refused: {outcome.message}")
                    view = outcome.view
            expected = view.expected_g
            assert expected is not None
            result = retries.run(lambda sid=view.session_id, g=expected: app.shipping.ship(packer, sid, Weighing(g)))
            shipped.append((view.order_number, result.shipment_id))
            if not result.printed:
                not_printed.append(view.order_number)
    except Exception as exc:  # reported to the caller as an unresolved failure of this station
        error = f"{type(exc).__name__}: {exc}"
    finished = time.perf_counter()
    database.dispose()
    return {"station": station_name, "shipped": shipped, "scans": scans, "retries": retries.count,
            "not_printed": not_printed, "error": error, "seconds": finished - started}


def dashboard(url: str, station_name: str, username: str, pin: str, barrier: Barrier, stop: Event) -> dict[str, Any]:
    """The manager's dashboard refreshed every second until ``stop``; each refresh timed."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station_name)
    manager = app.users.sign_in_with_pin(username, pin)
    refreshes: list[float] = []
    error = None
    barrier.wait(timeout=120)
    try:
        while not stop.is_set():
            before = time.perf_counter()
            app.reports.dashboard(manager)
            took = time.perf_counter() - before
            refreshes.append(took)
            stop.wait(max(0.0, 1.0 - took))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    database.dispose()
    return {"refreshes": refreshes, "error": error}


def order_import(url: str, station_name: str, username: str, pin: str, lines: int, barrier: Barrier) -> dict[str, Any]:
    """One import of a Shopify order export of ``lines`` line items, started with the stations."""
    from bench.import_orders import shopify_orders_export
    from fulfilstation.db.models import Product

    database = Database.connect(parse_url(url))
    app = app_for(database, station=station_name)
    manager = app.users.sign_in_with_pin(username, pin)
    with database.unit_of_work() as session:
        skus = [product.sku for product in session.query(Product).order_by(Product.sku)]
    data, orders = shopify_orders_export(lines, skus, prefix=3000)
    barrier.wait(timeout=120)
    before = time.perf_counter()
    error = None
    summary = ""
    try:
        report = app.order_files.import_orders(manager, data)
        summary = report.summary()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    took = time.perf_counter() - before
    database.dispose()
    return {"orders": orders, "seconds": took, "summary": summary, "error": error}
