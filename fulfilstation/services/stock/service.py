"""``StockService``: stock as people look at it and change it.

Queries: the levels per product × bin × lot (filtered), per-product totals, one product's
stock (``show``), the ledger (``moves``), what a scanned code is (``identify``), the trace of
a lot (a recall), the ledger check (every level equals the sum of its moves) and the CSV
export. Use cases: ``move`` / ``move_many`` (anyone signed in: ``MOVE_STOCK``) and
``adjust`` (managers and owners: ``ADJUST_STOCK``), each audited.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.arrival import reserve_backorders
from fulfilstation.services.stock.adjust import adjust_level
from fulfilstation.services.stock.export import export_levels
from fulfilstation.services.stock.history import DEFAULT_LIMIT, list_moves
from fulfilstation.services.stock.ledger import check_ledger
from fulfilstation.services.stock.levels import StockFilter, list_levels, product_stock, product_totals
from fulfilstation.services.stock.lookup import identify
from fulfilstation.services.stock.move import move_many
from fulfilstation.services.stock.trace import LotTrace, trace_lot
from fulfilstation.services.stock.views import (
    Adjusted,
    LedgerCheck,
    LedgerEntry,
    Moved,
    MoveItem,
    ProductStock,
    ProductTotal,
    ScanTarget,
    StockRow,
)


class StockService(AreaService):
    # -- queries

    def levels(self, wanted: StockFilter | None = None) -> builtins.list[StockRow]:
        """Stock levels per product × bin × lot matching ``wanted`` (default: all holding stock)."""
        return list_levels(self.database, wanted or StockFilter())

    def totals(self, wanted: StockFilter | None = None) -> builtins.list[ProductTotal]:
        """Per product: on hand, reserved and available over the levels matching ``wanted``."""
        return product_totals(self.database, wanted or StockFilter())

    def show(self, sku: str, recent: int = 10) -> ProductStock:
        """One product's levels, totals and latest ``recent`` moves; StockRefused when unknown."""
        return product_stock(self.database, sku, recent)

    def moves(self, sku: str | None = None, bin: str | None = None, lot: str | None = None,
              limit: int = DEFAULT_LIMIT) -> builtins.list[LedgerEntry]:
        """The ledger of a product and/or bin (and lot), newest first."""
        return list_moves(self.database, sku, bin, lot, limit)

    def identify(self, code: str) -> ScanTarget:
        """What a scanned code is: a bin, or units of a product (StockRefused ``unknown-code``)."""
        with self.database.unit_of_work() as session:
            return identify(session, code)

    def trace(self, lot: str) -> LotTrace:
        """Every order and shipment that received ``lot``, what is left of it in the bins and
        which open orders hold it reserved; StockRefused when no such lot was ever known."""
        return trace_lot(self.database, lot)

    def check(self) -> LedgerCheck:
        """Every stock level compared with the sum of its stock moves."""
        return check_ledger(self.database)

    def export(self, path: Path) -> int:
        """Write the stock levels to ``path`` as CSV (``export`` module); the number of rows."""
        return export_levels(self.database, path)

    # -- use cases

    @use_case(Permission.MOVE_STOCK, "move stock")
    def move(self, actor: Actor, sku: str, from_bin: str, to_bin: str, quantity: int,
             lot: str | None = None) -> Moved:
        """Move ``quantity`` free units of ``sku`` (``lot``) between bins; audited as ``stock.moved``."""
        return move_many(self.database, actor, from_bin, to_bin, [MoveItem(sku, quantity, lot)])[0]

    @use_case(Permission.MOVE_STOCK, "move stock")
    def move_many(self, actor: Actor, from_bin: str, to_bin: str, items: Sequence[MoveItem]) -> tuple[Moved, ...]:
        """Move every item from one bin to another in one transaction (what a scanner carried)."""
        return move_many(self.database, actor, from_bin, to_bin, items)

    @use_case(Permission.ADJUST_STOCK, "adjust stock")
    def adjust(self, actor: Actor, sku: str, bin: str, reason: str, *, set_to: int | None = None,
               by: int | None = None, lot: str | None = None, expiry: dt.date | None = None,
               write_off: bool = False) -> Adjusted:
        """Set a level's on hand to ``set_to`` or change it ``by`` ±N, for ``reason`` (required);
        ``write_off``: a decrease recorded as ``scrap``. Audited as ``stock.adjusted``. Once an
        increase committed, the backorders needing the SKU are reserved (oldest first)."""
        adjusted = adjust_level(self.database, actor, sku, bin, reason, set_to=set_to, by=by, lot=lot,
                                expiry=expiry, write_off=write_off)
        if adjusted.change > 0:
            reserve_backorders(self.database, actor, today=self._context.ports.clock.now().astimezone().date(),
                               skus=[adjusted.sku])
        return adjusted
