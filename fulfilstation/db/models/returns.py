"""Returns (RMAs) and their lines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import ReturnAction, ReturnGrade, RmaDisposition, RmaStatus


class Rma(Base):
    """A return authorisation for (part of) an order; ``number`` is printed as a barcode."""

    __tablename__ = "rmas"
    __table_args__ = (one_of("status", RmaStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=RmaStatus.OPEN.value)
    reason: Mapped[str | None] = mapped_column(String(300))
    return_tracking_number: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    received_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    processed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())  # every received unit graded
    return_carrier_code: Mapped[str | None] = mapped_column(String(32))
    return_label: Mapped[str | None] = mapped_column(Text)  # the return label as printed (ZPL), if any
    refund_minor: Mapped[int] = mapped_column(Integer, default=0)  # value of units received back
    refunded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())  # its refund recorded as paid
    refunded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RmaLine(Base):
    __tablename__ = "rma_lines"
    __table_args__ = (
        one_of("disposition", RmaDisposition, "disposition"),
        CheckConstraint("quantity_expected > 0", name="expected_positive"),
        CheckConstraint(
            "quantity_received >= 0 AND quantity_received <= quantity_expected", name="received_within"
        ),
        CheckConstraint("quantity_graded >= 0 AND quantity_graded <= quantity_received", name="graded_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity_expected: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    disposition: Mapped[str] = mapped_column(String(20), default=RmaDisposition.PENDING.value)
    condition_note: Mapped[str | None] = mapped_column(String(300))
    serial_number: Mapped[str | None] = mapped_column(String(64))
    lot_code: Mapped[str | None] = mapped_column(String(64))
    restock_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    reason_code: Mapped[str | None] = mapped_column(String(32))  # one of the site's return reasons
    quantity_graded: Mapped[int] = mapped_column(Integer, default=0)


class RmaUnit(Base):
    """One returned unit as inspected: its grade and what became of it (a stock move when
    restocked or quarantined, a scrap move when disposed). Written with a conditional
    ``quantity_graded + 1 <= quantity_received`` update of its line, so two inspectors never
    grade more units than came back."""

    __tablename__ = "rma_units"
    __table_args__ = (
        one_of("grade", ReturnGrade, "grade"),
        one_of("action", ReturnAction, "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_line_id: Mapped[int] = mapped_column(ForeignKey("rma_lines.id", ondelete="CASCADE"), index=True)
    grade: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    serial_number: Mapped[str | None] = mapped_column(String(64))
    lot_code: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str | None] = mapped_column(String(300))
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
