"""Returns (RMAs) and their lines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import RmaDisposition, RmaStatus


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


class RmaLine(Base):
    __tablename__ = "rma_lines"
    __table_args__ = (
        one_of("disposition", RmaDisposition, "disposition"),
        CheckConstraint("quantity_expected > 0", name="expected_positive"),
        CheckConstraint(
            "quantity_received >= 0 AND quantity_received <= quantity_expected", name="received_within"
        ),
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
