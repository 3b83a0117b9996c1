"""The reorder report as a CSV file (for a spreadsheet or the supplier's portal).

Format: UTF-8 with a byte-order mark (``utf-8-sig``: Excel then reads accented names
right; Python's csv module and LibreOffice skip it), ``,``-separated, quoted where a field needs it, a
header line ``sku,name,supplier,available,on_order,reorder_point,safety_stock,
lead_time_days,forecast_per_day,method,suggested,why``, then one row per report row in the
report's order; ``supplier`` empty when unknown; ``forecast_per_day`` with two decimals.
The file is written beside its final name and renamed into place, so a reader never sees
half a file and a failure leaves the old one intact. The file is made with a plain
``open`` (mode 0666 less the umask, e.g. 0644: others may read it, as any document), not
``mkstemp``'s private 0600. Pure apart from the file.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from pathlib import Path

from fulfilstation.services.replenishment.views import ReorderReport, ReorderRow, ReplenishmentRefused

HEADER = ("sku", "name", "supplier", "available", "on_order", "reorder_point", "safety_stock", "lead_time_days",
          "forecast_per_day", "method", "suggested", "why")


def report_csv(report: ReorderReport) -> str:
    """The whole file as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(_cells(row) for row in report.rows)
    return buffer.getvalue()


def write_report(report: ReorderReport, path: Path) -> int:
    """Write the file at ``path``; the number of rows written (header not counted)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise ReplenishmentRefused("cannot-write", f"There is no folder {target.parent}: create it or choose "
                                   "another place.")
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    made = False
    try:
        with open(temporary, "x", encoding="utf-8-sig", newline="") as file:  # "x": never another's file
            made = True
            file.write(report_csv(report))
        os.replace(temporary, target)
    except OSError as exc:
        if made:
            temporary.unlink(missing_ok=True)
        raise ReplenishmentRefused("cannot-write", f"The reorder report could not be written to {target}: "
                                   f"{exc.strerror or exc}. Choose a place you may write to.") from exc
    return len(report.rows)


def _cells(row: ReorderRow) -> tuple[str | int, ...]:
    return (row.sku, row.name, row.supplier or "", row.available, row.on_order, row.reorder_point,
            row.safety_stock, row.lead_time_days, f"{row.forecast_per_day:.2f}", row.method, row.suggested, row.why)
