"""Replenishment and slotting: what the reorder report (with a forecast per product) and a
slotting proposal cost on a catalogue bigger than the demo.

    .venv/bin/python bench/replenishment.py [--products 500] [--days 120] [--postgres URL]

Builds the demo (its users and bins) plus ``--products`` products, each with a reorder
point above its stock and ``--days`` days of shipped history (``ship`` stock moves with a
weekly pattern and a trend, one per day), then times: reading the report's inputs (one
query per table), the forecasts alone (Holt-Winters per product), the whole report, its
CSV, and ``slotting.propose``. PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL``
names a server (a database of its own is made and dropped). Prints figures; asserts nothing.
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
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Bin, Product, StockLevel, StockMove  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.replenishment.report import build_report, read_inputs  # noqa: E402

T = TypeVar("T")


def fill(database: Database, products: int, days: int, today: dt.date, rng: random.Random) -> None:
    with database.unit_of_work() as session:
        bins = list(session.scalars(select(Bin.id).where(Bin.kind.in_(("pickable", "storage")))))
        session.execute(insert(Product), [{"sku": f"R-{n:05d}", "name": f"Bench product {n}", "reorder_point": 500,
                                           "safety_stock": 20, "supplier": f"Supplier {n % 7}"}
                                          for n in range(products)])
        ids = list(session.scalars(select(Product.id).where(Product.sku.like("R-%")).order_by(Product.id)))
        levels, ledger = [], []
        first = today - dt.timedelta(days=days)
        for pid in ids:
            bin_id, on_hand = rng.choice(bins), rng.randint(50, 300)
            levels.append({"product_id": pid, "bin_id": bin_id, "lot_code": "", "on_hand": on_hand})
            base, slope = rng.uniform(2, 20), rng.uniform(-0.02, 0.08)
            shipped = []
            for offset in range(days):
                day = first + dt.timedelta(days=offset)
                units = max(0, round(base + slope * offset + (3 if day.weekday() < 5 else -4) + rng.gauss(0, 1.5)))
                if units:
                    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
                    shipped.append({"product_id": pid, "from_bin_id": bin_id, "lot_code": "", "quantity": units,
                                    "reason": "ship", "created_at": at})
            ledger.append({"product_id": pid, "to_bin_id": bin_id, "lot_code": "", "reason": "receive",
                           "quantity": on_hand + sum(row["quantity"] for row in shipped)})
            ledger += shipped
        session.execute(insert(StockLevel), levels)
        for start in range(0, len(ledger), 20_000):
            session.execute(insert(StockMove), ledger[start:start + 20_000])


def timed(label: str, job: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = job()
    print(f"{label:<44} {(time.perf_counter() - started) * 1000:9.1f} ms")
    return result


def run(backend: str, server: str | None, products: int, days: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine)
        seed_demo(database)
        app = build_services(database, Ports(documents_dir=Path(tempfile.mkdtemp())), "BENCH-1")
        today = app.replenishment.today()
        fill(database, products, days, today, random.Random(13))
        print(f"\n{backend}: {products} products × {days} days of shipped history")
        with database.unit_of_work() as session:
            inputs = timed("read the inputs (one query per table)", lambda: read_inputs(session, today, days))
        report = timed("forecasts + rows (CPU only)", lambda: build_report(inputs, today, days, 7))
        started = time.perf_counter()
        build_report(inputs, today, days, 7)
        each = (time.perf_counter() - started) * 1000 / max(1, len(inputs.products))
        print(f"{'  per product (again)':<44} {each:9.2f} ms")
        timed("the whole report (app.replenishment.report)", app.replenishment.report)
        timed("its CSV (export)", lambda: app.replenishment.export(Path(tempfile.mkdtemp()) / "r.csv", report))
        manager = app.users.sign_in_with_pin("manager", "2222", None)
        timed("slotting.propose (30 days, 20 moves)", lambda: app.slotting.propose(manager))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    for backend in ["sqlite"] + (["postgresql"] if args.postgres else []):
        run(backend, args.postgres, args.products, args.days)


if __name__ == "__main__":
    main()
