"""Replenishment: the reorder report (available + on order against reorder point +
safety stock) with quantities from a demand forecast, exported as CSV or turned into a
purchase order.

Threading: every use case blocks on the database; call them from worker threads.
"""

from fulfilstation.services.replenishment.service import ReplenishmentService
from fulfilstation.services.replenishment.views import (
    HISTORY_DAYS,
    REVIEW_DAYS,
    UNKNOWN_SUPPLIER,
    PurchaseOrderMade,
    PurchaseOrdersMade,
    ReorderReport,
    ReorderRow,
    ReplenishmentRefused,
)

__all__ = ["HISTORY_DAYS", "REVIEW_DAYS", "UNKNOWN_SUPPLIER", "PurchaseOrderMade", "PurchaseOrdersMade",
           "ReorderReport", "ReorderRow", "ReplenishmentRefused", "ReplenishmentService"]
