"""Packing-station latency: scan → verified and committed, and last action → label bytes at
a TCP printer, on SQLite and PostgreSQL, beside one bare single-row UPDATE + commit on the
same database in the same run.

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
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
    PackSession,
    Product,
    ProductBarcode,
    SiteSetting,
    StockLevel,
    User,
)
from fulfilstation.db.url import parse_url, sqlite_url  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.ports import LabelPrinter  # noqa: E402
from fulfilstation.services.packing import Weighing, print_shipment, scan_item, ship, start_pack  # noqa: E402
from fulfilstation.services.packing.loading import build_view, load_state  # noqa: E402
from fulfilstation.services.stations.registry import ensure_station  # noqa: E402

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
        products = session.execute(select(Product, ProductBarcode.code).join(ProductBarcode).where(
            Product.serial_tracked.is_(False), Product.lot_tracked.is_(False),
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


def run(backend: str, server: str | None, scans: int, labels: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        orders = make_orders(database, scans // UNITS_PER_ORDER + labels)
        station = ensure_station(database, "BENCH").id
        with database.unit_of_work() as session:
            packer = session.scalars(select(User.id).where(User.username == "packer")).one()
        bare = bare_round_trips(database, 1000)
        scan_samples: list[float] = []
        ship_samples: list[float] = []
        with ZplPrinterSimulator() as simulator:
            printer = open_label_printer(simulator.uri)
            for number, code in orders:
                view = start_pack(database, number, station, packer)
                for _unit in range(UNITS_PER_ORDER):
                    started = time.perf_counter()
                    scan_item(database, view.session_id, code)
                    scan_samples.append(time.perf_counter() - started)
                if len(scan_samples) > scans:  # the orders past the scan budget are shipped and timed
                    ship_samples.append(_ship_and_print(database, view.session_id, printer, simulator))
        print(f"\n{backend}")
        print(f"  bare UPDATE + commit      {summary(bare)}")
        print(f"  scan → verified+committed {summary(scan_samples[:scans])}")
        print(f"  ship → label at printer   {summary(ship_samples)}")
        ratio = percentile(scan_samples[:scans], 0.5) / percentile(bare, 0.5)
        print(f"  scan median / bare median = {ratio:.1f}×")


def _ship_and_print(database: Database, session_id: int, printer: LabelPrinter,
                    simulator: ZplPrinterSimulator) -> float:
    """From the packer's last action (ship at a steady weight) to the label bytes at the printer."""
    with database.unit_of_work() as session:
        view = build_view(session, load_state(session, session.get_one(PackSession, session_id)))
    assert view.expected_g is not None
    before = len(simulator.jobs)
    started = time.perf_counter()
    shipment_id, _labels = ship(database, session_id, Weighing(view.expected_g))
    outcome = print_shipment(database, printer, shipment_id)
    assert outcome.printed, outcome.problem
    simulator.wait_for_jobs(before + 1, timeout=10)
    return time.perf_counter() - started


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
