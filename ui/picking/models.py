"""The Picking screen's tables: the open pick lists (four narrow columns, so "Chosen" fits a
1280×800 screen; "•" marks a list being picked), and one list's walk (a row per bin +
product + lot with its totes as their labels read, green when picked, amber when short).
GUI thread only."""

from __future__ import annotations

from fulfilstation.services.picking import PickListSummary, PickRow
from ui.style import AMBER, GREEN
from ui.widgets.row_model import Column, RowModel


def lists_model() -> RowModel[PickListSummary]:
    return RowModel([
        Column("List", lambda r: r.number + (" •" if r.status == "picking" else "")),  # •: being picked
        Column("Orders", lambda r: str(r.orders), lambda r: r.orders),
        Column("Picked", lambda r: f"{r.picked}/{r.units}", lambda r: r.picked),
        Column("Chosen", lambda r: r.description),
    ])


def walk_model() -> RowModel[PickRow]:
    return RowModel([
        Column("Bin", lambda r: r.bin),
        Column("SKU", lambda r: r.sku + (f"  lot {r.lot}" if r.lot else "")),
        Column("Units", lambda r: str(r.quantity), lambda r: r.quantity),
        Column("Picked", lambda r: str(r.picked) + (f" ({r.short} short)" if r.short else ""), lambda r: r.picked),
        Column("Totes", lambda r: r.tote_labels),
    ], row_colour)


def row_colour(row: PickRow) -> str | None:
    if row.short:
        return AMBER
    return GREEN if row.done else None
