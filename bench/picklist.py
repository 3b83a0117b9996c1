"""Picking: a pick list of 500 orders created and printed (target: under 3 s together).

    .venv/bin/python bench/picklist.py [--orders 500] [--postgres URL]

Builds the demo warehouse, tops up every stock level (a ``receive`` move each, so the
ledger adds up), adds ``--orders`` pending orders of one to three demo products and reserves
them through ``orders.reserve_stock`` (not timed), then times, through the use cases:
``picking.create`` of the next ``--orders`` orders (claim, totes, one line per allocation,
the merged walk read back) and ``picking.pdf`` (every barcode drawn), and prints the
list's size. PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL`` names a server (a
database of its own is made and dropped). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Order, OrderLine, Product, ProductComponent, StockLevel, StockMove  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402

TOP_UP = 500


def fill(database: Database, orders: int, rng: random.Random) -> None:
    """Stock topped up and ``orders`` pending orders of demo products (no kits)."""
    with database.unit_of_work() as session:
        levels = session.execute(select(StockLevel.id, StockLevel.product_id, StockLevel.bin_id,
                                        StockLevel.lot_code)).all()
        session.execute(insert(StockMove), [{"product_id": p, "to_bin_id": b, "lot_code": lot, "quantity": TOP_UP,
                                             "reason": "receive", "note": "bench"} for _id, p, b, lot in levels])
        session.execute(update(StockLevel).values(on_hand=StockLevel.on_hand + TOP_UP))
        kits = select(ProductComponent.kit_id)
        products = list(session.scalars(select(Product.id).where(Product.id.not_in(kits))))
        today = dt.date.today()
        session.execute(insert(Order), [
            {"channel": "bench", "external_id": f"B{n}", "number": f"BN-{n:05d}", "status": "pending",
             "ship_to_name": "Bench Person", "ship_to_line1": "1 Bench St", "ship_to_city": "Columbus",
             "ship_to_region": "OH", "ship_to_postal_code": "43215", "ship_to_country": "US",
             "ship_by": today - dt.timedelta(days=1 + n % 3), "total_minor": 0, "currency": "USD"}
            for n in range(orders)])
        ids = list(session.scalars(select(Order.id).where(Order.channel == "bench").order_by(Order.id)))
        session.execute(insert(OrderLine), [
            {"order_id": order_id, "line_no": line_no, "product_id": product_id, "quantity": rng.randint(1, 3),
             "unit_price_minor": 0}
            for order_id in ids
            for line_no, product_id in enumerate(rng.sample(products, rng.randint(1, 3)), start=1)])


def run(backend: str, server: str | None, orders: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine)
        seed_demo(database)
        fill(database, orders, random.Random(13))
        app = build_services(database, Ports(), "BENCH")
        manager = app.users.sign_in_with_pin("manager", "2222", "BENCH")
        started = time.perf_counter()
        outcomes = app.orders.reserve_stock(manager, None)
        ready = sum(1 for outcome in outcomes if outcome.result == "ready")
        print(f"{backend}: {ready} of {orders} bench orders reserved in {time.perf_counter() - started:.1f} s "
              "(set-up, not timed)")
        packer = app.users.sign_in_with_pin("packer", "1111", "BENCH")
        started = time.perf_counter()
        created = app.picking.create(packer, next=orders)
        made = time.perf_counter() - started
        started = time.perf_counter()
        pdf = app.picking.pdf(created.number)
        printed = time.perf_counter() - started
        view = created.view
        print(f"  create {created.number}: {len(view.totes)} orders, {len(view.rows)} stops, {view.units} units, "
              f"in {made * 1000:.0f} ms")
        print(f"  PDF: {len(pdf) // 1024} KiB in {printed * 1000:.0f} ms")
        print(f"  create + PDF: {made + printed:.2f} s (target < 3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.orders)
    if args.postgres:
        run("postgresql", args.postgres, args.orders)


if __name__ == "__main__":
    main()
