"""``StockService``: read-only questions about stock (the trace of a lot, for a recall).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from fulfilstation.services.area import AreaService
from fulfilstation.services.stock.trace import LotTrace, trace_lot


class StockService(AreaService):
    # -- queries

    def trace(self, lot: str) -> LotTrace:
        """Every order and shipment that received ``lot``, what is left of it in the bins and
        which open orders hold it reserved; StockRefused when no such lot was ever known."""
        return trace_lot(self.database, lot)
