"""Returns (RMAs): authorised from an order with a reason per line, an RMA slip and a
return label, received by scanning, each unit graded and restocked, quarantined or disposed.

Threading: every use case blocks on the database; call them from worker threads.
"""

from fulfilstation.services.returns.service import ReturnsService
from fulfilstation.services.returns.views import (
    OVERDUE_AFTER,
    CreatedRma,
    GradedUnit,
    NewRmaLine,
    ReasonCount,
    RefundRecorded,
    ReturnScan,
    ReturnsRefused,
    RmaLineView,
    RmaSummary,
    RmaUnitView,
    RmaView,
)

__all__ = ["OVERDUE_AFTER", "CreatedRma", "GradedUnit", "NewRmaLine", "ReasonCount", "RefundRecorded", "ReturnScan",
           "ReturnsRefused", "RmaLineView", "RmaSummary", "RmaUnitView", "RmaView", "ReturnsService"]
