"""Stock: levels per product, bin and lot, the stock-move ledger, receiving, cycle counts.

Invariants held by the database, whatever the code does:

* ``on_hand >= 0``, ``reserved >= 0`` and ``reserved <= on_hand`` (CHECK constraints), so a
  conditional ``UPDATE … SET reserved = reserved + :q`` that would over-reserve fails.
* Every change to a stock level is written in the same transaction as a ``StockMove`` row
  with its reason, user and time: the ledger explains every figure.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import CycleCountStatus, ReceiptStatus, SerialStatus, SlottingStatus, StockMoveReason


class StockLevel(Base):
    """Units of one product (and lot) in one bin. ``lot_code`` is '' when not lot-tracked."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "bin_id", "lot_code"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"), index=True)
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)


class StockMove(Base):
    """One line of the stock ledger: ``quantity`` units left ``from_bin`` and/or reached
    ``to_bin`` (receiving has no source, shipping no destination)."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        one_of("reason", StockMoveReason, "reason"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("from_bin_id IS NOT NULL OR to_bin_id IS NOT NULL", name="has_a_bin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    from_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"))
    rma_id: Mapped[int | None] = mapped_column(ForeignKey("rmas.id"))
    cycle_count_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_counts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Receipt(Base):
    """Goods arriving from a supplier: against a purchase order (its expected lines) or ad
    hoc (no expected lines). Scanned units are ``ReceiptItem`` rows and touch no stock
    until the receipt is closed, which posts every stock move in one transaction and sets
    ``status`` from ``open`` by a conditional UPDATE (two stations closing: one wins)."""

    __tablename__ = "receipts"
    __table_args__ = (one_of("status", ReceiptStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    supplier: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default=ReceiptStatus.OPEN.value)
    expected_date: Mapped[dt.date | None] = mapped_column(Date)
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))  # where its goods go unless scanned
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    received_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"
    __table_args__ = (
        UniqueConstraint("receipt_id", "product_id"),
        CheckConstraint("quantity_expected >= 0 AND quantity_received >= 0", name="quantities"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity_expected: Mapped[int] = mapped_column(Integer, default=0)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))


class ReceiptItem(Base):
    """Units scanned on an open receipt: where they go, their lot, expiry and serial.
    Stock is posted from these rows when the receipt closes, never before."""

    __tablename__ = "receipt_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("serial_number IS NULL OR quantity = 1", name="one_unit_per_serial"),
        UniqueConstraint("receipt_id", "product_id", "serial_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    serial_number: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    scanned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SerialNumber(Base):
    """A serial number that came in (on a closed receipt) and where it is now. Packing
    refuses a serial of a product whose serials are captured here when it never came in."""

    __tablename__ = "serial_numbers"
    __table_args__ = (
        UniqueConstraint("product_id", "serial"),
        one_of("status", SerialStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=SerialStatus.IN_STOCK.value)
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))


class CycleCount(Base):
    """A count of some bins; differences become ``count`` stock moves when completed."""

    __tablename__ = "cycle_counts"
    __table_args__ = (one_of("status", CycleCountStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=CycleCountStatus.OPEN.value)
    blind: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    description: Mapped[str | None] = mapped_column(String(200))  # "scheduled: class A", "bins A-01, A-02"
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)  # a variance over the threshold
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Inventory accuracy, recorded when completed: lines counted, lines that matched, and the
    # variance in units (sum of absolute differences) and value (minor units).
    lines_counted: Mapped[int] = mapped_column(Integer, default=0)
    lines_exact: Mapped[int] = mapped_column(Integer, default=0)
    units_variance: Mapped[int] = mapped_column(Integer, default=0)
    value_variance_minor: Mapped[int] = mapped_column(Integer, default=0)


class CycleCountLine(Base):
    __tablename__ = "cycle_count_lines"
    __table_args__ = (
        UniqueConstraint("cycle_count_id", "bin_id", "product_id", "lot_code"),
        CheckConstraint("expected_quantity >= 0", name="expected_not_negative"),
        CheckConstraint("counted_quantity IS NULL OR counted_quantity >= 0", name="counted_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_count_id: Mapped[int] = mapped_column(ForeignKey("cycle_counts.id", ondelete="CASCADE"), index=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    expected_quantity: Mapped[int] = mapped_column(Integer, default=0)
    counted_quantity: Mapped[int | None] = mapped_column(Integer)
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # What the system held in the bin (on hand less units picked into totes, not yet shipped)
    # at the moment the count was recorded: the variance is counted - system_quantity, and it
    # is posted as a difference, so moves made during or after the count are kept.
    system_quantity: Mapped[int | None] = mapped_column(Integer)
    posted_quantity: Mapped[int | None] = mapped_column(Integer)  # the adjustment posted (+/-)


class SlottingMove(Base):
    """A proposed move of a fast mover to a bin nearer the packing stations. A manager accepts
    it (then it is a ``move`` stock move, ``stock_move_id``) or rejects it."""

    __tablename__ = "slotting_moves"
    __table_args__ = (
        one_of("status", SlottingStatus, "status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    from_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    to_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    units_shipped: Mapped[int] = mapped_column(Integer, default=0)  # the velocity it was ranked by
    status: Mapped[str] = mapped_column(String(16), default=SlottingStatus.PROPOSED.value, index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    stock_move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_moves.id"))
