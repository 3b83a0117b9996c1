"""Order import: 100,000 order lines (~30,000 orders) of a Shopify order export, and the
stations' scan latency while it runs.

    .venv/bin/python bench/import_orders.py [--lines 100000] [--scans 300] [--postgres URL]

The file is made as Shopify writes it (a BOM, Shopify's column set, the order's fields on
its first row only, 1 to 6 line items per order, zips with Excel's apostrophe, a note with
a quoted newline now and then). Timed through ``app.order_files.import_orders`` as a
signed-in manager on a migrated demo database: parsing alone, the first import (every order
new, checked, written, then reserved on arrival — the reserving also timed apart), a re-import of the same file (nothing
changes). Then the scan latency of a packing station (``app.packing.scan``, median and
p95) idle, and while the same import of a second file runs in another thread.
PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import UNITS_PER_ORDER, fresh_database, percentile  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Allocation, Order, OrderLine, Product, ProductBarcode, StockLevel  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.imports import read_csv_bytes  # noqa: E402
from fulfilstation.services.order_files import shopify as shopify_orders  # noqa: E402
from fulfilstation.services.orders import arrival  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402

HEADER_LINE = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
               "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
               "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
               "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,"
               "Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,"
               "Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,"
               "Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,"
               "Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
               "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,"
               "Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Phone,Receipt Number,Duties,Billing Province Name,"
               "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References")
HEADER = HEADER_LINE.split(",")
PLACES = [("Boston", "MA", "'02134"), ("Springfield", "IL", "'62704-1234"), ("Columbus", "OH", "43215"),
          ("Austin", "TX", "78701"), ("Seattle", "WA", "98101")]
NAMES = ["Avery Chen", "Jürgen Müller", "山田 太郎", "Dana O'Neil", "Zoë Ångström", "Sam Park"]


def shopify_orders_export(lines: int, skus: list[str], *, seed: int = 7, prefix: int = 1000) -> tuple[bytes, int]:
    """A Shopify order export of ``lines`` line-item rows; returns it and its order count."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    made = orders = 0
    while made < lines:
        orders += 1
        count = min(rng.choice([1, 1, 2, 3, 4, 5, 6, 3]), lines - made)
        name = f"#{prefix * 100 + orders}"
        city, region, zip_code = rng.choice(PLACES)
        person = rng.choice(NAMES)
        for index in range(count):
            made += 1
            row = dict.fromkeys(HEADER, "")
            row.update({"Name": name, "Lineitem quantity": str(rng.randint(1, 3)), "Lineitem name": "Thing",
                        "Lineitem price": f"{rng.randint(300, 5000) / 100:.2f}", "Lineitem sku": rng.choice(skus),
                        "Lineitem requires shipping": "true", "Lineitem taxable": "true",
                        "Lineitem fulfillment status": "pending"})
            if index == 0:
                row.update({"Email": "buyer@example.com", "Financial Status": "paid", "Currency": "USD",
                            "Total": f"{rng.randint(1000, 20000) / 100:.2f}", "Shipping Method": "Standard",
                            "Created at": f"2026-11-{rng.randint(1, 30):02d} 14:02:11 -0500",
                            "Shipping Name": person, "Shipping Address1": f"{rng.randint(1, 999)} Main St",
                            "Shipping City": city, "Shipping Zip": zip_code, "Shipping Province": region,
                            "Shipping Country": "US", "Billing Country": "US", "Id": str(5_000_000_000 + prefix *
                                                                                          100_000 + orders),
                            "Notes": "Leave at the door.\nThanks" if rng.random() < 0.05 else ""})
            writer.writerow([row[column] for column in HEADER])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), orders


def make_orders(database: Database, count: int) -> list[tuple[str, str]]:
    """``count`` ready orders of UNITS_PER_ORDER units of a plain stocked product: (number, barcode)."""
    made: list[tuple[str, str]] = []
    with database.unit_of_work() as session:
        stocked = select(StockLevel.product_id)
        products = session.execute(select(Product, ProductBarcode.code).join(ProductBarcode).where(
            Product.serial_tracked.is_(False), Product.lot_tracked.is_(False), Product.id.in_(stocked),
            ProductBarcode.pack_quantity == 1)).all()
        for index in range(count):
            product, code = products[index % len(products)]
            _one(session, index, product, code, made)
    return made


def _one(session: Session, index: int, product: Product, code: str, made: list[tuple[str, str]]) -> None:
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
    made.append((order.number, code[2:] if code.startswith("00") else code))


