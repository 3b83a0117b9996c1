"""Shipping: ship (record → buy label → print → packing slip), reprint, void, labels, search
and the label-pending list (``ShippingService``), and the values it returns."""

from fulfilstation.services.shipping.labels import LabelsUnavailable, ShipmentLabels
from fulfilstation.services.shipping.listing import ShipmentSummary
from fulfilstation.services.shipping.lookup import ShipmentRefused
from fulfilstation.services.shipping.printing import PrintOutcome
from fulfilstation.services.shipping.service import ShippingService, VoidOutcome
from fulfilstation.services.shipping.slip import SlipDelivery

__all__ = ["LabelsUnavailable", "PrintOutcome", "ShipmentLabels", "ShipmentRefused", "ShipmentSummary",
           "ShippingService", "SlipDelivery", "VoidOutcome"]
