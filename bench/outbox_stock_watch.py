"""The outbox worker's stock watcher with many products: what one pass costs.

    .venv/bin/python bench/outbox_stock_watch.py [--products 50000] [--db URL]

Seeds an SQLite file (or uses ``--db``, a migrated empty PostgreSQL database) with the demo
warehouse and ``--products`` products with stock in one or two bins, adds one shop channel
whose adapter is an in-process recorder (no network: this measures our side), then prints:

* the first push: every product queued (``stock.level`` rows) and delivered in batches of
  ``STOCK_BATCH`` per ``set_stock`` call, ``STOCK_PER_PASS`` rows per pass (the passes a
  schedule would run one ``poll_seconds`` apart, here back to back);
* a quiet pass (nothing changed): the cost the schedule pays every ``poll_seconds``;
* a pass after 10 stock changes (counts through ``app.stock.adjust``, as a person makes
  them): 10 rows queued and delivered;
* the watcher step alone (``StockWatch.queue``): a full pass (what every pass cost before
  the watcher looked only at what changed) against an incremental one after 10 changes,
  with how many products each looked at.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from fulfilstation.credentials import SecretStore  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Bin, Product, StockLevel  # noqa: E402
from fulfilstation.db.url import sqlite_url  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.integrations.ports import ChannelConfig, OrderPage, ShopChannel, StockPush, TrackingPush  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.integrations import ChannelFields  # noqa: E402
from fulfilstation.services.integrations.stock_watch import StockWatch  # noqa: E402
from fulfilstation.services.integrations.worker import STOCK_BATCH, STOCK_PER_PASS  # noqa: E402


class NullShop:
    """A shop that accepts everything at once (counts the calls)."""

    name = "bench"

    def __init__(self) -> None:
        self.stock_calls = 0

    def fetch_orders(self, state: Mapping[str, Any]) -> OrderPage:
        return OrderPage((), dict(state), False)

    def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                          notify_customer: bool, idempotency_key: str) -> Mapping[str, Any]:
        return {"fulfilment_id": idempotency_key}

    def cancel_fulfilment(self, order_external_id: str, reference: Mapping[str, Any]) -> None:
        return None

    def set_stock(self, levels: Sequence[StockPush]) -> Mapping[str, Any]:
        self.stock_calls += 1
        return {}


def seed(database: Database, count: int) -> None:
    migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
    seed_demo(database)
    rng = random.Random(12)
    with database.unit_of_work() as session:
        bins = list(session.scalars(select(Bin.id).where(Bin.kind.in_(("pickable", "storage")))))
        first = int(session.scalar(select(Product.id).order_by(Product.id.desc()).limit(1)) or 0) + 1
        session.execute(insert(Product), [
            {"id": first + n, "sku": f"WATCH-{n:06d}", "name": f"Watched product {n}", "weight_g": 100,
             "length_mm": 100, "width_mm": 80, "height_mm": 40, "unit_price_minor": 1000, "currency": "USD",
             "serial_tracked": False, "lot_tracked": False, "hazmat": False, "fragile": False,
             "reorder_point": 0, "safety_stock": 0, "active": True} for n in range(count)])
        levels = []
        for n in range(count):
            for bin_id in rng.sample(bins, rng.choice((1, 1, 2))):
                on_hand = rng.randint(0, 300)
                levels.append({"product_id": first + n, "bin_id": bin_id, "lot_code": "", "on_hand": on_hand,
                               "reserved": rng.randint(0, on_hand // 4)})
        session.execute(insert(StockLevel), levels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--db", help="a migrated, empty database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = make_url(args.db) if args.db else sqlite_url(Path(folder) / "watch.sqlite3")
        database = Database.connect(url)
        start = time.perf_counter()
        seed(database, args.products)
        print(f"seeded {args.products:,} products in {time.perf_counter() - start:.1f} s ({database.backend})")
        shop = NullShop()

        def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
            return shop

        app = build_services(database, Ports(channel_adapters=adapters), "BENCH")
        owner = app.users.sign_in_with_pin("owner", "3333", "BENCH")
        manager = app.users.sign_in_with_pin("manager", "2222", "BENCH")
        app.integrations.add_channel(owner, ChannelFields("bench", "shopify", "https://bench.myshopify.com"))

        def timed_pass(label: str) -> None:
            calls, passes, queued, delivered = shop.stock_calls, 0, 0, 0
            start = time.perf_counter()
            while True:  # a pass sends at most STOCK_PER_PASS rows: the next ones follow
                done = app.integrations.deliver(manager)
                passes, queued, delivered = passes + 1, queued + done.stock_queued, delivered + done.stock_delivered
                if done.stock_delivered < STOCK_PER_PASS:
                    break
            seconds = time.perf_counter() - start
            print(f"{label:<34} {seconds * 1000:9.1f} ms   {passes} pass{'es' if passes > 1 else ''}, queued "
                  f"{queued:,}, delivered {delivered:,} in {shop.stock_calls - calls:,} set_stock calls "
                  f"of ≤ {STOCK_BATCH}")

        timed_pass("first push (every product):")
        timed_pass("quiet pass (nothing changed):")
        with database.unit_of_work() as session:
            levels = session.execute(select(Product.sku, Bin.code, StockLevel.on_hand)
                                     .join(Product, Product.id == StockLevel.product_id)
                                     .join(Bin, Bin.id == StockLevel.bin_id)
                                     .where(Product.sku.like("WATCH-%")).order_by(StockLevel.id)).all()

        def change_ten(round_: int) -> None:
            for sku, code, on_hand in levels[round_ * 10:round_ * 10 + 10]:
                app.stock.adjust(manager, sku, code, "bench", set_to=on_hand + 1 + round_)

        change_ten(0)
        timed_pass("pass after 10 stock changes:")

        watch = StockWatch()
        for label, round_ in (("watcher, full pass:", None), ("watcher, quiet incremental pass:", None),
                              ("watcher, 10 changed:", 1)):
            if round_ is not None:
                change_ten(round_)
            start = time.perf_counter()
            queued = watch.queue(database, dt.datetime.now(dt.UTC))
            seconds = time.perf_counter() - start
            looked = "every product" if watch.last_full else f"{watch.last_examined:,} products"
            print(f"{label:<34} {seconds * 1000:9.1f} ms   looked at {looked}, queued {queued:,}")
        database.dispose()


if __name__ == "__main__":
    main()
