"""Orders: look-ups, quotes and a manager's changes (``OrdersService``)."""

from fulfilstation.domain.address import Address
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.orders.kits import ExpandedKit, KitComponent
from fulfilstation.services.orders.lookup import OrderRefused
from fulfilstation.services.orders.queries import STATUS_FILTERS, LotReservation, OrderInfo, OrderLineInfo
from fulfilstation.services.orders.quotes import Quote, QuoteOption, ServiceChoiceRefused
from fulfilstation.services.orders.recheck import Rechecked
from fulfilstation.services.orders.reserve import ReserveOutcome, Shortage
from fulfilstation.services.orders.search import BACKORDER
from fulfilstation.services.orders.service import OrdersService
from fulfilstation.services.orders.views import (
    SHIP_BY_FILTERS,
    CancelledOrder,
    HistoryEntry,
    HoldDetail,
    LineDetail,
    OrderDetail,
    OrderSummary,
    Reservation,
    ScanDetail,
    ShipmentDetail,
    UnmatchedLine,
)
from fulfilstation.services.packing.start import ReleasedPack

__all__ = ["BACKORDER", "SHIP_BY_FILTERS", "STATUS_FILTERS", "Address", "CancelledOrder", "ExpandedKit", "HistoryEntry",
           "HoldDetail", "KitComponent", "ReserveOutcome", "Shortage",
           "LineDetail", "LotReservation", "OrderDetail", "OrderInfo", "OrderLineInfo", "OrderRefused",
           "OrderSummary", "OrdersService",
           "Quote", "QuoteOption", "ReleasedPack", "Reservation", "ScanDetail", "ServiceChoiceRefused",
           "ShipmentDetail", "IntakeProblem", "Rechecked", "UnmatchedLine"]
