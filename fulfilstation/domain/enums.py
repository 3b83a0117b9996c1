"""The closed vocabularies of the warehouse: roles, statuses, reasons.

These are the values the database CHECK constraints allow; adding a member means a
migration that widens the constraint.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    PACKER = "packer"
    MANAGER = "manager"
    OWNER = "owner"


class BinKind(enum.StrEnum):
    """What a bin is for. Only ``pickable`` bins feed orders; ``storage`` is overstock that
    replenishes them; ``quarantine`` and ``damaged`` hold stock nobody may sell."""

    PICKABLE = "pickable"
    STORAGE = "storage"
    RECEIVING = "receiving"
    RETURNS = "returns"
    QUARANTINE = "quarantine"
    DAMAGED = "damaged"
    STAGING = "staging"


class StockMoveReason(enum.StrEnum):
    RECEIVE = "receive"
    MOVE = "move"  # from one bin to another
    PICK = "pick"
    SHIP = "ship"
    VOID = "void"
    RETURN = "return"
    ADJUST = "adjust"
    COUNT = "count"
    SCRAP = "scrap"


class OrderStatus(enum.StrEnum):
    PENDING = "pending"  # imported, stock not yet allocated
    READY = "ready"  # allocated, can be picked and packed
    PACKING = "packing"  # claimed by a pack session
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class PickListStatus(enum.StrEnum):
    OPEN = "open"
    PICKING = "picking"
    DONE = "done"
    CANCELLED = "cancelled"


class PackSessionStatus(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ScanResult(enum.StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    PENDING = "pending"  # accepted in part: a second scan (serial, lot) must follow
    COMMAND = "command"


class CarrierKind(enum.StrEnum):
    LOCAL = "local"  # numbers from our own ranges, labels made on site
    API = "api"  # labels bought from the carrier's web API


class NumberRangeKind(enum.StrEnum):
    UPS = "ups"
    USPS_IMPB = "usps-impb"
    FEDEX_EXPRESS = "fedex-express"
    SSCC = "sscc"
    MANIFEST = "manifest"


class RateSource(enum.StrEnum):
    """Where a shipment's chosen price came from."""

    LIVE = "live"  # the carrier's own rate, asked at ship time (the shipment's account)
    TABLE = "table"  # the site's rate tables (no gateway account, or none answered)


class ShipmentStatus(enum.StrEnum):
    LABEL_PENDING = "label-pending"  # committed, label not (yet) printed
    PRINTED = "printed"
    VOIDED = "voided"


class ReceiptStatus(enum.StrEnum):
    OPEN = "open"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class SerialStatus(enum.StrEnum):
    IN_STOCK = "in-stock"  # received, not shipped
    SHIPPED = "shipped"


class RmaStatus(enum.StrEnum):
    OPEN = "open"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RmaDisposition(enum.StrEnum):
    PENDING = "pending"
    RESTOCK = "restock"
    DAMAGED = "damaged"
    SCRAP = "scrap"
    RETURN_TO_VENDOR = "return-to-vendor"


class ReturnGrade(enum.StrEnum):
    """How a returned unit came back, graded at inspection."""

    LIKE_NEW = "like-new"
    OPENED = "opened"
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    WRONG_ITEM = "wrong-item"


class ReturnAction(enum.StrEnum):
    """What becomes of a graded returned unit: back to a sellable bin, held apart, or thrown away."""

    RESTOCK = "restock"
    QUARANTINE = "quarantine"
    DISPOSE = "dispose"


class SlottingStatus(enum.StrEnum):
    """A proposed slotting move: waiting for a manager, accepted (a stock move made), or not."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    STALE = "stale"  # the stock it would move is no longer there


class CycleCountStatus(enum.StrEnum):
    OPEN = "open"
    COUNTING = "counting"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the retry limit: an integration problem until retried
    CANCELLED = "cancelled"  # no longer needed (a shipment voided before its push went out)


class ChannelKind(enum.StrEnum):
    """Where a sales channel's orders come from."""

    SHOPIFY = "shopify"  # GraphQL Admin API
    WOOCOMMERCE = "woocommerce"  # REST API v3
    FILE = "file"  # CSV files imported by hand (no push-back)