def ms(samples: list[float]) -> str:
    values = [sample * 1000 for sample in samples]
    if not values:
        return "no samples"
    return f"median {statistics.median(values):7.2f} ms   p95 {percentile(values, 0.95):8.2f} ms   " \
           f"max {max(values):8.2f} ms   (n={len(values)})"


def measure_import(backend: str, server: str | None, lines: int) -> tuple[float, int]:
    """Seconds of the first import of ``lines`` order lines (read, checked, written, reserved on
    arrival) through ``app.order_files.import_orders`` on a fresh ``backend`` database, and the
    orders it made."""
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        with database.unit_of_work() as session:
            skus = list(session.scalars(select(Product.sku).order_by(Product.sku)))
        data, _orders = shopify_orders_export(lines, skus)
        app = app_for(database, station="BENCH")
        manager = sign_in(app, "manager")
        started = time.perf_counter()
        report = app.order_files.import_orders(manager, data)
        took = time.perf_counter() - started
        return took, report.imported


def run(backend: str, server: str | None, lines: int, scans: int) -> None:
    with fresh_database(backend, server) as database, tempfile.TemporaryDirectory() as slips:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        with database.unit_of_work() as session:
            skus = list(session.scalars(select(Product.sku).order_by(Product.sku)))
        first, orders = shopify_orders_export(lines, skus)
        second, _ = shopify_orders_export(lines, skus, seed=8, prefix=2000)
        packs = make_orders(database, 20)
        app = app_for(database, documents_dir=Path(slips), station="BENCH")
        manager = sign_in(app, "manager")
        packer = sign_in(app, "packer")
        print(f"\n{backend}: {lines} order lines, {orders} orders, {len(first) / 1e6:.1f} MB")
        started = time.perf_counter()
        parsed = shopify_orders.parse(read_csv_bytes(first), "shopify-csv")
        print(f"  read and parse the CSV alone          {time.perf_counter() - started:6.2f} s   "
              f"({len(parsed.orders)} orders)")
        reserving: list[float] = []
        real_reserve = arrival.reserve_arrivals

        def timed_reserve(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real_reserve(*args, **kwargs)
            finally:
                reserving.append(time.perf_counter() - started)

        arrival.reserve_arrivals = timed_reserve  # the write door calls it through the module: timed apart
        for label, data in (("first import, reserved on arrival", first), ("re-import, unchanged", first)):
            reserving.clear()
            started, cpu = time.perf_counter(), time.process_time()
            report = app.order_files.import_orders(manager, data)
            print(f"  {label:<37} {time.perf_counter() - started:6.2f} s   {report.summary()}, "
                  f"unchanged {report.unchanged}, warnings {len(report.warnings)}; this process's CPU "
                  f"{time.process_time() - cpu:.2f} s, load average {os.getloadavg()[0]:.1f}")
            if label.startswith("first"):
                with database.unit_of_work() as session:
                    ready = session.scalar(select(func.count()).select_from(Order).where(
                        Order.channel == "shopify-csv", Order.status == "ready"))
                    waiting = session.scalar(select(func.count()).select_from(Order).where(
                        Order.channel == "shopify-csv", Order.backorder.is_(True)))
                print(f"  {'':<37} {'':>6}     of which reserving {sum(reserving):.2f} s: {ready} orders reserved "
                      f"and ready, {waiting} backorders (the demo's stock is small)")
        queue = itertools.cycle(packs)  # a cancelled pack gives its order back to the queue

        def scan_some(count: int, until: threading.Event | None = None) -> list[float]:
            samples: list[float] = []
            while len(samples) < count and not (until is not None and until.is_set()):
                number, code = next(queue)
                view = app.packing.start(packer, number)
                for _unit in range(UNITS_PER_ORDER):
                    started = time.perf_counter()
                    outcome = app.packing.scan(packer, view.session_id, code)
                    samples.append(time.perf_counter() - started)
                    view = outcome.view
                app.packing.cancel(packer, view.session_id)
            return samples

        idle = scan_some(scans)
        done = threading.Event()
        took: list[float] = []

        def import_second() -> None:
            started = time.perf_counter()
            app.order_files.import_orders(manager, second)
            took.append(time.perf_counter() - started)
            done.set()

        worker = threading.Thread(target=import_second)  # writing, then reserving on arrival
        worker.start()
        busy = scan_some(scans * 100, done)
        worker.join()
        print(f"  scan, idle                            {ms(idle)}")
        print(f"  scan, while importing ({took[0]:5.1f} s)     {ms(busy)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    parser.add_argument("--postgres-only", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()
    if not args.postgres_only:
        run("sqlite", None, args.lines, args.scans)
    if args.postgres:
        run("postgresql", args.postgres, args.lines, args.scans)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
