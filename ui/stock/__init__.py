"""The Stock screen: levels per product × bin × lot, the ledger, moves by scanner, adjustments."""

from ui.stock.screen import StockScreen

__all__ = ["StockScreen"]
