"""Tracking: shipments followed to delivery by polling the carriers (``TrackingService``),
and the values it returns.

Names load on first use (``lazy_exports``): the reports and integrations areas import this
area's modules without importing the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from fulfilstation.services.tracking.refused import TrackingRefused
    from fulfilstation.services.tracking.service import TrackingService
    from fulfilstation.services.tracking.views import (
        KIND_NAMES,
        KINDS,
        AccountPoll,
        ShipmentTracking,
        TrackedEvent,
        TrackingPoll,
        TrackingProblem,
    )

__all__ = ["KINDS", "KIND_NAMES", "AccountPoll", "ShipmentTracking", "TrackedEvent", "TrackingPoll",
           "TrackingProblem", "TrackingRefused", "TrackingService"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.services.tracking.refused": ("TrackingRefused",),
    "fulfilstation.services.tracking.service": ("TrackingService",),
    "fulfilstation.services.tracking.views": ("KINDS", "KIND_NAMES", "AccountPoll", "ShipmentTracking",
                                              "TrackedEvent", "TrackingPoll", "TrackingProblem"),
})
