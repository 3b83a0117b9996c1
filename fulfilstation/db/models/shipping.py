"""Shipments, the packages in them, what each package holds, and manifests.

Invariants:

* A tracking number exists once (unique on shipments and on packages).
* A shipment row is committed *before* its label is printed; a failed print leaves it
  ``label-pending`` to reprint, never a second number. ``idempotency_key`` makes a retried
  label purchase from a carrier API find the first attempt instead of buying again.
* A shipment with a ``manifest_id`` is closed out: it can no longer be voided or changed.
* Tracking (issue #17, point 6): ``tracking_events`` holds each carrier scan once (unique per
  shipment, instant and code: a repeated poll adds nothing); the shipment keeps the latest
  ``tracking_state`` (``carriers.gateway.TrackingState``), ``delivered_at``, ``last_event_at``,
  ``tracked_at`` (when a poll last claimed it) and ``promised_by`` (the promised delivery day).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, Currency, UtcDateTime, non_negative, one_of, utcnow
from fulfilstation.domain.enums import RateSource, ShipmentStatus


class Manifest(Base):
    """One carrier account's end-of-day close-out. Created closed; never changes, except
    that an API carrier's scan form (``external_id``, EasyPost ``sf_…``, and its
    ``external_form_url``) is recorded once, after the close committed: migration 0003
    lets the database accept exactly that one change from NULL and refuse every other."""

    __tablename__ = "manifests"
    __table_args__ = (non_negative("package_count", "total_weight_g", name="totals"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    carrier_account_id: Mapped[int] = mapped_column(ForeignKey("carrier_accounts.id"), index=True)
    manifest_date: Mapped[dt.date] = mapped_column(Date)
    package_count: Mapped[int] = mapped_column(Integer, default=0)
    total_weight_g: Mapped[int] = mapped_column(Integer, default=0)
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_form_url: Mapped[str | None] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Shipment(Base):
    __tablename__ = "shipments"
    __table_args__ = (
        one_of("status", ShipmentStatus, "status"),
        one_of("rate_source", RateSource, "rate_source"),
        CheckConstraint("cost_minor >= 0", name="cost_not_negative"),
        CheckConstraint("insurance_cost_minor >= 0 AND (insured_value_minor IS NULL OR insured_value_minor >= 0)",
                        name="insurance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    pack_session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"))
    carrier_account_id: Mapped[int] = mapped_column(ForeignKey("carrier_accounts.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("carrier_services.id"))
    tracking_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    routing_code: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default=ShipmentStatus.LABEL_PENDING.value, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    # A carrier gateway's label purchase is claimed here (``… WHERE label_requested_at IS NULL``);
    # still set without a tracking number: the carrier may have made the label, look it up first.
    label_requested_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    label_unanswered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())  # that call got no answer
    cost_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(Currency(), default="USD")
    rate_source: Mapped[str] = mapped_column(String(16), default=RateSource.TABLE.value,  # where the price came from
                                             server_default=RateSource.TABLE.value)
    manifest_id: Mapped[int | None] = mapped_column(ForeignKey("manifests.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    printed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    voided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(300))
    tracking_state: Mapped[str | None] = mapped_column(String(24))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    last_event_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    tracked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    promised_by: Mapped[dt.date | None] = mapped_column(Date)
    insured_value_minor: Mapped[int | None] = mapped_column(Integer)  # None: not insured
    insurance_cost_minor: Mapped[int] = mapped_column(Integer, default=0)


class TrackingEvent(Base):
    """One carrier scan of a shipment, as the carrier reported it. Recorded once: a repeated
    poll's insert of the same (shipment, instant, code) is ignored by the unique constraint."""

    __tablename__ = "tracking_events"
    __table_args__ = (UniqueConstraint("shipment_id", "occurred_at", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    code: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Package(Base):
    """A physical box, with its own tracking number and label once shipped.

    A package is closed (weighed, box chosen) during its pack session, before the shipment
    exists; the ship transaction attaches every closed package of the session to the new
    shipment. ``shipment_id`` is therefore empty only while the order is still being packed.
    """

    __tablename__ = "packages"
    __table_args__ = (
        UniqueConstraint("shipment_id", "sequence"),
        UniqueConstraint("pack_session_id", "sequence"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        non_negative("weight_measured_g", "weight_expected_g", name="weights"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), index=True)
    pack_session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    box_type_id: Mapped[int | None] = mapped_column(ForeignKey("box_types.id"))
    tracking_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    weight_measured_g: Mapped[int] = mapped_column(Integer)
    weight_expected_g: Mapped[int] = mapped_column(Integer, default=0)
    weight_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    label_format: Mapped[str | None] = mapped_column(String(16))
    label_data: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))  # the carrier shipment it is on (gateways)
    label_cost_minor: Mapped[int | None] = mapped_column(Integer)  # what the carrier charged for it (gateways)


class PackageItem(Base):
    __tablename__ = "package_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    lot_code: Mapped[str | None] = mapped_column(String(64))
    serial_number: Mapped[str | None] = mapped_column(String(64))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)


class ShippedSerial(Base):
    """A serial number that has left the building: unique per product, so the same unit
    cannot ship twice. Voiding the shipment deletes the row (the package item keeps it)."""

    __tablename__ = "shipped_serials"
    __table_args__ = (UniqueConstraint("product_id", "serial_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    serial_number: Mapped[str] = mapped_column(String(64))
    package_item_id: Mapped[int] = mapped_column(ForeignKey("package_items.id", ondelete="CASCADE"))


class ShipmentNote(Base):
    """Free-text notes on a shipment (exceptions, carrier remarks) for managers."""

    __tablename__ = "shipment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
