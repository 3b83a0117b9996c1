"""Product import: a realistic 20,000-variant Shopify export, first run and re-import.

    .venv/bin/python bench/import_products.py [--variants 20000] [--postgres URL]

The file is made as Shopify writes it: a BOM, Shopify's column order, products of 1 to 8
variants (Color × Size options, or ``Default Title``), the product's fields on its first
row only, a description with quoted newlines and commas, 1 to 3 image-only rows per
product, a valid EAN-13 on most variants, a blank or bad barcode on a few. Timed through
``app.product_files.import_products`` as a signed-in manager on a migrated demo database:
the first import (everything new), a re-import of the same file (nothing changes) and a
re-import with every price changed (everything updated). PostgreSQL: ``--postgres`` or
``FULFIL_TEST_POSTGRES_URL``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database  # noqa: E402

from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.domain.gs1 import with_check_digit  # noqa: E402
from fulfilstation.imports import read_csv_bytes  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402

HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
          "Option1 Name", "Option1 Value", "Option1 Linked To", "Option2 Name", "Option2 Value", "Option2 Linked To",
          "Option3 Name", "Option3 Value", "Option3 Linked To", "Variant SKU", "Variant Grams",
          "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
          "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price", "Variant Requires Shipping",
          "Variant Taxable", "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
          "SEO Title", "SEO Description", "Google Shopping / Google Product Category", "Google Shopping / Gender",
          "Google Shopping / Age Group", "Google Shopping / MPN", "Google Shopping / Condition",
          "Google Shopping / Custom Product", "Variant Image", "Variant Weight Unit", "Variant Tax Code",
          "Cost per item", "Included / United States", "Price / United States", "Compare At Price / United States",
          "Status"]
COLORS = ["Black", "White", "Navy", "Olive", "Red", "Sand"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
CDN = "https://cdn.shopify.com/s/files/1/0000/0001/products/"


def shopify_export(variants: int, *, seed: int = 11, price_shift: int = 0) -> bytes:
    """A Shopify product export of ``variants`` variant rows (plus image rows)."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    made = product = 0
    while made < variants:
        product += 1
        count = min(rng.choice([1, 1, 2, 3, 4, 4, 6, 8]), variants - made)
        options = [("Title", "Default Title", "", "")] if count == 1 else \
            [("Color", COLORS[i % len(COLORS)], "Size", SIZES[i // len(COLORS) % len(SIZES)]) for i in range(count)]
        handle = f"product-{product}"
        for index, (name1, value1, name2, value2) in enumerate(options):
            made += 1
            row = dict.fromkeys(HEADER, "")
            row.update({"Handle": handle, "Option1 Value": value1, "Option2 Value": value2,
                        "Variant SKU": f"SKU-{product:05d}-{index}", "Variant Grams": str(rng.randint(20, 3000)),
                        "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": str(rng.randint(0, 90)),
                        "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
                        "Variant Price": f"{rng.randint(300, 20000) / 100 + price_shift:.2f}",
                        "Variant Requires Shipping": "TRUE", "Variant Taxable": "TRUE",
                        "Variant Barcode": _barcode(rng, made), "Variant Weight Unit": rng.choice(["g", "kg", "lb"]),
                        "Included / United States": "TRUE"})
            if index == 0:
                row.update({"Title": f"Product {product}", "Body (HTML)": f"<p>Made well, lasts long.</p>\n<ul>\n"
                            f"<li>Item {product}, \"classic\"</li>\n</ul>", "Vendor": "Bench Goods",
                            "Type": "Things", "Tags": "bench, test", "Published": "TRUE", "Option1 Name": name1,
                            "Option2 Name": name2, "Image Src": f"{CDN}{handle}-1.jpg", "Image Position": "1",
                            "Gift Card": "FALSE", "Status": "active"})
            writer.writerow([row[column] for column in HEADER])
        for position in range(2, rng.randint(2, 4) + 1):
            row = dict.fromkeys(HEADER, "")
            row.update({"Handle": handle, "Image Src": f"{CDN}{handle}-{position}.jpg",
                        "Image Position": str(position)})
            writer.writerow([row[column] for column in HEADER])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _barcode(rng: random.Random, serial: int) -> str:
    roll = rng.random()
    if roll < 0.05:
        return ""
    code = with_check_digit(f"200{serial:09d}")
    if roll < 0.06:
        return code[:-1] + str((int(code[-1]) + 1) % 10)  # a bad check digit: imported without it, warned
    return code


def run(backend: str, server: str | None, variants: int) -> None:
    first = shopify_export(variants)
    repriced = shopify_export(variants, price_shift=1)
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        app = app_for(database, station="BENCH")
        manager = sign_in(app, "manager")
        print(f"\n{backend}: {variants} variants, {len(first) / 1e6:.1f} MB")
        started = time.perf_counter()
        rows = len(read_csv_bytes(first).rows)
        print(f"  read the CSV alone ({rows} rows)        {time.perf_counter() - started:6.2f} s")
        for label, data in (("first import", first), ("re-import, unchanged", first),
                            ("re-import, every price changed", repriced)):
            started = time.perf_counter()
            report = app.product_files.import_products(manager, data)
            print(f"  {label:<34} {time.perf_counter() - started:6.2f} s   {report.summary()}, "
                  f"unchanged {report.unchanged}, warnings {len(report.warnings)}")
        started = time.perf_counter()
        exported = app.product_files.export_products()
        print(f"  export ({len(exported) / 1e6:.1f} MB)                    {time.perf_counter() - started:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", type=int, default=20_000)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.variants)
    if args.postgres:
        run("postgresql", args.postgres, args.variants)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
