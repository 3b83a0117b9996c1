"""The day a shipment was promised to arrive (``shipments.promised_by``), set once when the
tracking poller first claims it.

Rule: the order's own ``deliver_by`` when the shop gave one; else the day the service's
transit time says — its ``service_transits`` days for the zone of the account's origin (else
the site's ship-from postal code) and the order's destination, counted in business days from
the ship date of the shipment's UTC day (``carriers.rating.add_business_days``, as the packing
queue's arrival dates are). No deliver-by and no transit time: no promise (the shipment is
then neither on time nor late).

Threading: takes an open session; blocking (database).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.rate_tables import site_postal_code
from fulfilstation.carriers.rating import ZoneBand, add_business_days, zone_for
from fulfilstation.db.models import CarrierAccount, CarrierService, Order, ServiceTransit, Shipment, ZoneRule


def set_promises(session: Session, shipment_ids: list[int]) -> int:
    """Set ``promised_by`` on those of ``shipment_ids`` that have none and can have one."""
    if not shipment_ids:
        return 0
    rows = session.execute(
        select(Shipment.id, Shipment.created_at, Shipment.service_id, CarrierService.carrier_id,
               CarrierAccount.origin_postal_code, Order.deliver_by, Order.ship_to_postal_code)
        .join(Order, Order.id == Shipment.order_id)
        .join(CarrierService, CarrierService.id == Shipment.service_id)
        .join(CarrierAccount, CarrierAccount.id == Shipment.carrier_account_id)
        .where(Shipment.id.in_(shipment_ids), Shipment.promised_by.is_(None))).all()
    if not rows:
        return 0
    site_origin = site_postal_code(session)
    bands: dict[int, list[ZoneBand]] = defaultdict(list)
    for rule in session.scalars(select(ZoneRule).where(ZoneRule.carrier_id.in_({r.carrier_id for r in rows}))):
        bands[rule.carrier_id].append(ZoneBand(rule.origin_prefix, rule.dest_prefix_from, rule.dest_prefix_to,
                                               rule.zone))
    transits = {(service_id, zone): days for service_id, zone, days in session.execute(
        select(ServiceTransit.service_id, ServiceTransit.zone, ServiceTransit.days)
        .where(ServiceTransit.service_id.in_({r.service_id for r in rows})))}
    promised = 0
    for shipment_id, created_at, service_id, carrier_id, origin, deliver_by, postal_code in rows:
        day = deliver_by
        origin = origin or site_origin
        if day is None and origin:
            zone = zone_for(bands[carrier_id], origin, postal_code)
            days = transits.get((service_id, zone)) if zone is not None else None
            day = add_business_days(created_at.date(), days) if days is not None else None
        if day is not None:
            promised += session.execute(update(Shipment).where(Shipment.id == shipment_id,
                                                               Shipment.promised_by.is_(None))
                                        .values(promised_by=day).execution_options(synchronize_session=False)
                                        ).rowcount or 0  # type: ignore[attr-defined]
    return promised
