"""Users, stations and site-wide settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import Role


class User(Base):
    """A person who logs in at a station.

    Secrets are never stored in clear: ``pin_hash`` is a salted, slow hash
    (``scrypt$…``); ``badge_digest`` is a keyed digest of the badge code, unique so that a
    badge scan finds its user with one indexed look-up.
    """

    __tablename__ = "users"
    __table_args__ = (
        one_of("role", Role, "role"),
        CheckConstraint("failed_pin_attempts >= 0", name="failed_pin_attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    badge_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UserSecret(Base):
    """A job secret an owner issued to a user for unattended jobs (imports, shop sync).

    The secret itself lives only in the OS keyring of the machine that runs the job; here is
    its SHA-256 digest (the secret is 256 random bits, so a fast digest is safe to compare),
    unique so that a sign-in finds it with one indexed look-up. A revoked secret
    (``revoked_at`` set) signs nobody in.
    """

    __tablename__ = "user_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    keyring_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Station(Base):
    """A packing PC, named by its settings file; device URIs as in ARCHITECTURE.md."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    scanner_uri: Mapped[str] = mapped_column(String(300), default="wedge:")
    scale_uri: Mapped[str | None] = mapped_column(String(300))
    label_printer_uri: Mapped[str | None] = mapped_column(String(300))
    document_printer_uri: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SiteSetting(Base):
    """A site-wide setting (weight tolerances, units, ship-from address...) as JSON."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
