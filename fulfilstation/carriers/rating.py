"""Pricing parcels with a carrier service's own tables. Pure functions, no database.

Units and rules (the invariants every caller may rely on):

* Weights are integer grams, dimensions integer millimetres, money integer minor units of
  the service's currency.
* ``dim_divisor`` is in **cm³ per kg** (the metric convention: 5000 for most couriers).
  Dimensional kilograms = L_cm × W_cm × H_cm / divisor. With 1 cm³ = 1000 mm³ and
  1 kg = 1000 g the two factors of 1000 cancel, so dimensional **grams** =
  L_mm × W_mm × H_mm / divisor, rounded up to the next whole gram. (The US figure of
  139 in³/lb is 5021.6 cm³/kg.) A parcel without all three dimensions has no dimensional
  weight.
* Billable weight = max(actual, dimensional).
* A parcel's price = the rate of the first weight break ≥ its billable weight in its zone
  (the *base*), plus the residential surcharge when the address is residential, plus fuel:
  ``fuel_surcharge_bp`` basis points of the base, rounded half up. A billable weight above
  the heaviest break cannot be carried by that service (``None``). A shipment of several
  parcels costs the sum of its parcels.
* Zones come from the carrier's zone rules: the origin postal code must start with the
  rule's origin prefix, and the destination's leading characters must lie between
  ``dest_prefix_from`` and ``dest_prefix_to`` (inclusive). The most specific rule wins
  (longest origin prefix, then longest destination prefix).
* Transit is counted in business days (Monday to Friday) from the ship date; a weekend
  ship date moves to the next Monday first. Public holidays are not known here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Parcel:
    weight_g: int
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


@dataclass(frozen=True)
class ZoneBand:
    origin_prefix: str
    dest_prefix_from: str
    dest_prefix_to: str
    zone: int


@dataclass(frozen=True)
class RateBreak:
    max_weight_g: int
    price_minor: int


@dataclass(frozen=True)
class Tariff:
    """One service's pricing terms. ``rates`` maps a zone to its weight breaks (any order);
    ``transit_days`` maps a zone to business days in transit."""

    dim_divisor: int
    fuel_surcharge_bp: int
    residential_surcharge_minor: int
    currency: str
    rates: Mapping[int, Sequence[RateBreak]]
    transit_days: Mapping[int, int]


@dataclass(frozen=True)
class Price:
    """A priced shipment: ``total_minor = base_minor + residential_minor + fuel_minor``."""

    base_minor: int
    residential_minor: int
    fuel_minor: int
    total_minor: int
    currency: str
    billable_weight_g: int  # summed over the parcels


def dimensional_weight_g(parcel: Parcel, dim_divisor: int) -> int:
    if dim_divisor <= 0:
        raise ValueError("a dimensional-weight divisor is a positive number of cm³ per kg")
    if not (parcel.length_mm and parcel.width_mm and parcel.height_mm):
        return 0
    volume_mm3 = parcel.length_mm * parcel.width_mm * parcel.height_mm
    return -(-volume_mm3 // dim_divisor)  # ceiling division: carriers round up


def billable_weight_g(parcel: Parcel, dim_divisor: int) -> int:
    return max(parcel.weight_g, dimensional_weight_g(parcel, dim_divisor))


def base_rate(breaks: Iterable[RateBreak], billable_g: int) -> int | None:
    """The price of the first break that holds ``billable_g``; None above the last break."""
    for rate in sorted(breaks, key=lambda r: r.max_weight_g):
        if rate.max_weight_g >= billable_g:
            return rate.price_minor
    return None


def fuel_minor(base_minor: int, fuel_bp: int) -> int:
    """``fuel_bp`` basis points (1/100 of a percent) of the base, rounded half up."""
    return (base_minor * fuel_bp + 5_000) // 10_000


def price_parcels(tariff: Tariff, zone: int, parcels: Sequence[Parcel], residential: bool) -> Price | None:
    """The price of sending ``parcels`` to ``zone``; None when the service has no rate for
    the zone or one parcel is heavier than its heaviest break (or there is no parcel)."""
    breaks = tariff.rates.get(zone)
    if not breaks or not parcels:
        return None
    base = fuel = billable_total = 0
    for parcel in parcels:
        billable = billable_weight_g(parcel, tariff.dim_divisor)
        rate = base_rate(breaks, billable)
        if rate is None:
            return None
        base += rate
        fuel += fuel_minor(rate, tariff.fuel_surcharge_bp)
        billable_total += billable
    residential_total = tariff.residential_surcharge_minor * len(parcels) if residential else 0
    return Price(base, residential_total, fuel, base + residential_total + fuel, tariff.currency, billable_total)


@functools.lru_cache(maxsize=8192)
def normalise_postal_code(code: str) -> str:
    """Upper case without spaces or dashes: ``"sw1a 1aa"`` → ``"SW1A1AA"``, ``"62704-1234"``
    → ``"627041234"``. Remembered (a bounded cache, thread-safe): rating a packing queue
    matches every order's code against every zone rule's prefixes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def zone_for(bands: Iterable[ZoneBand], origin_postal: str, dest_postal: str) -> int | None:
    origin, dest = normalise_postal_code(origin_postal), normalise_postal_code(dest_postal)
    best: tuple[int, int] | None = None
    zone: int | None = None
    for band in bands:
        low, high = normalise_postal_code(band.dest_prefix_from), normalise_postal_code(band.dest_prefix_to)
        if not origin.startswith(normalise_postal_code(band.origin_prefix)):
            continue
        if not (dest[:len(low)] >= low and dest[:len(high)] <= high):
            continue
        specificity = (len(band.origin_prefix), len(low))
        if best is None or specificity > best:
            best, zone = specificity, band.zone
    return zone


def ship_date(today: dt.date) -> dt.date:
    """The first business day on or after ``today``."""
    while today.weekday() >= 5:
        today += dt.timedelta(days=1)
    return today


def add_business_days(start: dt.date, days: int) -> dt.date:
    """``days`` business days after the ship date of ``start`` (0 = that ship date)."""
    if days < 0:
        raise ValueError("transit days are never negative")
    day = ship_date(start)
    for _ in range(days):
        day = ship_date(day + dt.timedelta(days=1))
    return day


def arrival(tariff: Tariff, zone: int, today: dt.date) -> dt.date | None:
    days = tariff.transit_days.get(zone)
    return None if days is None else add_business_days(today, days)


def short_date(day: dt.date) -> str:
    """``Fri 27 Nov`` (English day and month names, whatever the locale)."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[day.weekday()]} {day.day} {months[day.month - 1]}"
