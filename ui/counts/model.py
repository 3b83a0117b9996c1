"""The Cycle counts screen's tables: the counts (``CountSummary``) and the lines of the chosen
count (``CountLineView``) in the shared ``RowModel``. A blind count's columns never include
an expected, system or variance figure (the service sends none); a completed count's show
the variance of each line, amber when it is not 0. Threading: GUI thread only.
"""

from __future__ import annotations

from fulfilstation.services.counts import CountLineView, CountSummary
from ui.style import AMBER
from ui.widgets.row_model import Column, RowModel

COUNT_COLUMNS: tuple[Column[CountSummary], ...] = (
    Column[CountSummary]("Count", lambda c: c.number, lambda c: int(c.number.rsplit("-", 1)[-1] or 0)
                         if c.number.rsplit("-", 1)[-1].isdigit() else 0),
    Column[CountSummary]("Status", lambda c: "needs approval" if c.needs_approval and c.status == "counting"
                         else c.status),
    Column[CountSummary]("Lines", lambda c: f"{c.lines_counted}/{c.lines}", lambda c: c.lines),
    Column[CountSummary]("What", lambda c: c.description),
)

BLIND_COLUMNS: tuple[Column[CountLineView], ...] = (
    Column[CountLineView]("Bin", lambda r: r.bin, lambda r: (r.pick_sequence, r.bin)),
    Column[CountLineView]("SKU", lambda r: r.sku),
    Column[CountLineView]("Name", lambda r: r.name),
    Column[CountLineView]("Lot", lambda r: r.lot),
    Column[CountLineView]("Counted", lambda r: "" if r.counted is None else str(r.counted),
                          lambda r: -1 if r.counted is None else r.counted),
)
FIGURE_COLUMNS: tuple[Column[CountLineView], ...] = (
    Column[CountLineView]("Expec-\nted", lambda r: "" if r.expected is None else str(r.expected),
                          lambda r: r.expected or 0),
    Column[CountLineView]("System", lambda r: "" if r.system is None else str(r.system), lambda r: r.system or 0),
    Column[CountLineView]("Vari-\nance", lambda r: "" if r.variance is None else f"{r.variance:+d}",
                          lambda r: r.variance or 0),
)
NAME_COLUMN = 2


def counts_model() -> RowModel[CountSummary]:
    return RowModel(COUNT_COLUMNS, lambda c: AMBER if c.needs_approval and c.status == "counting" else None)


def lines_model() -> RowModel[CountLineView]:
    return RowModel(BLIND_COLUMNS, lambda r: AMBER if r.variance else None)


def line_columns(blind: bool) -> tuple[Column[CountLineView], ...]:
    """The lines' columns: blind (what a counter may see) or with the figures."""
    return BLIND_COLUMNS if blind else BLIND_COLUMNS + FIGURE_COLUMNS
