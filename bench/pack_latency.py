"""Packing-station latency: scan → verified and committed, and last action → label bytes at
a TCP printer, on SQLite and PostgreSQL, beside one bare single-row UPDATE + commit on the
same database in the same run.

Everything goes through the use cases, as the window and the CLI do: ``AppServices`` built
for station ``BENCH`` with the TCP printer simulator as its label printer, the demo packer
signed in with their PIN, ``app.packing.scan`` per scan and ``app.shipping.ship`` to ship
(it records, prints the label, then saves the packing slip as a PDF: no document printer).
"ship → label at printer" stops when the simulator has the label; "ship → use case done"
also counts the packing slip.

    .venv/bin/python bench/pack_latency.py [--scans 1000] [--labels 50] [--postgres URL]

PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL`` names a server; the script makes
its own database there and drops it afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import bindparam, create_engine, select, text, update  # noqa: E402
from sqlalchemy.engine import URL  # noqa: E402

from drivers.printer import open_label_printer  # noqa: E402
from drivers.sim.printer import ZplPrinterSimulator  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import (  # noqa: E402
    Allocation,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    SiteSetting,
    StockLevel,
)
from fulfilstation.db.url import parse_url, sqlite_url  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.actor import Actor  # noqa: E402
from fulfilstation.services.app import AppServices  # noqa: E402
from fulfilstation.services.packing import PackView, Weighing  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402

UNITS_PER_ORDER = 4


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"median {statistics.median(ms):6.2f} ms   p99 {percentile(ms, 0.99):6.2f} ms   (n={len(ms)})"


@contextmanager
def fresh_database(backend: str, server: str | None) -> Iterator[Database]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            database = Database.connect(sqlite_url(Path(directory) / "bench.sqlite3"))
            yield database
            database.dispose()
        return
    assert server is not None
    admin = parse_url(server)
    name = f"fulfil_bench_{uuid.uuid4().hex[:8]}"
    _admin(admin, f'CREATE DATABASE "{name}"')
    database = Database.connect(admin.set(database=name))
    try:
        yield database
    finally:
        database.dispose()
        _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: URL, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def make_orders(database: Database, count: int) -> list[tuple[str, str]]:
    """``count`` ready orders of UNITS_PER_ORDER units of a plain product: (number, barcode)."""
    made = []
    with database.unit_of_work() as session:
        stocked = select(StockLevel.product_id)  # a product the demo holds no stock of has no level to reserve
        products = session.execute(select(Product, ProductBarcode.code).join(ProductBarcode).where(
            Product.serial_tracked.is_(False), Product.lot_tracked.is_(False), Product.id.in_(stocked),
            ProductBarcode.pack_quantity == 1)).all()
        for index in range(count):
            product, code = products[index % len(products)]
            order = Order(channel="bench", external_id=str(index), number=f"B-{index:05d}", status="ready",
                          ship_to_name="Bench", ship_to_line1="1 Main St", ship_to_city="Columbus",
                          ship_to_postal_code="43215", ship_to_country="US")
            session.add(order)
            session.flush()
            line = OrderLine(order_id=order.id, line_no=1, product_id=product.id, quantity=UNITS_PER_ORDER)
            session.add(line)
            session.flush()
            level = session.scalars(select(StockLevel).where(StockLevel.product_id == product.id)).first()
            assert level is not None
            level.on_hand += UNITS_PER_ORDER
            level.reserved += UNITS_PER_ORDER
            session.add(Allocation(order_line_id=line.id, stock_level_id=level.id, quantity=UNITS_PER_ORDER))
            made.append((order.number, code[2:]))
    return made


_BARE_UPDATE = update(SiteSetting).where(SiteSetting.key == bindparam("b_key")).values(value=bindparam("b_value"))


def bare_round_trips(database: Database, count: int) -> list[float]:
    """One single-row UPDATE + commit through the same unit of work a scan uses, with the
    statement built once (as the scan's are): the database round trip with the least Python."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        with database.unit_of_work() as session:
            session.connection().execute(_BARE_UPDATE, {"b_key": "currency", "b_value": "USD"})
        samples.append(time.perf_counter() - started)
    return samples


@dataclass(frozen=True)
class PackFigures:
    """Seconds per sample of one backend's run."""
    bare: list[float]
    scans: list[float]
    labels: list[float]
    ships: list[float]


def measure(backend: str, server: str | None, scans: int, labels: int) -> PackFigures:
    """``scans`` timed scans, then ``labels`` timed ships, on a fresh ``backend`` database."""
    with fresh_database(backend, server) as database, tempfile.TemporaryDirectory() as slips, \
            ZplPrinterSimulator() as simulator:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        orders = make_orders(database, scans // UNITS_PER_ORDER + labels)
        app = app_for(database, label=open_label_printer(simulator.uri), documents_dir=Path(slips), station="BENCH")
        packer = sign_in(app, "packer")
        bare = bare_round_trips(database, 1000)
        scan_samples: list[float] = []
        label_samples: list[float] = []
        ship_samples: list[float] = []
        for number, code in orders:
            view = app.packing.start(packer, number)
            for _unit in range(UNITS_PER_ORDER):
                started = time.perf_counter()
                outcome = app.packing.scan(packer, view.session_id, code)
                scan_samples.append(time.perf_counter() - started)
                assert outcome.accepted, outcome.message
                view = outcome.view
            if len(scan_samples) > scans:  # the orders past the scan budget are shipped and timed
                to_label, to_done = _ship_and_print(app, packer, view, simulator)
                label_samples.append(to_label)
                ship_samples.append(to_done)
        return PackFigures(bare, scan_samples[:scans], label_samples, ship_samples)


def run(backend: str, server: str | None, scans: int, labels: int) -> None:
    figures = measure(backend, server, scans, labels)
    print(f"\n{backend}")
    print(f"  bare UPDATE + commit      {summary(figures.bare)}")
    print(f"  scan → verified+committed {summary(figures.scans)}")
    print(f"  ship → label at printer   {summary(figures.labels)}")
    print(f"  ship → use case done      {summary(figures.ships)}   (label, then the packing slip saved)")
    ratio = percentile(figures.scans, 0.5) / percentile(figures.bare, 0.5)
    print(f"  scan median / bare median = {ratio:.1f}×")


def _ship_and_print(app: AppServices, packer: Actor, view: PackView,
                    simulator: ZplPrinterSimulator) -> tuple[float, float]:
    """From the packer's last action (ship at a steady weight) to the label bytes at the
    printer, and to the ship use case's return. A thread waits for the label at the
    simulator, so the label's time does not include the packing slip made after it."""
    assert view.expected_g is not None
    before = len(simulator.jobs)
    arrived: list[float] = []

    def wait_for_label() -> None:
        simulator.wait_for_jobs(before + 1, timeout=10)
        arrived.append(time.perf_counter())

    waiter = threading.Thread(target=wait_for_label, daemon=True)
    waiter.start()
    started = time.perf_counter()
    outcome = app.shipping.ship(packer, view.session_id, Weighing(view.expected_g))
    done = time.perf_counter()
    waiter.join(timeout=10)
    assert outcome.printed and outcome.slip_problem is None, outcome.problem or outcome.slip_problem
    assert arrived, "the label never reached the printer simulator"
    return arrived[0] - started, done - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--labels", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.scans, args.labels)
    if args.postgres:
        run("postgresql", args.postgres, args.scans, args.labels)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
