"""The append-only audit log and the integration outbox.

The audit log refuses UPDATE and DELETE at the database level (triggers created by the
migration on both engines), so history cannot be rewritten by a bug or a script.
The outbox holds messages for shops and carriers, written in the same transaction as the
change they describe and delivered later by a worker (at-least-once, keyed for dedup).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import OutboxStatus


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (one_of("status", OutboxStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Issue #12: the sales channel the message goes to (None: nobody outside listens, e.g.
    # manifest.closed, or an order from a CSV file), the order it is about, and what the
    # shop answered (its fulfilment id …) once delivered.
    channel: Mapped[str | None] = mapped_column(String(32), index=True)
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
