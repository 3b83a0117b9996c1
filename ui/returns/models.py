"""The Returns screen's tables: the RMAs (overdue ones red and so named, received ones amber) and one
RMA's lines (expected, received, graded). GUI thread only."""

from __future__ import annotations

from fulfilstation.services.returns import RmaLineView, RmaSummary
from ui.style import AMBER, GREEN, RED
from ui.widgets.row_model import Column, RowModel


def rmas_model() -> RowModel[RmaSummary]:
    return RowModel([
        Column("RMA", lambda r: r.number),
        Column("Order", lambda r: r.order_number),
        Column("Status", status_words),
        Column("In", lambda r: f"{r.units_received}/{r.units_expected}", lambda r: r.units_received),
    ], rma_colour)


def status_words(summary: RmaSummary) -> str:
    if summary.overdue:
        return "OVERDUE"
    return "refund due" if summary.refund_due else summary.status


def rma_colour(summary: RmaSummary) -> str | None:
    """Overdue (received more than 48 h ago, not processed): red; waiting to be graded: amber."""
    if summary.overdue:
        return RED
    return AMBER if summary.status == "received" else None


def lines_model() -> RowModel[RmaLineView]:
    return RowModel([
        Column("SKU", lambda line: line.sku),
        Column("Name", lambda line: line.name),
        Column("Reason", lambda line: line.reason_words),
        Column("In", lambda line: f"{line.received}/{line.expected}", lambda line: line.received),
        Column("Graded", lambda line: str(line.graded), lambda line: line.graded),
    ], line_colour)


def line_colour(line: RmaLineView) -> str | None:
    """Every unit in and graded: green; units waiting to be graded: amber."""
    if line.graded == line.received == line.expected:
        return GREEN
    return AMBER if line.received > line.graded else None
