"""Orders: look-ups, quotes and a manager's changes (``OrdersService``).

Names load on first use (``lazy_exports``): importing one module of this area does not
import the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
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

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.domain.address": ("Address",),
    "fulfilstation.services.orders.intake.findings": ("IntakeProblem",),
    "fulfilstation.services.orders.kits": ("ExpandedKit", "KitComponent"),
    "fulfilstation.services.orders.lookup": ("OrderRefused",),
    "fulfilstation.services.orders.queries": ("STATUS_FILTERS", "LotReservation", "OrderInfo", "OrderLineInfo"),
    "fulfilstation.services.orders.quotes": ("Quote", "QuoteOption", "ServiceChoiceRefused"),
    "fulfilstation.services.orders.recheck": ("Rechecked",),
    "fulfilstation.services.orders.reserve": ("ReserveOutcome", "Shortage"),
    "fulfilstation.services.orders.search": ("BACKORDER",),
    "fulfilstation.services.orders.service": ("OrdersService",),
    "fulfilstation.services.orders.views": (
        "SHIP_BY_FILTERS", "CancelledOrder", "HistoryEntry", "HoldDetail", "LineDetail", "OrderDetail",
        "OrderSummary", "Reservation", "ScanDetail", "ShipmentDetail", "UnmatchedLine"
    ),
    "fulfilstation.services.packing.start": ("ReleasedPack",),
})
