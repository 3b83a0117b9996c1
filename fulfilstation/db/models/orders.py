"""Orders, order lines, stock allocations and pick lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fulfilstation.db.base import Base, Currency, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import OrderStatus, PickListStatus


class Order(Base):
    """A customer order from a sales channel.

    ``(channel, external_id)`` is unique so that importing the same shop order twice is
    harmless. A held order keeps its status; ``hold`` stops it being picked or packed.
    Claiming for packing is ``UPDATE orders SET status='packing' WHERE id=:id AND
    status='ready' AND hold = false`` — the database picks one winner.
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        one_of("status", OrderStatus, "status"),
        CheckConstraint("total_minor >= 0", name="total_not_negative"),
        CheckConstraint("shipping_charged_minor >= 0", name="shipping_charged_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING.value, index=True)
    ship_to_name: Mapped[str] = mapped_column(String(200))
    ship_to_company: Mapped[str | None] = mapped_column(String(200))
    ship_to_line1: Mapped[str] = mapped_column(String(200))
    ship_to_line2: Mapped[str | None] = mapped_column(String(200))
    ship_to_city: Mapped[str] = mapped_column(String(100))
    ship_to_region: Mapped[str | None] = mapped_column(String(100))
    ship_to_postal_code: Mapped[str] = mapped_column(String(20))
    ship_to_country: Mapped[str] = mapped_column(String(2))
    ship_to_phone: Mapped[str | None] = mapped_column(String(40))
    ship_to_email: Mapped[str | None] = mapped_column(String(200))
    ship_to_residential: Mapped[bool] = mapped_column(Boolean, default=True)
    ship_by: Mapped[dt.date | None] = mapped_column(Date, index=True)
    deliver_by: Mapped[dt.date | None] = mapped_column(Date)
    requested_service_id: Mapped[int | None] = mapped_column(ForeignKey("carrier_services.id"))
    hold: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_reason: Mapped[str | None] = mapped_column(String(300))
    gift_message: Mapped[str | None] = mapped_column(Text)
    total_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(Currency(), default="USD")
    ordered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    # The FIRST time the order became ready (stock reserved), for the reports' SLA: set once, by
    # ``services.orders.ready.first_ready_at`` (coalesce: NULL only) on every path to ready, so a
    # return to ready — a cancelled or released pack, a voided shipment, a reservation again after
    # a short pick — keeps it. NULL: never ready (or older than the column).
    ready_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # the shipping the customer paid, order's currency; None when the shop or file did not say
    shipping_charged_minor: Mapped[int | None] = mapped_column(Integer)
    # Intake (issue #12). ``financial_status`` as the shop says (paid, pending, authorized,
    # refunded …; None: not known, e.g. a generic CSV). ``shop_status`` what the shop last said
    # of the order (open, cancelled, on-hold). ``intake_problems`` are the validation findings:
    # ``[{"code", "message", "holds"}]`` — a holding one put the order on hold. ``unmatched_lines``
    # keeps the lines whose SKU is unknown, as the shop sent them (``[{"line_no", "sku", "name",
    # "quantity", "unit_price_minor"}]``), so the order can be fixed. ``original_ship_to`` is the
    # address as the shop sent it when an AddressCheck corrected it. ``backorder``: valid but
    # not fully reservable; reserved as stock arrives.
    financial_status: Mapped[str | None] = mapped_column(String(32))
    # The customer's note to the shop (delivery instructions …): shown to people, never printed
    # as the gift message (which goes in the parcel).
    customer_note: Mapped[str | None] = mapped_column(Text)
    shop_status: Mapped[str | None] = mapped_column(String(32))
    bill_to_country: Mapped[str | None] = mapped_column(String(2))
    intake_problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    unmatched_lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    original_ship_to: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    backorder: Mapped[bool] = mapped_column(Boolean, default=False)
    # Partial shipments (migration 0010): the order whose lines it could not ship at once this
    # order carries on (None: an order as the shop sent it). Such a remainder shares its
    # parent's channel and shop order; its ``external_id`` is the parent's plus a suffix.
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), index=True)
    # Set when returned units were received against one of the order's RMAs and the money is
    # still owed to the customer; cleared by whoever records the refund.
    refund_due: Mapped[bool] = mapped_column(Boolean, default=False)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(Integer, default=0)
    # A kit's line is kept as ordered (the shop's line, the slip) and is never reserved,
    # picked or packed itself: its components are lines of their own pointing at it.
    kit_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    external_line_id: Mapped[str | None] = mapped_column(String(100))  # the shop's line item id

    order: Mapped[Order] = relationship(back_populates="lines")


class Allocation(Base):
    """Units of an order line reserved in one stock level (bin and lot). The sum of
    allocations on a stock level equals its ``reserved`` figure (kept in one transaction)."""

    __tablename__ = "allocations"
    __table_args__ = (
        UniqueConstraint("order_line_id", "stock_level_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class PickList(Base):
    """A batch of orders picked in one walk; its ``number`` is printed as a barcode."""

    __tablename__ = "pick_lists"
    __table_args__ = (one_of("status", PickListStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PickListStatus.OPEN.value)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # How it was chosen, in words ("orders 1001, 1002", "next 20", "wave: carrier UPS").
    description: Mapped[str | None] = mapped_column(String(200))
    by_zone: Mapped[bool] = mapped_column(Boolean, default=False)  # printed as one section per zone


class PickListOrder(Base):
    """An order on a pick list, with the tote it is picked into (scannable at packing)."""

    __tablename__ = "pick_list_orders"
    __table_args__ = (UniqueConstraint("pick_list_id", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(ForeignKey("pick_lists.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tote_code: Mapped[str | None] = mapped_column(String(32), index=True)


class PickListLine(Base):
    __tablename__ = "pick_list_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("picked_quantity >= 0 AND picked_quantity <= quantity", name="picked_within"),
        CheckConstraint("short_quantity >= 0 AND picked_quantity + short_quantity <= quantity", name="short_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(ForeignKey("pick_lists.id", ondelete="CASCADE"), index=True)
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id", ondelete="SET NULL"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[int] = mapped_column(Integer)
    picked_quantity: Mapped[int] = mapped_column(Integer, default=0)
    short_quantity: Mapped[int] = mapped_column(Integer, default=0)  # found missing at the bin
    picked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    picked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
