"""Receiving: purchase orders, receipts scanned in at the bench, and closing them into
stock (``ReceivingService``), and the values it returns.

Threading: every use case blocks on the database; call them from worker threads.
"""

from fulfilstation.services.receiving.service import ReceivingService
from fulfilstation.services.receiving.views import (
    CancelledReceipt,
    ClosedReceipt,
    ExpectedLine,
    LineProgress,
    NewPurchaseOrder,
    Pending,
    ReceiptSummary,
    ReceiptView,
    ReceivedItem,
    ReceiveOutcome,
    ReceivingCursor,
    ReceivingRefused,
    Undone,
)

__all__ = ["CancelledReceipt", "ClosedReceipt", "ExpectedLine", "LineProgress", "NewPurchaseOrder", "Pending",
           "ReceiptSummary", "ReceiptView", "ReceiveOutcome", "ReceivedItem", "ReceivingCursor", "ReceivingRefused",
           "ReceivingService", "Undone"]
