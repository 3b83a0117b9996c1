"""Two stations importing the same new products at the same moment (PostgreSQL, two
processes' worth of connections): the unique SKU settles it — every product exists once;
each import either took them all, found them unchanged, or was refused whole."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductBarcode
from fulfilstation.domain.gs1 import with_check_digit
from fulfilstation.imports import ImportReport
from fulfilstation.services.product_files import ProductFileRefused
from tests.support.app import app_for, sign_in

ROWS = 400


def test_two_imports_of_the_same_products_at_once(postgres_seeded_url: URL) -> None:
    lines = ["sku,name,barcodes,weight_g"] + [f"RACE-{n:04d},Race product {n},{with_check_digit(f'2900{n:08d}')},"
                                             f"{100 + n}" for n in range(ROWS)]
    data = ("\n".join(lines) + "\n").encode()
    databases = [Database.connect(postgres_seeded_url) for _ in range(2)]
    outcomes: list[ImportReport | ProductFileRefused] = []
    start = threading.Barrier(2)

    def station(database: Database, name: str) -> None:
        app = app_for(database, station=name)
        manager = sign_in(app, "manager")
        start.wait()
        try:
            outcomes.append(app.product_files.import_products(manager, data))
        except ProductFileRefused as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=station, args=(db, f"PACK-{n}")) for n, db in enumerate(databases, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        with databases[0].unit_of_work() as session:
            products = session.scalar(select(func.count()).select_from(Product).where(Product.sku.like("RACE-%")))
            codes = session.scalar(select(func.count()).select_from(ProductBarcode).join(Product)
                                   .where(Product.sku.like("RACE-%")))
    finally:
        for database in databases:
            database.dispose()
    assert (products, codes) == (ROWS, ROWS)
    took = [o for o in outcomes if isinstance(o, ImportReport) and o.imported == ROWS]
    others = [o for o in outcomes if o not in took]
    assert len(took) == 1 and len(others) == 1, outcomes
    other = others[0]
    assert (isinstance(other, ProductFileRefused) and other.code == "changed-meanwhile") or (
        isinstance(other, ImportReport) and other.summary() == "imported 0, updated 0, rejected 0")
