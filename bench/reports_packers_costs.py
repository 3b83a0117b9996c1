"""The packers' and costs reports over a month of 100,000 shipped orders, on SQLite and
PostgreSQL. Target (issue #14): each report, tables and charts included, < 3 s on PostgreSQL.

    .venv/bin/python bench/reports_packers_costs.py [--orders 100000] [--postgres URL]

The history is made with bulk INSERTs (not through the packing flow): per order a completed
pack session of one of the demo's packers (2–12 minutes), one shipment (every 25th has a
voided one before it) with a label cost, 1–2 packages in demo boxes, 1–2 order lines
of 1–2 units, and every 20th session a refused scan. The demo manager signs in and asks for the
30 days (site time zone America/Chicago, labour 18.00 USD an hour). PostgreSQL: ``--postgres``
or ``FULFIL_TEST_POSTGRES_URL`` names a server; the script makes its own database there and
drops it afterwards. Prints figures; asserts only that every order is counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from bench.pack_latency import fresh_database  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import (  # noqa: E402
    BoxType,
    CarrierAccount,
    CarrierService,
    Order,
    OrderLine,
    Package,
    PackageItem,
    PackSession,
    Product,
    ScanEvent,
    Shipment,
    User,
)
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.reports import Period, ReportSettings  # noqa: E402
from fulfilstation.services.stations.registry import ensure_station  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402

TARGET_S = 3.0
BATCH = 5000
DAYS = 30
FIRST = dt.date(2026, 10, 1)


def build(database: Database, count: int, station_id: int) -> None:
    rng = random.Random(14)
    with database.unit_of_work() as session:
        users = list(session.scalars(select(User.id).where(User.username.in_(("packer", "packer2", "manager")))))
        products = list(session.scalars(select(Product.id).order_by(Product.id)))
        boxes = list(session.scalars(select(BoxType.id).order_by(BoxType.id)))
        services = [(account, service) for account, service in session.execute(
            select(CarrierAccount.id, CarrierService.id)
            .join(CarrierService, CarrierService.carrier_id == CarrierAccount.carrier_id))]
    start = dt.datetime.combine(FIRST, dt.time(14), tzinfo=dt.UTC)
    for first in range(0, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        ended = {n: start + dt.timedelta(seconds=n * DAYS * 86400 // count) for n in numbers}
        with database.unit_of_work() as session:
            order_ids = session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), [
                dict(channel=("shop", "web", "csv")[n % 3], external_id=f"R{n}", number=f"R-{n:06d}",
                     status="shipped", ship_to_name="Customer", ship_to_line1="1 Main St", ship_to_city="Springfield",
                     ship_to_postal_code="62704", ship_to_country="US", currency="USD",
                     shipping_charged_minor=None if n % 7 == 0 else rng.choice((0, 495, 795, 995)))
                for n in numbers]).all()
            session_ids = session.scalars(insert(PackSession).returning(PackSession.id, sort_by_parameter_order=True), [
                dict(order_id=order_id, station_id=station_id, user_id=users[n % len(users)], status="completed",
                     started_at=ended[n] - dt.timedelta(seconds=rng.randint(120, 720)), ended_at=ended[n])
                for n, order_id in zip(numbers, order_ids, strict=True)]).all()
            voided = [dict(order_id=order_id, pack_session_id=session_id, carrier_account_id=services[0][0],
                           service_id=services[0][1], status="voided", cost_minor=900, currency="USD",
                           tracking_number=f"RV{n:09d}", created_at=ended[n] - dt.timedelta(minutes=20))
                      for n, order_id, session_id in zip(numbers, order_ids, session_ids, strict=True) if n % 25 == 0]
            if voided:
                session.execute(insert(Shipment), voided)
            shipment_ids = session.scalars(insert(Shipment).returning(Shipment.id, sort_by_parameter_order=True), [
                dict(order_id=order_id, pack_session_id=session_id, carrier_account_id=services[n % len(services)][0],
                     service_id=services[n % len(services)][1], status="printed", cost_minor=rng.randint(450, 2500),
                     currency="USD", tracking_number=f"RT{n:09d}", created_at=ended[n] + dt.timedelta(minutes=1))
                for n, order_id, session_id in zip(numbers, order_ids, session_ids, strict=True)]).all()
            picked = {n: rng.sample(products, rng.randint(1, 2)) for n in numbers}
            line_ids = session.scalars(insert(OrderLine).returning(OrderLine.id, sort_by_parameter_order=True), [
                dict(order_id=order_id, line_no=k + 1, product_id=product, quantity=2)
                for n, order_id in zip(numbers, order_ids, strict=True) for k, product in enumerate(picked[n])]).all()
            lines = iter(line_ids)
            packages, contents = [], []
            for n, shipment_id, session_id in zip(numbers, shipment_ids, session_ids, strict=True):
                own = [(next(lines), product) for product in picked[n]]
                for sequence in range(1, 2 + (n % 5 == 0)):
                    packages.append(dict(shipment_id=shipment_id, pack_session_id=session_id, sequence=sequence,
                                         box_type_id=rng.choice(boxes), weight_measured_g=500, weight_expected_g=500,
                                         tracking_number=f"RP{n:09d}{sequence}"))
                    contents.append(own if sequence == 1 else own[:1])
            package_ids = session.scalars(insert(Package).returning(Package.id, sort_by_parameter_order=True),
                                          packages).all()
            session.execute(insert(PackageItem), [
                dict(package_id=package_id, order_line_id=line_id, product_id=product, quantity=rng.randint(1, 2))
                for package_id, held in zip(package_ids, contents, strict=True) for line_id, product in held])
            session.execute(insert(ScanEvent), [
                dict(pack_session_id=session_id, station_id=station_id, user_id=users[n % len(users)], raw="X",
                     product_id=rng.choice(products), result="refused",
                     refusal=("not-on-order", "over-quantity", "unknown-barcode")[n % 3], created_at=ended[n])
                for n, session_id in zip(numbers, session_ids, strict=True) if n % 20 == 0])


def run(backend: str, server: str | None, count: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        station = ensure_station(database, "BENCH-PACK").id
        started = time.perf_counter()
        build(database, count, station)
        built = time.perf_counter() - started
        app = app_for(database, station="BENCH-OFFICE")
        app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="America/Chicago",
                                                                       labour_rate_minor=1800, currency="USD"))
        manager = sign_in(app, "manager")
        period = Period(FIRST - dt.timedelta(days=1), FIRST + dt.timedelta(days=DAYS + 1), app.reports.period().zone)
        print(f"\n{backend}: {count} orders shipped over {DAYS} days (setup {built:.1f} s)")
        for name in ("packers", "costs"):
            started = time.perf_counter()
            report = getattr(app.reports, name)(manager, period)
            queried = time.perf_counter() - started
            tables, charts = report.tables(), report.charts()
            total = time.perf_counter() - started
            rows = sum(len(table.rows) for table in tables)
            verdict = "within" if total < TARGET_S else "OVER"
            print(f"  {name:8} query {queried:6.2f} s, + tables and charts {total:6.2f} s "
                  f"({rows} rows, {len(charts)} charts; {verdict} the {TARGET_S:.0f} s target)")
            if name == "packers":
                assert sum(p.orders for p in report.packers) == count
            else:
                assert len(report.orders) == count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        run("sqlite", None, args.orders)
    if args.postgres:
        run("postgresql", args.postgres, args.orders)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
