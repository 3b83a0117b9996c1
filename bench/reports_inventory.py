"""The inventory and returns report over a big history: what ``reports.inventory`` (30 days)
and the daily report (``reports.daily``: its sections and the PDF) cost.

    .venv/bin/python bench/reports_inventory.py [--shipments 100000] [--postgres URL]

Builds the demo (its users, products and bins) plus ``--shipments`` shipped orders over the
last 30 days (1–3 lines each, one package, a voided one in 50), an RMA for one order in 40
(half closed and processed), 300 completed cycle counts and 500 pending orders (a fifth of them
backorders, some of a product with no stock), written with bulk INSERTs; then times the
report and the daily PDF. PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL`` names a
server (a database of its own is made and dropped). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import (  # noqa: E402
    CarrierAccount,
    CarrierService,
    CycleCount,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Rma,
    RmaLine,
    Shipment,
)
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.domain.return_reasons import REASONS  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.counts.abc import shipped_figures  # noqa: E402
from fulfilstation.services.reports import inventory_queries  # noqa: E402

T = TypeVar("T")
CHUNK = 10_000


def _bulk(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start:start + CHUNK])


def fill(database: Database, shipments: int, now: dt.datetime, rng: random.Random) -> None:
    with database.unit_of_work() as session:
        products = list(session.scalars(select(Product.id).order_by(Product.id)))
        session.execute(insert(Product), [{"sku": "BENCH-NONE", "name": "Never in stock"}])
        none = session.scalars(select(Product.id).where(Product.sku == "BENCH-NONE")).one()
        account = session.scalars(select(CarrierAccount.id).order_by(CarrierAccount.id)).first()
        service = session.scalars(select(CarrierService.id).order_by(CarrierService.id)).first()
        order_id = int(session.scalar(select(func.max(Order.id))) or 0)
        line_id = int(session.scalar(select(func.max(OrderLine.id))) or 0)
        orders, lines, shipped, packages, items, rmas, rma_lines = [], [], [], [], [], [], []
        for n in range(shipments):
            order_id += 1
            at = now - dt.timedelta(seconds=rng.randint(0, 30 * 86400))
            orders.append({"id": order_id, "channel": "bench", "external_id": f"S{n}", "number": f"BS{n:07d}",
                           "status": "shipped", "ship_to_name": "A", "ship_to_line1": "1 St", "ship_to_city": "X",
                           "ship_to_postal_code": "62704", "ship_to_country": "US", "created_at": at,
                           "updated_at": at})
            shipped.append({"id": order_id, "order_id": order_id, "carrier_account_id": account, "service_id": service,
                            "status": "voided" if n % 50 == 0 else "printed", "tracking_number": f"BT{n:09d}",
                            "created_at": at, "cost_minor": 700, "currency": "USD"})
            packages.append({"id": order_id, "shipment_id": order_id, "sequence": 1, "weight_measured_g": 500})
            for _ in range(rng.randint(1, 3)):
                line_id += 1
                product, quantity = rng.choice(products), rng.randint(1, 3)
                lines.append({"id": line_id, "order_id": order_id, "line_no": len(lines) + 1, "product_id": product,
                              "quantity": quantity, "unit_price_minor": rng.randint(300, 5000)})
                items.append({"package_id": order_id, "order_line_id": line_id, "product_id": product,
                              "quantity": quantity})
                if n % 40 == 0:
                    closed = n % 80 == 0
                    rma_id = len(rmas) + 1
                    received = at + dt.timedelta(days=3)
                    rmas.append({"id": rma_id, "number": f"BR{n:07d}-{line_id}", "order_id": order_id,
                                 "status": "closed" if closed else "open", "created_at": at + dt.timedelta(days=1),
                                 "received_at": received if closed else None,
                                 "processed_at": received + dt.timedelta(hours=rng.randint(1, 96)) if closed else None})
                    rma_lines.append({"rma_id": rma_id, "product_id": product, "quantity_expected": quantity,
                                      "quantity_received": quantity if closed else 0,
                                      "quantity_graded": quantity if closed else 0,
                                      "reason_code": rng.choice(list(REASONS))})
        for n in range(500):
            order_id += 1
            line_id += 1
            orders.append({"id": order_id, "channel": "bench", "external_id": f"P{n}", "number": f"BP{n:07d}",
                           "status": "pending", "backorder": n % 5 == 0, "ship_to_name": "A", "ship_to_line1": "1 St",
                           "ship_to_city": "X", "ship_to_postal_code": "62704", "ship_to_country": "US",
                           "created_at": now, "updated_at": now})
            lines.append({"id": line_id, "order_id": order_id, "line_no": 1,
                          "product_id": none if n % 5 == 0 else rng.choice(products), "quantity": 1})
        _bulk(session, Order, orders)
        _bulk(session, OrderLine, lines)
        _bulk(session, Shipment, shipped)
        _bulk(session, Package, packages)
        _bulk(session, PackageItem, items)
        _bulk(session, Rma, rmas)
        _bulk(session, RmaLine, rma_lines)
        _bulk(session, CycleCount, [
            {"number": f"BCC{n:05d}", "status": "completed", "completed_at": now - dt.timedelta(hours=n * 2),
             "lines_counted": 20, "lines_exact": rng.randint(14, 20), "units_variance": rng.randint(0, 9),
             "value_variance_minor": rng.randint(0, 9000)} for n in range(300)])


def timed(label: str, job: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = job()
    print(f"{label:<52} {(time.perf_counter() - started) * 1000:9.1f} ms")
    return result


def run(backend: str, server: str | None, shipments: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine)
        seed_demo(database)
        app = build_services(database, Ports(documents_dir=Path(tempfile.mkdtemp())), "BENCH-1")
        started = time.perf_counter()
        fill(database, shipments, dt.datetime.now(dt.UTC), random.Random(14))
        print(f"\n{backend}: {shipments} shipments over 30 days (written in {time.perf_counter() - started:.1f} s)")
        manager = app.users.sign_in_with_pin("manager", "2222", None)
        today = app.reports.today()
        month = app.reports.period(today - dt.timedelta(days=29), today)
        report = timed("reports.inventory (30 days)", lambda: app.reports.inventory(manager, month))
        timed("  again (warm)", lambda: app.reports.inventory(manager, month))
        with database.unit_of_work() as session:
            timed("  of which the shipped figures (counts.abc)",
                  lambda: shipped_figures(session, month.start_utc, month.end_utc))
            timed("  of which the stock-outs", lambda: inventory_queries._stock_outs(session))
        print(f"{'  rows in its tables':<52} {sum(len(t.rows) for t in report.tables()):9d}")
        daily = timed("reports.daily (today: sections + PDF)", lambda: app.reports.daily(manager, today))
        print(f"{'  PDF size':<52} {len(daily.pdf) // 1024:9d} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    parser.add_argument("--postgres-only", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()
    for backend in ([] if args.postgres_only else ["sqlite"]) + (["postgresql"] if args.postgres else []):
        run(backend, args.postgres, args.shipments)


if __name__ == "__main__":
    main()
