"""The rate tables an order's offers are priced from: zone rules, rate breaks and transit
times, read once for a set of destinations (one order in the ship transaction, the whole
queue in a batch) and only for the zones those destinations fall in.

Invariant: reads only, inside the caller's unit of work; plain columns, not ORM objects,
for the rate rows (this runs inside every ship transaction).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.rating import Parcel, RateBreak, Tariff, ZoneBand, arrival, price_parcels, zone_for
from fulfilstation.carriers.routing import Offer
from fulfilstation.db.models import Order, ServiceRate, ServiceTransit, SiteSetting, ZoneRule

if TYPE_CHECKING:
    from fulfilstation.carriers.rate_shop import Candidate


@dataclass(frozen=True)
class RateTables:
    """The zone rules, rates and transit times a set of destinations needs (read once)."""

    bands: dict[int, list[ZoneBand]]
    site_origin: str | None
    rates: dict[tuple[int, int], list[RateBreak]]
    transits: dict[tuple[int, int], int]
    found: dict[tuple[int, str, str], int | None] = field(default_factory=dict)
    """Zones already looked up, by (carrier, origin, destination): a queue's orders share
    carriers, origins and often destinations. Only ever added to, by the thread using these tables."""

    def zones(self, candidates: list[Candidate], postal_code: str) -> dict[int, int | None]:
        """Each candidate service's zone for ``postal_code`` (None: no zone rule covers it)."""
        zones: dict[int, int | None] = {}
        for c in candidates:
            origin = c.account.origin_postal_code or self.site_origin
            zones[c.service.id] = self._zone(c.carrier.id, origin, postal_code) if origin else None
        return zones

    def _zone(self, carrier_id: int, origin: str, postal_code: str) -> int | None:
        key = (carrier_id, origin, postal_code)
        if key not in self.found:
            self.found[key] = zone_for(self.bands[carrier_id], origin, postal_code)
        return self.found[key]


def rate_tables(session: Session, candidates: list[Candidate], postal_codes: Iterable[str]) -> RateTables:
    """Only the rate rows of the zones these destinations fall in are read (plain columns,
    not ORM objects): this runs inside every ship transaction."""
    bands: dict[int, list[ZoneBand]] = defaultdict(list)
    for rule in session.scalars(select(ZoneRule).where(ZoneRule.carrier_id.in_({c.carrier.id for c in candidates}))):
        bands[rule.carrier_id].append(ZoneBand(rule.origin_prefix, rule.dest_prefix_from, rule.dest_prefix_to,
                                               rule.zone))
    tables = RateTables(bands, site_postal_code(session), defaultdict(list), {})
    wanted = sorted({(service_id, zone) for code in set(postal_codes)
                     for service_id, zone in tables.zones(candidates, code).items() if zone is not None})
    if wanted:
        pairs = or_(*[and_(ServiceRate.service_id == s, ServiceRate.zone == z) for s, z in wanted])
        for service_id, zone, max_g, price in session.execute(select(
                ServiceRate.service_id, ServiceRate.zone, ServiceRate.max_weight_g, ServiceRate.price_minor)
                .where(pairs)):
            tables.rates[(service_id, zone)].append(RateBreak(max_g, price))
        transit_pairs = or_(*[and_(ServiceTransit.service_id == s, ServiceTransit.zone == z) for s, z in wanted])
        tables.transits.update({(service_id, zone): days for service_id, zone, days in session.execute(
            select(ServiceTransit.service_id, ServiceTransit.zone, ServiceTransit.days).where(transit_pairs))})
    return tables


def offers_from(tables: RateTables, candidates: list[Candidate], order: Order, parcels: list[Parcel],
                 today: dt.date) -> list[Offer]:
    """Price each candidate for ``order``'s ``parcels`` from ``tables``."""
    zones = tables.zones(candidates, order.ship_to_postal_code)
    offers = []
    for c in candidates:
        zone = zones[c.service.id]
        if zone is None:
            offers.append(Offer(c.key, c.service.name, None, None))
            continue
        key = (c.service.id, zone)
        tariff = Tariff(c.service.dim_divisor, c.service.fuel_surcharge_bp, c.service.residential_surcharge_minor,
                        c.service.currency, {zone: tables.rates.get(key, [])},
                        {zone: tables.transits[key]} if key in tables.transits else {})
        offers.append(Offer(c.key, c.service.name, price_parcels(tariff, zone, parcels, order.ship_to_residential),
                            arrival(tariff, zone, today)))
    return offers


def site_postal_code(session: Session) -> str | None:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    code = value.get("postal_code") if isinstance(value, dict) else None
    return str(code) if code else None
