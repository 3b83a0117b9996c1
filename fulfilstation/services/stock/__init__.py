"""Stock as people look at it (``StockService``): queries only — the trace of a lot."""

from fulfilstation.services.stock.service import StockService
from fulfilstation.services.stock.trace import LotDelivery, LotInStock, LotReserved, LotTrace, StockRefused

__all__ = ["LotDelivery", "LotInStock", "LotReserved", "LotTrace", "StockRefused", "StockService"]
