"""``stock export``: the stock levels as a CSV file for spreadsheets and other systems.

Format: UTF-8 (no byte-order mark), ``,``-separated, a header line ``sku,bin,lot,expiry,
on_hand,reserved,available``, then exactly one row per product × bin × lot holding stock
(on hand above 0), in SKU, bin, lot order; ``lot`` and ``expiry`` empty when the level has
none; dates ISO (``2027-03-31``). The file is written beside its final name and renamed
into place, so a reader never sees half a file and a failure leaves the old one intact.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.services.stock.levels import StockFilter, list_levels
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.views import StockRow

HEADER = ("sku", "bin", "lot", "expiry", "on_hand", "reserved", "available")


def export_levels(database: Database, path: Path) -> int:
    """Write the file; returns the number of rows (levels) written."""
    rows = sorted(list_levels(database, StockFilter()), key=lambda row: (row.sku, row.bin, row.lot))
    target = Path(path)
    if not target.parent.is_dir():
        raise StockRefused("cannot-write", f"There is no folder {target.parent}: create it or choose another place.")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(_cells(row) for row in rows)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise StockRefused("cannot-write", f"The stock could not be written to {target}: {exc.strerror or exc}. "
                           "Choose a place you may write to.") from exc
    return len(rows)


def _cells(row: StockRow) -> tuple[str | int, ...]:
    return (row.sku, row.bin, row.lot, row.expiry.isoformat() if row.expiry else "", row.on_hand, row.reserved,
            row.available)
