"""Shipping: ship (record → buy label → print → packing slip), reprint, void, labels, search
and the label-pending list (``ShippingService``), and the values it returns.

Names load on first use (``lazy_exports``): importing one module of this area does not
import the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from fulfilstation.services.shipping.labels import LabelsUnavailable, ShipmentLabels
    from fulfilstation.services.shipping.listing import ShipmentSummary
    from fulfilstation.services.shipping.lookup import ShipmentRefused
    from fulfilstation.services.shipping.printing import PrintOutcome
    from fulfilstation.services.shipping.service import ShippingService, VoidOutcome
    from fulfilstation.services.shipping.slip import SlipDelivery
    from fulfilstation.services.shipping.weight_overrides import WeightOverride

__all__ = ["LabelsUnavailable", "PrintOutcome", "ShipmentLabels", "ShipmentRefused", "ShipmentSummary",
           "ShippingService", "SlipDelivery", "VoidOutcome", "WeightOverride"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.services.shipping.labels": ("LabelsUnavailable", "ShipmentLabels"),
    "fulfilstation.services.shipping.listing": ("ShipmentSummary",),
    "fulfilstation.services.shipping.lookup": ("ShipmentRefused",),
    "fulfilstation.services.shipping.printing": ("PrintOutcome",),
    "fulfilstation.services.shipping.service": ("ShippingService", "VoidOutcome"),
    "fulfilstation.services.shipping.slip": ("SlipDelivery",),
    "fulfilstation.services.shipping.weight_overrides": ("WeightOverride",),
})
