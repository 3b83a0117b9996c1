"""The Receiving screen's tables: open receipts, and one receipt's lines (expected against
received, coloured when over or under). GUI thread only."""

from __future__ import annotations

from fulfilstation.services.receiving import LineProgress, ReceiptSummary
from ui.style import AMBER, GREEN, RED
from ui.widgets.row_model import Column, RowModel

RECEIPT_HEADERS = ("Number", "Supplier", "Received")
LINE_HEADERS = ("SKU", "Name", "Expected", "Received", "Difference")


def receipts_model() -> RowModel[ReceiptSummary]:
    return RowModel([
        Column("Number", lambda r: r.number),
        Column("Supplier", lambda r: r.supplier),
        Column("Received", lambda r: f"{r.received} of {r.expected}" if r.purchase_order else f"{r.received} (ad hoc)",
               lambda r: r.received),
    ])


def lines_model() -> RowModel[LineProgress]:
    return RowModel([
        Column("SKU", lambda line: line.sku),
        Column("Name", lambda line: line.name + ("  (not on the PO)" if line.unexpected else "")),
        Column("Expected", lambda line: str(line.expected), lambda line: line.expected),
        Column("Received", lambda line: str(line.received), lambda line: line.received),
        Column("Difference", difference_words, lambda line: line.difference),
    ], line_colour)


def difference_words(line: LineProgress) -> str:
    if line.difference == 0:
        return "✓"
    return f"+{line.difference} over" if line.difference > 0 else f"{-line.difference} to come"


def line_colour(line: LineProgress) -> str | None:
    """Over (or not on the PO): red; still under: amber; exactly as expected: green."""
    if line.unexpected or line.difference > 0:
        return RED
    return AMBER if line.difference < 0 else GREEN
