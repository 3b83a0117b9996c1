"""What the stock area returns: plain frozen data for the window and the CLI.

``StockRow`` is one stock level (product × bin × lot) with ``available = on_hand -
reserved``; ``ProductStock`` one product's levels, totals and latest stock moves;
``LedgerEntry`` one stock move as people read it. ``as_json`` gives the stable ``--json``
shape (dates as ISO text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.services.orders.views import to_json


@dataclass(frozen=True)
class StockRow:
    """Units of one product (and lot) in one bin. ``lot`` is '' when the level has no lot."""

    sku: str
    name: str
    bin: str
    zone: str
    bin_kind: str  # a BinKind value
    lot: str
    expiry: dt.date | None
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.sku, self.bin, self.lot)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        data["available"] = self.available
        return data


@dataclass(frozen=True)
class ProductTotal:
    sku: str
    name: str
    on_hand: int
    reserved: int
    bins: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class LedgerEntry:
    """One stock move: ``quantity`` units of ``sku`` left ``from_bin`` and/or reached ``to_bin``."""

    id: int
    at: dt.datetime
    reason: str  # a StockMoveReason value
    sku: str
    quantity: int
    from_bin: str | None
    to_bin: str | None
    lot: str
    user: str | None  # the user's full name
    station: str | None
    note: str | None
    order: str | None  # the order's number
    receipt: str | None  # the receipt's number

    def signed_for(self, bin_code: str) -> int:
        """The move's effect on ``bin_code``'s on-hand figure (+ in, − out, 0 a move within it)."""
        return (self.quantity if self.to_bin == bin_code else 0) - (self.quantity if self.from_bin == bin_code else 0)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


@dataclass(frozen=True)
class ProductStock:
    """One product's stock: every level holding some, the totals, and its latest moves."""

    sku: str
    name: str
    lot_tracked: bool
    active: bool
    levels: tuple[StockRow, ...] = field(default=())
    recent: tuple[LedgerEntry, ...] = field(default=())

    @property
    def on_hand(self) -> int:
        return sum(level.on_hand for level in self.levels)

    @property
    def reserved(self) -> int:
        return sum(level.reserved for level in self.levels)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "lot_tracked": self.lot_tracked, "active": self.active,
                "on_hand": self.on_hand, "reserved": self.reserved, "available": self.available,
                "levels": [level.as_json() for level in self.levels],
                "recent_moves": [entry.as_json() for entry in self.recent]}


@dataclass(frozen=True)
class MoveItem:
    """``quantity`` units of ``sku`` (of ``lot``; None: the only lot the source bin holds) to move."""

    sku: str
    quantity: int
    lot: str | None = None


@dataclass(frozen=True)
class Moved:
    """One stock move that was written: ``quantity`` of ``sku`` (``lot``) from one bin to another."""

    sku: str
    name: str
    lot: str
    quantity: int
    from_bin: str
    to_bin: str
    left_in_source: int  # on hand in the source level after the move


@dataclass(frozen=True)
class Adjusted:
    """A corrected stock level: ``before`` → ``after`` on hand, written as a ``reason`` move."""

    sku: str
    bin: str
    lot: str
    before: int
    after: int
    reserved: int
    reason: str  # "adjust" or "scrap"
    note: str

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class ScanTarget:
    """What a scanned code is to the stock screen: a bin, or ``units`` of a product (a case
    GTIN counts its pack quantity; a GS1 code with AI 10 names the lot)."""

    kind: str  # "bin" or "product"
    code: str  # the bin's code, or the product's SKU
    name: str  # the product's name ('' for a bin)
    units: int = 0
    lot: str | None = None
    lot_tracked: bool = False
    bin_active: bool = True


@dataclass(frozen=True)
class LedgerDifference:
    """A stock level whose on-hand figure is not the sum of its moves."""

    sku: str
    bin: str
    lot: str
    on_hand: int  # what stock_levels says
    from_moves: int  # what the ledger adds up to


@dataclass(frozen=True)
class ReservationDifference:
    """A stock level whose reserved figure is not the sum of the orders' allocations in it."""

    sku: str
    bin: str
    lot: str
    reserved: int  # what stock_levels says
    allocated: int  # what the allocations add up to


@dataclass(frozen=True)
class LedgerCheck:
    levels: int  # stock levels compared
    moves: int  # stock moves added up
    differences: tuple[LedgerDifference, ...] = field(default=())
    reservations: tuple[ReservationDifference, ...] = field(default=())

    @property
    def consistent(self) -> bool:
        return not self.differences and not self.reservations
