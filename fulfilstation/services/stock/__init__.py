"""Stock as people look at it and change it (``StockService``): levels, the ledger, moves
between bins, adjustments, the ledger check, the CSV export and the trace of a lot.

Names load on first use (``lazy_exports``): importing one module of this area does not
import the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from fulfilstation.services.stock.levels import StockFilter
    from fulfilstation.services.stock.refusal import StockRefused
    from fulfilstation.services.stock.service import StockService
    from fulfilstation.services.stock.trace import LotDelivery, LotInStock, LotReserved, LotTrace
    from fulfilstation.services.stock.views import (
        Adjusted,
        LedgerCheck,
        LedgerDifference,
        LedgerEntry,
        Moved,
        MoveItem,
        ProductStock,
        ProductTotal,
        ReservationDifference,
        ScanTarget,
        StockRow,
    )

__all__ = ["Adjusted", "LedgerCheck", "LedgerDifference", "LedgerEntry", "LotDelivery", "LotInStock", "LotReserved",
           "LotTrace", "MoveItem", "Moved", "ProductStock", "ProductTotal", "ReservationDifference", "ScanTarget",
           "StockFilter", "StockRefused", "StockRow", "StockService"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.services.stock.levels": ("StockFilter",),
    "fulfilstation.services.stock.refusal": ("StockRefused",),
    "fulfilstation.services.stock.service": ("StockService",),
    "fulfilstation.services.stock.trace": ("LotDelivery", "LotInStock", "LotReserved", "LotTrace"),
    "fulfilstation.services.stock.views": (
        "Adjusted", "LedgerCheck", "LedgerDifference", "LedgerEntry", "Moved", "MoveItem", "ProductStock",
        "ProductTotal", "ReservationDifference", "ScanTarget", "StockRow"
    ),
})
