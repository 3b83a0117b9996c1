"""A count's blind sheet as PDF: the count read blind (no expected figure can reach it) and
laid out by ``documents.count_sheet`` on the site's paper. Read-only."""

from __future__ import annotations

from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.documents.count_sheet import SheetBin, SheetLine, build_count_sheet
from fulfilstation.services.counts.queries import show_count
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.site.settings import paper_size


def count_sheet_pdf(database: Database, number: str) -> bytes:
    view = show_count(database, number, None)
    bins = tuple(SheetBin(code, tuple(SheetLine(line.sku, line.name, line.lot, line.barcode)
                                      for line in view.lines if line.bin == code)) for code in view.bins)
    with database.unit_of_work() as session:
        paper = paper_size(session)
    return build_count_sheet(view.number, view.description, bins, page_size=paper)


def save_count_sheet(pdf: bytes, folder: Path, number: str) -> Path:
    """Write the sheet as ``count-sheet-<number>.pdf`` in ``folder``; its path."""
    name = "".join(char if char.isalnum() or char in "-_" else "_" for char in number.strip()) or "count"
    path = folder / f"count-sheet-{name}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        raise CountsRefused("cannot-save", f"The count sheet could not be saved to {path} ({exc.strerror or exc}): "
                            "check the documents folder.") from exc
    return path
