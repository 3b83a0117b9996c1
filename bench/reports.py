"""Reports: service levels and the dashboard over 100,000 shipments (target: under 3 s each on
PostgreSQL).

    .venv/bin/python bench/reports.py [--shipments 100000] [--open 3000] [--postgres URL] [--sqlite]
                                      [--indexes]

Builds the demo warehouse, then bulk-inserts (not through the use cases; not timed)
``--shipments`` shipped orders spread over the last 30 days — each with a line, a picked
pick-list line (four in five; the rest packed without a pick list), a completed pack session
and a printed shipment — and ``--open`` open orders (pending, ready, being packed), then times
``reports.sla`` over the last 30 days and ``reports.dashboard`` (each run twice: cold, warm).
``--indexes`` also times them again after creating the indexes the notes propose
(``CREATE INDEX`` in the bench's own database only). PostgreSQL: ``--postgres`` or
``FULFIL_TEST_POSTGRES_URL`` names a server (a database of its own is made and dropped).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import (  # noqa: E402
    Bin,
    CarrierAccount,
    CarrierService,
    Order,
    OrderLine,
    PackSession,
    PickList,
    PickListLine,
    Product,
    Shipment,
    Station,
    User,
)
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.reports import ReportSettings  # noqa: E402

BATCH = 5000
PER_LIST = 100
#: What the notes propose: the picked step reads pick-list lines by order line; the dashboard
#: reads open orders by status (indexed already) and today's orders by created_at.
INDEXES = ("CREATE INDEX ix_pick_list_lines_order_line_id ON pick_list_lines (order_line_id)",
           "CREATE INDEX ix_orders_created_at ON orders (created_at)")


def fill(database: Database, shipments: int, open_orders: int, rng: random.Random) -> None:
    now = dt.datetime.now(dt.UTC)
    with database.unit_of_work() as session:
        products = list(session.scalars(select(Product.id).order_by(Product.id)))
        bin_id = session.scalars(select(Bin.id).order_by(Bin.id)).first()
        station_id = session.scalars(select(Station.id).order_by(Station.id)).first()
        if station_id is None:
            station = Station(name="BENCH-PACK")
            session.add(station)
            session.flush()
            station_id = station.id
        user_id = session.scalars(select(User.id).where(User.username == "packer")).one()
        service_id, account_id = session.execute(
            select(CarrierService.id, CarrierAccount.id)
            .join(CarrierAccount, CarrierAccount.carrier_id == CarrierService.carrier_id)
            .order_by(CarrierService.id).limit(1)).one()
        for start in range(0, shipments, BATCH):
            numbers = range(start, min(start + BATCH, shipments))
            received = {n: now - dt.timedelta(minutes=rng.uniform(60, 30 * 24 * 60)) for n in numbers}
            ready = {n: received[n] + dt.timedelta(minutes=rng.uniform(1, 90)) for n in numbers}
            picked = {n: ready[n] + dt.timedelta(minutes=rng.uniform(10, 240)) for n in numbers}
            packed = {n: picked[n] + dt.timedelta(minutes=rng.uniform(5, 90)) for n in numbers}
            shipped = {n: packed[n] + dt.timedelta(seconds=rng.uniform(1, 30)) for n in numbers}
            order_ids = session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), [
                {"channel": "bench", "external_id": f"R{n}", "number": f"RB-{n:06d}", "status": "shipped",
                 "ship_to_name": "Bench", "ship_to_line1": "1 Bench St", "ship_to_city": "Columbus",
                 "ship_to_region": "OH", "ship_to_postal_code": "43215", "ship_to_country": "US",
                 "ship_by": (received[n] + dt.timedelta(days=rng.choice((0, 1, 1, 2)))).date()
                 if n % 10 else None,
                 "created_at": received[n], "updated_at": shipped[n], "ready_at": ready[n], "total_minor": 0,
                 "currency": "USD"} for n in numbers]).all()
            line_ids = session.scalars(insert(OrderLine).returning(OrderLine.id, sort_by_parameter_order=True), [
                {"order_id": order_id, "line_no": 1, "product_id": products[n % len(products)], "quantity": 1,
                 "unit_price_minor": 0} for n, order_id in zip(numbers, order_ids, strict=True)]).all()
            lists = {}
            for n in numbers:
                if n % PER_LIST == 0:
                    lists[n // PER_LIST] = session.scalars(insert(PickList).returning(PickList.id), [
                        {"number": f"PLB-{n // PER_LIST:06d}", "status": "done", "created_at": ready[n]}]).one()
            session.execute(insert(PickListLine), [
                {"pick_list_id": lists[n // PER_LIST], "order_line_id": line_id,
                 "product_id": products[n % len(products)], "bin_id": bin_id, "quantity": 1, "picked_quantity": 1,
                 "picked_at": picked[n], "picked_by_id": user_id}
                for n, line_id in zip(numbers, line_ids, strict=True) if n % 5])
            pack_ids = session.scalars(insert(PackSession).returning(PackSession.id, sort_by_parameter_order=True), [
                {"order_id": order_id, "station_id": station_id, "user_id": user_id, "status": "completed",
                 "started_at": picked[n], "ended_at": packed[n], "heard_at": packed[n]}
                for n, order_id in zip(numbers, order_ids, strict=True)]).all()
            session.execute(insert(Shipment), [
                {"order_id": order_id, "pack_session_id": pack_id, "carrier_account_id": account_id,
                 "service_id": service_id, "status": "printed", "tracking_number": f"RBT{n:09d}",
                 "created_at": shipped[n], "cost_minor": 0, "currency": "USD"}
                for n, order_id, pack_id in zip(numbers, order_ids, pack_ids, strict=True)])
        statuses = ("pending", "ready", "ready", "packing")
        session.execute(insert(Order), [
            {"channel": "bench", "external_id": f"RO{n}", "number": f"RO-{n:06d}", "status": statuses[n % 4],
             "ship_to_name": "Bench", "ship_to_line1": "1 Bench St", "ship_to_city": "Columbus",
             "ship_to_region": "OH", "ship_to_postal_code": "43215", "ship_to_country": "US",
             "ship_by": (now + dt.timedelta(days=rng.randint(-3, 3))).date(),
             "created_at": now - dt.timedelta(minutes=rng.uniform(1, 3000)),
             "ready_at": now - dt.timedelta(minutes=rng.uniform(1, 600)) if n % 4 else None,
             "total_minor": 0, "currency": "USD"} for n in range(open_orders)])


def timed(label: str, call: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = call()
    print(f"  {label}: {time.perf_counter() - started:.2f} s", end="")
    return result


def run(backend: str, server: str | None, shipments: int, open_orders: int, indexes: bool) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine)
        seed_demo(database)
        started = time.perf_counter()
        fill(database, shipments, open_orders, random.Random(14))
        if backend == "postgresql":
            with database.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        print(f"{backend}: {shipments} shipments and {open_orders} open orders inserted in "
              f"{time.perf_counter() - started:.1f} s (set-up, not timed)")
        app = build_services(database, Ports(), "BENCH")
        owner = app.users.sign_in_with_pin("owner", "3333", "BENCH")
        app.reports.set_settings(owner, ReportSettings(time_zone="America/Chicago"))
        period = app.reports.period(app.reports.today() - dt.timedelta(days=29), app.reports.today())

        def measure(when: str) -> None:
            for attempt in ("cold", "warm"):
                print(f"{when}, {attempt}:", end="")
                report = timed("sla(30 days)", lambda: app.reports.sla(owner, period))
                timed("; dashboard()", lambda: app.reports.dashboard(owner))
                print(f"  [{getattr(report, 'orders', 0)} orders shipped in the period]")

        measure("without new indexes")
        if indexes:
            with database.engine.begin() as connection:
                for statement in INDEXES:
                    connection.execute(text(statement))
                if backend == "postgresql":
                    connection.execute(text("ANALYZE"))
            measure("with the proposed indexes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=3000)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite", action="store_true", help="also on SQLite")
    parser.add_argument("--indexes", action="store_true", help="time again with the proposed indexes")
    args = parser.parse_args()
    if args.sqlite or not args.postgres:
        run("sqlite", None, args.shipments, args.open, args.indexes)
    if args.postgres:
        run("postgresql", args.postgres, args.shipments, args.open, args.indexes)


if __name__ == "__main__":
    main()
