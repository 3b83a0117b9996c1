"""The Stock screen's tables: stock levels (``StockRow``) and the ledger of the selected level
(``LedgerEntry``) in the shared ``RowModel``, sorted through a ``QSortFilterProxyModel`` on
each column's value (numbers as numbers, dates as dates).

A level whose every unit is reserved shows amber (nothing free to move or pick). Ledger
quantities are signed for the selected bin (+ in, − out). Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from fulfilstation.services.stock import LedgerEntry, StockRow
from ui.style import AMBER
from ui.widgets.row_model import SORT_ROLE, Column, RowModel

LEVEL_COLUMNS: tuple[Column[StockRow], ...] = (
    Column[StockRow]("SKU", lambda r: r.sku),
    Column[StockRow]("Name", lambda r: r.name),
    Column[StockRow]("Bin", lambda r: r.bin),
    Column[StockRow]("Lot", lambda r: r.lot),
    Column[StockRow]("Expiry", lambda r: r.expiry.isoformat() if r.expiry else "",
                     lambda r: r.expiry.isoformat() if r.expiry else "9999"),
    Column[StockRow]("On\nhand", lambda r: str(r.on_hand), lambda r: r.on_hand),
    Column[StockRow]("Re-\nserved", lambda r: str(r.reserved), lambda r: r.reserved),
    Column[StockRow]("Avail-\nable", lambda r: str(r.available), lambda r: r.available),
)  # two-line number headers: the table fits 1280 px beside the navigation
LEVEL_HEADERS = tuple(column.header for column in LEVEL_COLUMNS)
NAME_COLUMN = LEVEL_HEADERS.index("Name")
ON_HAND, RESERVED, AVAILABLE = LEVEL_HEADERS[-3:]


def when(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def ledger_columns(bin_code: str) -> tuple[Column[LedgerEntry], ...]:
    """The ledger's columns, quantities signed for ``bin_code`` (the selected level's bin)."""
    return (
        Column[LedgerEntry]("When", lambda e: when(e.at), lambda e: e.at.timestamp()),
        Column[LedgerEntry]("Reason", lambda e: e.reason),
        Column[LedgerEntry]("Change", lambda e: f"{e.signed_for(bin_code):+d}", lambda e: e.signed_for(bin_code)),
        Column[LedgerEntry]("From → To", lambda e: f"{e.from_bin or '-'} → {e.to_bin or '-'}"),
        Column[LedgerEntry]("By", lambda e: " at ".join(part for part in (e.user, e.station) if part)),
        Column[LedgerEntry]("For", lambda e: " ".join(part for part in (
            f"order {e.order}" if e.order else "", f"receipt {e.receipt}" if e.receipt else "") if part)),
        Column[LedgerEntry]("Note", lambda e: e.note or ""),
    )


LEDGER_HEADERS = tuple(column.header for column in ledger_columns(""))
NOTE_COLUMN = LEDGER_HEADERS.index("Note")
LEDGER_FLEXIBLE = frozenset(LEDGER_HEADERS.index(h) for h in ("By", "For", "Note"))  # share the width left, cut
# with "…" (whole in a tooltip): sized to their text, they pushed the note (an adjustment's reason) out of sight


def levels_model() -> RowModel[StockRow]:
    return RowModel(LEVEL_COLUMNS, lambda row: AMBER if row.on_hand and not row.available else None)


def sorting_proxy(model: RowModel[StockRow] | RowModel[LedgerEntry], parent: QObject) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
