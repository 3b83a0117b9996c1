"""All models, imported so that ``Base.metadata`` knows every table."""

from fulfilstation.db.models.audit import AuditEntry, OutboxMessage
from fulfilstation.db.models.carriers import (
    Carrier,
    CarrierAccount,
    CarrierService,
    NumberRange,
    RoutingRule,
    ServiceRate,
    ServiceTransit,
    ZoneRule,
)
from fulfilstation.db.models.catalog import Bin, BoxType, Product, ProductBarcode, ProductComponent
from fulfilstation.db.models.changes import ChangeCounter
from fulfilstation.db.models.integrations import (
    ChannelListing,
    ColumnMapping,
    IntegrationLock,
    SalesChannel,
    WebhookDelivery,
)
from fulfilstation.db.models.orders import Allocation, Order, OrderLine, PickList, PickListLine, PickListOrder
from fulfilstation.db.models.packing import PackSession, ScanEvent, WeightRefusal
from fulfilstation.db.models.people import SiteSetting, Station, User, UserSecret
from fulfilstation.db.models.returns import Rma, RmaLine, RmaUnit
from fulfilstation.db.models.shipping import (
    Manifest,
    Package,
    PackageItem,
    Shipment,
    ShipmentNote,
    ShippedSerial,
    TrackingEvent,
)
from fulfilstation.db.models.stock import (
    CycleCount,
    CycleCountLine,
    Receipt,
    ReceiptItem,
    ReceiptLine,
    SerialNumber,
    SlottingMove,
    StockLevel,
    StockMove,
)

__all__ = [
    "Allocation", "AuditEntry", "Bin", "BoxType", "Carrier", "CarrierAccount", "CarrierService",
    "ChangeCounter",
    "ChannelListing", "ColumnMapping", "IntegrationLock", "SalesChannel", "WebhookDelivery",
    "CycleCount", "CycleCountLine", "Manifest", "NumberRange", "Order", "OrderLine", "OutboxMessage",
    "PackSession", "Package", "PackageItem", "PickList", "PickListLine", "PickListOrder", "Product",
    "ProductBarcode", "ProductComponent", "Receipt", "ReceiptItem", "ReceiptLine", "SerialNumber", "Rma",
    "RmaLine", "RmaUnit", "RoutingRule", "ScanEvent", "SlottingMove",
    "ServiceRate", "ServiceTransit", "Shipment", "ShipmentNote", "ShippedSerial", "SiteSetting", "TrackingEvent",
    "Station", "StockLevel", "StockMove", "User", "UserSecret", "WeightRefusal", "ZoneRule",
]
