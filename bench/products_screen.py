"""Products screen with 50,000 products: query, first paint, scrolling, sorting (offscreen).

    .venv/bin/python bench/products_screen.py [--products 50000] [--keep FILE.sqlite3]

Seeds an SQLite file (the demo warehouse, then ``--products`` products by bulk insert, each
with a unit barcode, every third with a case barcode, most with stock in one or two bins,
and one kit per 500 products), then prints:

* the query time of the screen's first page (``app.products.list`` limit ``FIRST_PAGE``)
  and of the rest, and the time to format them into table rows (both off the GUI thread);
* time to first rows painted: from the first page's data arriving on the GUI thread to the
  table's viewport painted (model reset, columns sized once, one synchronous repaint);
* the screen's whole load as a person sees it (``refresh`` until every row is in);
* scrolling to the end a page at a time (each step a synchronous repaint: total, mean and
  worst step), the jump to the last row, and sorting 50,000 rows by name on a header click.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import Bin, Product, ProductBarcode, ProductComponent, StockLevel  # noqa: E402
from fulfilstation.db.url import sqlite_url  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.domain.gs1 import with_check_digit  # noqa: E402
from fulfilstation.services.app import AppServices, build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from ui.products import ProductsScreen  # noqa: E402
from ui.products.model import table_rows  # noqa: E402
from ui.products.screen import FIRST_PAGE  # noqa: E402
from ui.style import STYLESHEET  # noqa: E402

WORDS = ("Ceramic", "Linen", "Oak", "Steel", "Glass", "Wool", "Cotton", "Bamboo", "Copper", "Slate", "Mug", "Towel",
         "Board", "Bottle", "Candle", "Notebook", "Sock", "Cap", "Lamp", "Tray", "Bowl", "Jar", "Brush", "Mat")


def seed(database: Database, count: int) -> None:
    migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
    seed_demo(database)
    rng = random.Random(11)
    with database.unit_of_work() as session:
        bins = list(session.scalars(select(Bin.id)))
        first = int(session.scalar(select(Product.id).order_by(Product.id.desc()).limit(1)) or 0) + 1
        session.execute(insert(Product), [
            {"id": first + n, "sku": f"BENCH-{n:06d}", "name": " ".join(rng.sample(WORDS, 3)) + f" {n}",
             "weight_g": rng.randint(10, 5000), "length_mm": 100, "width_mm": 80, "height_mm": 40,
             "unit_price_minor": rng.randint(100, 20000), "currency": "USD", "serial_tracked": False,
             "lot_tracked": False, "hazmat": False, "fragile": False, "reorder_point": 0, "safety_stock": 0,
             "active": n % 50 != 0} for n in range(count)])
        codes = [{"product_id": first + n, "code": "0" + with_check_digit(f"9{n:011d}"), "pack_quantity": 1}
                 for n in range(count)]
        codes += [{"product_id": first + n, "code": with_check_digit(f"19{n:011d}"), "pack_quantity": 12}
                  for n in range(0, count, 3)]
        session.execute(insert(ProductBarcode), codes)
        levels = []
        for n in range(count):
            for bin_id in rng.sample(bins, rng.choice((0, 1, 1, 2))):
                on_hand = rng.randint(0, 300)
                levels.append({"product_id": first + n, "bin_id": bin_id, "lot_code": "", "on_hand": on_hand,
                               "reserved": rng.randint(0, on_hand // 4)})
        session.execute(insert(StockLevel), levels)
        session.execute(insert(ProductComponent), [
            {"kit_id": first + n, "component_id": first + n + 1, "quantity": 2} for n in range(0, count - 1, 500)])


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def wait_for(app: QApplication, done: Callable[[], bool], limit_s: float = 120) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > limit_s:
            raise TimeoutError("the screen did not finish loading")
        time.sleep(0.001)
    return (time.perf_counter() - start) * 1000


def measure(services: AppServices, count: int) -> None:
    products = services.products
    first_ms, first = timed(lambda: products.list(None, "active", None, "sku", 0, FIRST_PAGE))
    rest_ms, rest = timed(lambda: products.list(None, "active", None, "sku", FIRST_PAGE, None))
    assert hasattr(first, "rows") and hasattr(rest, "rows")
    format_ms, formatted = timed(lambda: table_rows(first.rows + rest.rows))
    scanned = with_check_digit(f"9{12345:011d}")  # the EAN-13 of BENCH-012345
    search_ms, found = timed(lambda: products.list(scanned, "active", None, "sku", 0, FIRST_PAGE))
    print(f"products: {count:,} (+ the demo's), {first.total:,} active")
    print(f"query, first page ({FIRST_PAGE} rows):      {first_ms:8.1f} ms")
    print(f"query, the other {len(rest.rows):,} rows:      {rest_ms:8.1f} ms")
    print(f"format {len(formatted):,} table rows:          {format_ms:8.1f} ms   (worker thread)")
    print(f"search by a scanned barcode:           {search_ms:8.1f} ms   ({len(found.rows)} found)")  # type: ignore[attr-defined]

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLESHEET)
    screen = ProductsScreen(services)
    screen.set_actor(services.users.sign_in_with_pin("manager", "2222"))
    screen.resize(1200, 760)
    screen.show()
    app.processEvents()
    page_rows = table_rows(first.rows, "g")

    def first_paint() -> None:
        screen._generation += 1
        screen._first(screen._generation, (first, page_rows, "g"), ("\x00never", "active", None))  # no second load
        screen.table.viewport().repaint()

    paint_ms, _ = timed(first_paint)
    print(f"first rows painted after data arrived: {paint_ms:8.1f} ms")
    start = time.perf_counter()
    screen.reload()
    wait_for(app, lambda: not screen.loading)
    whole_ms = (time.perf_counter() - start) * 1000
    app.processEvents()  # the view takes in its new row count (scroll range)
    print(f"whole load as shown (refresh → all {screen.model.rowCount():,} rows in): {whole_ms:8.1f} ms")
    scroll(app, screen)
    sort_ms, _ = timed(lambda: (screen.table.sortByColumn(1, Qt.SortOrder.AscendingOrder),
                                screen.table.viewport().repaint()))
    print(f"sort {screen.model.rowCount():,} rows by name + repaint:   {sort_ms:8.1f} ms")
    screen.close()


def scroll(app: QApplication, screen: ProductsScreen) -> None:
    bar = screen.table.verticalScrollBar()
    bar.setValue(0)
    steps: list[float] = []
    start = time.perf_counter()
    while bar.value() < bar.maximum():
        step_start = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        screen.table.viewport().repaint()
        steps.append((time.perf_counter() - step_start) * 1000)
    total = (time.perf_counter() - start) * 1000
    app.processEvents()
    print(f"scroll to the end, {len(steps):,} pages:          {total:8.1f} ms   (mean {statistics.mean(steps):.2f} ms, "
          f"worst {max(steps):.2f} ms a page)")
    bar.setValue(0)
    jump_ms, _ = timed(lambda: (screen.table.scrollToBottom(), screen.table.viewport().repaint()))
    print(f"jump to the last row + repaint:        {jump_ms:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, default=None, help="seed into this SQLite file and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = args.keep or Path(directory) / "bench.sqlite3"
        database = Database.connect(sqlite_url(path))
        seed_ms, _ = timed(lambda: seed(database, args.products))
        print(f"seeded {path.name} in {seed_ms / 1000:.1f} s")
        services = build_services(database, Ports(), "BENCH")
        measure(services, args.products)
        database.dispose()


if __name__ == "__main__":
    main()
