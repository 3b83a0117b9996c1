"""Stock: what the Stock screen's queries, the ledger check, the export and a move cost on a
warehouse far bigger than the demo.

    .venv/bin/python bench/stock_levels.py [--products 5000] [--moves 40] [--postgres URL]

Builds the demo (its users and bins) plus ``--products`` products with three stock levels
each (two of them lots), every unit explained by a ``receive`` stock move and ``--moves``
extra moves per product, then times: the screen's first load (every level, at most 5,000
rows), a filter by text, by a scanned barcode and by a bin; ``show``; the ledger of one
product; ``check`` (the whole ledger added up); ``export``; and single moves through the use
case. PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL`` names a server (a database
of its own is made and dropped). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database, summary  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Bin, Product, ProductBarcode, StockLevel, StockMove  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.services.app import build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.stock import StockFilter  # noqa: E402

LEVELS_PER_PRODUCT = 3


def fill(database: Database, products: int, moves: int, rng: random.Random) -> tuple[str, str]:
    """Products, levels and their ledger; (a SKU, a barcode) to look for."""
    with database.unit_of_work() as session:
        bins = list(session.scalars(select(Bin.id).where(Bin.kind == "pickable")))
        session.execute(insert(Product), [{"sku": f"B-{n:06d}", "name": f"Bench product {n}", "lot_tracked": n % 3 == 0}
                                          for n in range(products)])
        ids = list(session.scalars(select(Product.id).where(Product.sku.like("B-%")).order_by(Product.id)))
        session.execute(insert(ProductBarcode), [{"product_id": pid, "code": f"BENCH{pid:09d}", "pack_quantity": 1}
                                                 for pid in ids])
        levels, ledger = [], []
        for pid in ids:
            for slot, bin_id in enumerate(rng.sample(bins, LEVELS_PER_PRODUCT)):
                lot = f"L{pid}-{slot}" if slot else ""
                on_hand = rng.randint(moves + 10, moves + 200)
                levels.append({"product_id": pid, "bin_id": bin_id, "lot_code": lot, "on_hand": on_hand})
                ledger.append({"product_id": pid, "to_bin_id": bin_id, "lot_code": lot, "quantity": on_hand + moves,
                               "reason": "receive"})
                ledger += [{"product_id": pid, "from_bin_id": bin_id, "lot_code": lot, "quantity": 1,
                            "reason": "adjust"} for _ in range(moves // LEVELS_PER_PRODUCT)]
                ledger.append({"product_id": pid, "from_bin_id": bin_id, "lot_code": lot,
                               "quantity": moves - moves // LEVELS_PER_PRODUCT, "reason": "scrap"})
        session.execute(insert(StockLevel), levels)
        for start in range(0, len(ledger), 50_000):
            session.execute(insert(StockMove), ledger[start:start + 50_000])
    return "B-000042", f"BENCH{ids[42]:09d}"


def timed(what: str, call: Callable[[], object], repeat: int = 5) -> None:
    samples = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - started)
    size = f" ({len(result)} rows)" if isinstance(result, list) else ""
    print(f"  {what:<36} {summary(samples)}{size}")


def run(backend: str, server: str | None, products: int, moves: int) -> None:
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine)
        seed_demo(database)
        started = time.perf_counter()
        sku, barcode = fill(database, products, moves, random.Random(7))
        app = build_services(database, Ports(), "BENCH")
        with database.unit_of_work() as session:
            count = session.scalar(select(StockMove.id).order_by(StockMove.id.desc()).limit(1))
        print(f"{backend}: {products} products, {products * LEVELS_PER_PRODUCT} levels, ~{count} stock moves "
              f"(filled in {time.perf_counter() - started:.1f} s)")
        timed("screen's first load (≤ 5,000 levels)", lambda: app.stock.levels(StockFilter(limit=5000)))
        timed("every level", lambda: app.stock.levels())
        timed("filter by text 'product 4'", lambda: app.stock.levels(StockFilter(text="product 4", limit=5000)))
        timed("filter by a scanned barcode", lambda: app.stock.levels(StockFilter(text=barcode)))
        timed("filter by a bin (A-01-1)", lambda: app.stock.levels(StockFilter(text="A-01-1")))
        timed("show one product", lambda: app.stock.show(sku))
        timed("ledger of one product (100)", lambda: app.stock.moves(sku=sku))
        timed("check: the whole ledger added up", app.stock.check, repeat=3)
        with tempfile.TemporaryDirectory() as folder:
            timed("export to CSV", lambda: app.stock.export(Path(folder) / "stock.csv"), repeat=3)
        packer = app.users.sign_in_with_pin("packer", "1111", "BENCH")
        rows = [row for row in app.stock.levels(StockFilter(sku=sku)) if not row.lot]
        samples = []
        for n in range(40):
            source, target = (rows[0].bin, "E-10-1") if n % 2 == 0 else ("E-10-1", rows[0].bin)
            started = time.perf_counter()
            app.stock.move(packer, sku, source, target, 1)
            samples.append(time.perf_counter() - started)
        print(f"  {'move (use case, one unit)':<36} {summary(samples)}")
        print(f"  ledger consistent: {app.stock.check().consistent}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--moves", type=int, default=40, help="extra stock moves per product")
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.products, args.moves)
    if args.postgres:
        run("postgresql", args.postgres, args.products, args.moves)


if __name__ == "__main__":
    main()
