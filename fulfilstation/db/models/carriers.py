"""Carriers, their services and accounts, rate tables, zones, routing rules and the
number ranges tracking numbers are drawn from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, Currency, one_of
from fulfilstation.domain.enums import CarrierKind, NumberRangeKind


class Carrier(Base):
    """A carrier (``ups``, ``usps``, ``fedex``, ``courier`` …). ``code`` is what
    ``manifest close --carrier`` takes."""

    __tablename__ = "carriers"
    __table_args__ = (one_of("kind", CarrierKind, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default=CarrierKind.LOCAL.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CarrierService(Base):
    """A service of a carrier (UPS Ground …). ``service_code`` is the carrier's own code
    (UPS ``03``, USPS service type code ``001`` …). Surcharges: fuel in basis points of the
    base rate, residential as a fixed amount."""

    __tablename__ = "carrier_services"
    __table_args__ = (
        UniqueConstraint("carrier_id", "code"),
        CheckConstraint("dim_divisor > 0", name="dim_divisor_positive"),
        CheckConstraint("fuel_surcharge_bp >= 0 AND residential_surcharge_minor >= 0", name="surcharges"),
        CheckConstraint("insurance_rate_bp >= 0 AND insurance_fee_minor >= 0", name="insurance_terms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    service_code: Mapped[str] = mapped_column(String(64))
    dim_divisor: Mapped[int] = mapped_column(Integer, default=5000)
    fuel_surcharge_bp: Mapped[int] = mapped_column(Integer, default=0)
    residential_surcharge_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(Currency(), default="USD")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Insurance (``carriers/insurance.insurance_for``): offered or not, at a rate in basis
    # points of the declared value plus a fixed fee in the service's currency.
    insurance_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    insurance_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    insurance_fee_minor: Mapped[int] = mapped_column(Integer, default=0)


class CarrierAccount(Base):
    """A shipper account with a carrier. ``settings`` holds non-secret options; API keys
    live in the OS keyring under ``keyring_name``, never here."""

    __tablename__ = "carrier_accounts"
    __table_args__ = (UniqueConstraint("carrier_id", "account_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    account_number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_postal_code: Mapped[str | None] = mapped_column(String(20))
    keyring_name: Mapped[str | None] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NumberRange(Base):
    """A block of serial numbers for tracking numbers (or manifest ids) of one account.

    Allocation is ``UPDATE number_ranges SET next_value = next_value + 1 WHERE id = :id AND
    next_value <= last_value RETURNING next_value - 1``: two stations never get the same
    number, and the CHECK keeps a range from running past its end.
    """

    __tablename__ = "number_ranges"
    __table_args__ = (
        UniqueConstraint("carrier_account_id", "kind"),
        one_of("kind", NumberRangeKind, "kind"),
        CheckConstraint("first_value <= next_value AND next_value <= last_value + 1", name="within_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_account_id: Mapped[int] = mapped_column(ForeignKey("carrier_accounts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(32), default="")
    first_value: Mapped[int] = mapped_column(BigInteger)
    next_value: Mapped[int] = mapped_column(BigInteger)
    last_value: Mapped[int] = mapped_column(BigInteger)


class ZoneRule(Base):
    """Destination postal-code prefixes (inclusive range) from an origin prefix → zone."""

    __tablename__ = "zone_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    origin_prefix: Mapped[str] = mapped_column(String(10))
    dest_prefix_from: Mapped[str] = mapped_column(String(10))
    dest_prefix_to: Mapped[str] = mapped_column(String(10))
    zone: Mapped[int] = mapped_column(Integer)


class ServiceRate(Base):
    """Price of a service for a zone up to ``max_weight_g`` (billable weight)."""

    __tablename__ = "service_rates"
    __table_args__ = (
        UniqueConstraint("service_id", "zone", "max_weight_g"),
        CheckConstraint("max_weight_g > 0 AND price_minor >= 0", name="rate_values"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("carrier_services.id"), index=True)
    zone: Mapped[int] = mapped_column(Integer)
    max_weight_g: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(Integer)


class ServiceTransit(Base):
    """Transit time in business days of a service to a zone."""

    __tablename__ = "service_transits"
    __table_args__ = (UniqueConstraint("service_id", "zone"), CheckConstraint("days >= 0", name="days"))

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("carrier_services.id"), index=True)
    zone: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)


class RoutingRule(Base):
    """A site rule that forces or forbids a service: ``conditions`` is a JSON object
    (weight range, destination countries/regions, order value, product flags), evaluated
    in ``priority`` order; the first match wins."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    priority: Mapped[int] = mapped_column(Integer, default=100)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("carrier_services.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
