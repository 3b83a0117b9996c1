"""End-of-day close-out of a big day: 10,000 shipments (spread over 8 stations) put on one
manifest, then its PDF and CSV, on SQLite and PostgreSQL. Target: close + PDF + CSV < 5 s.

    .venv/bin/python bench/manifest_closeout.py [--shipments 10000] [--packages 1] [--postgres URL]

The shipments are made with bulk INSERTs (``tests/support/bulk_shipments.py``), not through
the packing flow. The demo manager signs in (``app.users``) and closes as that actor. Each
step is timed on its own: the close transaction (``close_manifest``, what
``app.manifests.close`` runs before its PDF), reading the sheet (one row per package), the
PDF, the CSV. PostgreSQL: ``--postgres`` or
``FULFIL_TEST_POSTGRES_URL`` names a server; the script makes its own database there and
drops it afterwards. Prints figures; asserts nothing but that the totals add up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pack_latency import fresh_database  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.documents.manifest_csv import build_manifest_csv  # noqa: E402
from fulfilstation.documents.manifest_pdf import build_manifest_pdf  # noqa: E402
from fulfilstation.services.manifests.close import close_manifest, manifest_sheet  # noqa: E402
from fulfilstation.services.stations.registry import ensure_station  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402
from tests.support.bulk_shipments import bulk_shipments  # noqa: E402

TARGET_S = 5.0


@dataclass(frozen=True)
class CloseoutFigures:
    """Seconds of each step of one close-out, and what it closed."""
    shipments: int
    packages: int
    manifest: str
    built_s: float
    close_s: float
    read_s: float
    pdf_s: float
    csv_s: float
    pdf_bytes: int
    csv_bytes: int

    @property
    def total_s(self) -> float:
        return self.close_s + self.read_s + self.pdf_s + self.csv_s


def measure(backend: str, server: str | None, shipments: int, packages: int) -> CloseoutFigures:
    """Close ``shipments`` (bulk-made) on one manifest of a fresh ``backend`` database."""
    with fresh_database(backend, server) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        stations = tuple(ensure_station(database, f"BENCH-{n}").id for n in range(8))
        started = time.perf_counter()
        bulk = bulk_shipments(database, shipments, carrier="ups", service="ground", station_ids=stations,
                              packages=packages)
        bulk_shipments(database, 500, carrier="usps")  # another carrier's day, left open
        built = time.perf_counter() - started
        manager = sign_in(app_for(database, station="BENCH-OFFICE"), "manager")

        started = time.perf_counter()
        closed = close_manifest(database, manager, "ups")
        close_s = time.perf_counter() - started
        started = time.perf_counter()
        sheet = manifest_sheet(database, closed.id)
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        pdf = build_manifest_pdf(sheet)
        pdf_s = time.perf_counter() - started
        started = time.perf_counter()
        csv = build_manifest_csv(sheet)
        csv_s = time.perf_counter() - started

        assert closed.shipment_count == shipments and closed.package_count == len(bulk.tracking_numbers)
        assert closed.total_weight_g == bulk.weight_g and len(sheet.rows) == closed.package_count
        return CloseoutFigures(shipments, closed.package_count, closed.number, built, close_s, read_s, pdf_s, csv_s,
                               len(pdf), len(csv))


def run(backend: str, server: str | None, shipments: int, packages: int) -> None:
    f = measure(backend, server, shipments, packages)
    print(f"\n{backend}: {f.shipments} shipments, {f.packages} packages ({f.manifest})")
    print(f"  bulk insert (setup)        {f.built_s:7.2f} s")
    print(f"  close_manifest (1 txn)     {f.close_s:7.3f} s")
    print(f"  read sheet rows            {f.read_s:7.3f} s")
    print(f"  PDF                        {f.pdf_s:7.3f} s   {f.pdf_bytes / 1e6:.2f} MB")
    print(f"  CSV                        {f.csv_s:7.3f} s   {f.csv_bytes / 1e6:.2f} MB")
    verdict = "within" if f.total_s < TARGET_S else "OVER"
    print(f"  close + read + PDF + CSV   {f.total_s:7.3f} s   ({verdict} the {TARGET_S:.0f} s target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shipments", type=int, default=10_000)
    parser.add_argument("--packages", type=int, default=1, help="packages per shipment")
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.shipments, args.packages)
    if args.postgres:
        run("postgresql", args.postgres, args.shipments, args.packages)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
