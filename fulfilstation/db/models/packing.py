"""Pack sessions, the scan events recorded in them and the weight checks the station refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import PackSessionStatus, ScanResult


class PackSession(Base):
    """One packer packing one order at one station.

    At most one *open* session per order: a partial unique index enforces it, so two
    stations racing for the same order cannot both open one. An open session survives a
    crash and is resumed when the station reopens; ``heard_at`` is its holder's heartbeat
    (a session not heard from for two minutes may be taken over by another station).
    ``scan_count`` is moved on by every scan with a conditional UPDATE on its previous
    value: that locks the row, and tells a station whose working copy of the session is out of date.
    """

    __tablename__ = "pack_sessions"
    __table_args__ = (
        one_of("status", PackSessionStatus, "status"),
        Index(
            "uq_pack_sessions_open_order",
            "order_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=PackSessionStatus.OPEN.value)
    box_type_id: Mapped[int | None] = mapped_column(ForeignKey("box_types.id"))
    weight_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    scan_count: Mapped[int] = mapped_column(Integer, default=0)  # version: each scan moves it on by one
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    heard_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), default=utcnow)  # heartbeat of the holder
    holder: Mapped[str | None] = mapped_column(String(120))  # the process packing it ("window host 123")


class ScanEvent(Base):
    """Every scan at a station, accepted or refused: the history of what the packer did.

    ``raw`` is the data as the scanner sent it; ``package_sequence`` is the package of the
    session the item went into (multi-package orders); ``gtin``, ``lot_code``, ``serial_number``
    and ``expiry_date`` are what was read out of it; ``refusal`` is a stable code
    (``unknown-barcode``, ``not-on-order``, ``over-quantity`` …) with ``message`` in words.
    """

    __tablename__ = "scan_events"
    __table_args__ = (one_of("result", ScanResult, "result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raw: Mapped[str] = mapped_column(String(500))
    symbology: Mapped[str | None] = mapped_column(String(8))
    gtin: Mapped[str | None] = mapped_column(String(14))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    package_sequence: Mapped[int] = mapped_column(Integer, default=1)
    lot_code: Mapped[str | None] = mapped_column(String(64))
    serial_number: Mapped[str | None] = mapped_column(String(64))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16))
    refusal: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WeightRefusal(Base):
    """A weighing the station refused because the parcel was heavier or lighter than the
    expected range, for the packers' report (mistakes caught at the scale).

    Written in a transaction of its own (``services.packing.weight_refusals``), after the
    refused weighing rolled back, so the record survives the refusal. Only the packer's
    weighing counts: an unsteady scale and an empty scale (zero or less: nothing put on it)
    are not recorded, nor a manager's attempt to accept the weight (the refusal it answers
    already is). ``user_id`` is the signed-in person who weighed; ``package_sequence`` the
    package of the session weighed (the items scanned into it are what was on the scale);
    weights in grams; ``verdict`` ``over`` or ``under``. Append-only: nothing updates a row.
    """

    __tablename__ = "weight_refusals"
    __table_args__ = (
        one_of("verdict", ("over", "under"), "verdict"),
        Index("ix_weight_refusals_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    package_sequence: Mapped[int] = mapped_column(Integer)
    measured_g: Mapped[int] = mapped_column(Integer)
    expected_g: Mapped[int] = mapped_column(Integer)
    min_g: Mapped[int] = mapped_column(Integer)
    max_g: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
