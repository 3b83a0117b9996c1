"""Rate shopping from the database: which services could take an order, what each costs,
when each arrives, and which one the rules choose (``fulfilstation.carriers.routing``).

Invariants:

* ``rate_order`` only reads, inside the caller's unit of work (the ship transaction calls
  it through ``choose_carrier``, so the recorded cost is the price of what ships; the
  manager's quote calls it through ``fulfilstation.services.orders.quotes``).
* Parcels are the closed packages of the order's latest pack session that belong to no
  shipment yet, plus — while units are not in one of them — one parcel estimated from
  those products in the box scanned for the open package, else the suggested box
  (``Quote.estimated``). In the ship transaction every unit is packed: no estimate.
* A service is offered when it and its carrier are active and the carrier has an active
  account that can issue labels (the default account first): for a ``local`` carrier an
  account with a tracking number range; for an ``api`` carrier (labels bought from
  EasyPost after the ship commit) an account with an API key name (``keyring_name``).
  API services take single-package shipments only: with several parcels they are not
  offered. Their price here comes from their rate table like any service (an estimate:
  the price EasyPost charges is recorded when the label is bought).
* Origin postal code: the account's ``origin_postal_code``, else the site's ship-from.
* The order value for routing rules is ``Order.total_minor``, or the sum of its lines
  when that is 0.
* ``rate_orders`` makes the same choice for many orders at once (the packing queue): the
  services, accounts, rules, zones, boxes, rates and transit times are read once for the
  batch, each order's lines in one query for all; an order whose latest pack has packages
  or is open is rated alone by ``rate_order``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import tracking_range
from fulfilstation.carriers.rating import Parcel, RateBreak, Tariff, ZoneBand, arrival, price_parcels, zone_for
from fulfilstation.carriers.routing import (
    Decision,
    NoServiceAvailable,
    Offer,
    RoutingRuleError,
    Rule,
    ShipmentFacts,
    choose_service,
)
from fulfilstation.db.models import (
    BoxType,
    Carrier,
    CarrierAccount,
    CarrierService,
    NumberRange,
    Order,
    OrderLine,
    Package,
    PackSession,
    Product,
    RoutingRule,
    ScanEvent,
    ServiceRate,
    ServiceTransit,
    SiteSetting,
    ZoneRule,
)
from fulfilstation.domain.box_fit import BoxOption, ItemSize, suggest_box
from fulfilstation.domain.enums import CarrierKind, PackSessionStatus, ScanResult


@dataclass(frozen=True)
class Candidate:
    """A usable service with the account and number range it would ship on (ORM rows:
    only inside the unit of work that loaded them)."""

    carrier: Carrier
    service: CarrierService
    account: CarrierAccount
    number_range: NumberRange | None  # None: an API carrier, the label is bought

    @property
    def key(self) -> str:
        return f"{self.carrier.code}/{self.service.code}"

    @property
    def bought(self) -> bool:
        """The label is bought from the carrier's API after the ship commit."""
        return self.number_range is None


@dataclass(frozen=True)
class Rated:
    decision: Decision
    chosen: Candidate
    candidates: tuple[Candidate, ...]
    offers: tuple[Offer, ...]
    parcels: tuple[Parcel, ...]
    estimated: bool


def rate_order(session: Session, order: Order, today: dt.date | None = None) -> Rated:
    """Price every usable service for ``order`` and choose one. Raises
    ``NoServiceAvailable`` or ``RoutingRuleError`` (plain-language messages)."""
    today = today or dt.date.today()
    rows = _lines(session, order)
    parcels, estimated = _parcels(session, order, rows)
    candidates = [c for c in _candidates(session) if not (c.bought and len(parcels) > 1)]
    offers = _offers(session, candidates, order, parcels, today)
    decision = choose_service(offers, _rules(session), _facts(order, parcels, rows),
                              _service_key(session, order.requested_service_id), order.deliver_by)
    chosen = next(c for c in candidates if c.key == decision.offer.key)
    return Rated(decision, chosen, tuple(candidates), tuple(offers), tuple(parcels), estimated)


def rate_orders(session: Session, orders: Sequence[Order], today: dt.date | None = None) -> dict[int, Rated | str]:
    """``rate_order`` for each of ``orders``, by order id: its ``Rated``, or why no service
    can take it (words). Reads what the orders share once (see the module doc)."""
    today = today or dt.date.today()
    ids = [order.id for order in orders]
    if not ids:
        return {}
    rows: dict[int, list[tuple[OrderLine, Product]]] = defaultdict(list)
    for line, product in session.execute(select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
                                         .where(OrderLine.order_id.in_(ids)).order_by(OrderLine.line_no)):
        rows[line.order_id].append((line, product))
    alone = _packed_or_open(session, ids)
    all_candidates, rules, boxes = _candidates(session), _rules(session), _boxes(session)
    keys = _service_keys(session)
    tables = _tables(session, all_candidates, [order.ship_to_postal_code for order in orders])
    rated: dict[int, Rated | str] = {}
    for order in orders:
        try:
            if order.id in alone:
                rated[order.id] = rate_order(session, order, today)
                continue
            left = [(line, product, line.quantity) for line, product in rows[order.id]]
            parcels = [_estimate(left, boxes, None)] if left else []
            candidates = [c for c in all_candidates if not (c.bought and len(parcels) > 1)]
            offers = _offers_from(tables, candidates, order, parcels, today)
            requested = keys.get(order.requested_service_id) if order.requested_service_id is not None else None
            decision = choose_service(offers, rules, _facts(order, parcels, rows[order.id]), requested,
                                      order.deliver_by)
            chosen = next(c for c in candidates if c.key == decision.offer.key)
            rated[order.id] = Rated(decision, chosen, tuple(candidates), tuple(offers), tuple(parcels), bool(left))
        except (NoServiceAvailable, RoutingRuleError) as exc:
            rated[order.id] = str(exc)
    return rated


def _packed_or_open(session: Session, order_ids: list[int]) -> set[int]:
    """Orders whose latest pack session is open or holds packages not shipped yet."""
    latest = (select(PackSession.order_id, func.max(PackSession.id).label("id"))
              .where(PackSession.order_id.in_(order_ids)).group_by(PackSession.order_id).subquery())
    open_ = session.scalars(select(PackSession.order_id).join(latest, latest.c.id == PackSession.id)
                           .where(PackSession.status == PackSessionStatus.OPEN.value)).all()
    packed = session.scalars(select(latest.c.order_id).join(Package, Package.pack_session_id == latest.c.id)
                             .where(Package.shipment_id.is_(None))).all()
    return {int(i) for i in (*open_, *packed)}


def _service_keys(session: Session) -> dict[int, str]:
    return {int(service_id): f"{carrier}/{code}" for service_id, carrier, code in session.execute(
        select(CarrierService.id, Carrier.code, CarrierService.code)
        .join(Carrier, Carrier.id == CarrierService.carrier_id))}


def _parcels(session: Session, order: Order, rows: list[tuple[OrderLine, Product]]) -> tuple[list[Parcel], bool]:
    """The parcels to price and whether any is an estimate. Closed packages of the order's
    latest pack session (not yet shipped) as weighed; while that session is open, the units
    not in one of them — all of them before packing — as one more parcel estimated from the
    products, in the box the packer scanned, else the suggested box. A session no longer
    open (the ship transaction has just completed it) has nothing loose: no scan is read."""
    pack = session.scalar(select(PackSession).where(PackSession.order_id == order.id)
                          .order_by(PackSession.id.desc()).limit(1))
    packages = session.scalars(select(Package).where(Package.pack_session_id == pack.id,
                                                     Package.shipment_id.is_(None))
                               .order_by(Package.sequence)).all() if pack is not None else []
    parcels = [Parcel(p.weight_measured_g, p.length_mm, p.width_mm, p.height_mm) for p in packages]
    is_open = pack is not None and pack.status == PackSessionStatus.OPEN.value
    if packages and not is_open:
        return parcels, False
    packed: dict[int, int] = defaultdict(int)
    if packages and pack is not None:
        for line_id, quantity in session.execute(
                select(ScanEvent.order_line_id, func.sum(ScanEvent.quantity)).where(
                    ScanEvent.pack_session_id == pack.id, ScanEvent.result == ScanResult.ACCEPTED.value,
                    ScanEvent.order_line_id.is_not(None),
                    ScanEvent.package_sequence.in_([p.sequence for p in packages]))
                .group_by(ScanEvent.order_line_id)):
            if line_id is not None:
                packed[line_id] = int(quantity or 0)
    left = [(line, product, line.quantity - packed[line.id]) for line, product in rows
            if line.quantity > packed[line.id]]
    if not left:
        return parcels, False
    scanned = pack.box_type_id if is_open and pack is not None else None
    return [*parcels, _estimate(left, _boxes(session), scanned)], True


def _boxes(session: Session) -> dict[int, BoxOption]:
    return {b.id: BoxOption(b.code, b.inner_length_mm, b.inner_width_mm, b.inner_height_mm, b.max_weight_g,
                            b.tare_weight_g) for b in session.scalars(select(BoxType).where(BoxType.active.is_(True)))}


def _estimate(left: list[tuple[OrderLine, Product, int]], boxes: dict[int, BoxOption],
              scanned: int | None) -> Parcel:
    """One parcel of the units ``left``: in the box scanned, else the suggested box."""
    box = boxes.get(scanned) if scanned is not None else None
    box = box or suggest_box([ItemSize(p.length_mm, p.width_mm, p.height_mm, p.weight_g, quantity)
                              for _line, p, quantity in left], list(boxes.values()))
    contents = sum(p.weight_g * quantity for _line, p, quantity in left)
    if box is None:
        return Parcel(contents)
    return Parcel(contents + box.tare_weight_g, box.inner_length_mm, box.inner_width_mm, box.inner_height_mm)


def _lines(session: Session, order: Order) -> list[tuple[OrderLine, Product]]:
    return [(line, product) for line, product in session.execute(
        select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id).order_by(OrderLine.line_no))]


def _candidates(session: Session) -> list[Candidate]:
    rows = session.execute(select(CarrierService, Carrier).join(Carrier, Carrier.id == CarrierService.carrier_id)
                           .where(CarrierService.active.is_(True), Carrier.active.is_(True),
                                  Carrier.kind.in_((CarrierKind.LOCAL.value, CarrierKind.API.value)))
                           .order_by(Carrier.code != "courier", CarrierService.id)).all()
    accounts: dict[int, tuple[CarrierAccount, NumberRange | None] | None] = {}
    found = []
    for service, carrier in rows:
        if carrier.id not in accounts:
            accounts[carrier.id] = _account(session, carrier)
        account = accounts[carrier.id]
        if account is not None:
            found.append(Candidate(carrier, service, *account))
    return found


def _account(session: Session, carrier: Carrier) -> tuple[CarrierAccount, NumberRange | None] | None:
    for account in session.scalars(select(CarrierAccount).where(
            CarrierAccount.carrier_id == carrier.id, CarrierAccount.active.is_(True))
            .order_by(CarrierAccount.is_default.desc(), CarrierAccount.id)):
        if carrier.kind == CarrierKind.API.value:
            if account.keyring_name:
                return account, None
            continue
        number_range = tracking_range(session, account)
        if number_range is not None:
            return account, number_range
    return None


@dataclass(frozen=True)
class _Tables:
    """The zone rules, rates and transit times a set of destinations needs (read once)."""

    bands: dict[int, list[ZoneBand]]
    site_origin: str | None
    rates: dict[tuple[int, int], list[RateBreak]]
    transits: dict[tuple[int, int], int]

    def zones(self, candidates: list[Candidate], postal_code: str) -> dict[int, int | None]:
        """Each candidate service's zone for ``postal_code`` (None: no zone rule covers it)."""
        zones: dict[int, int | None] = {}
        for c in candidates:
            origin = c.account.origin_postal_code or self.site_origin
            zones[c.service.id] = zone_for(self.bands[c.carrier.id], origin, postal_code) if origin else None
        return zones


def _tables(session: Session, candidates: list[Candidate], postal_codes: Iterable[str]) -> _Tables:
    """Only the rate rows of the zones these destinations fall in are read (plain columns,
    not ORM objects): this runs inside every ship transaction."""
    bands: dict[int, list[ZoneBand]] = defaultdict(list)
    for rule in session.scalars(select(ZoneRule).where(ZoneRule.carrier_id.in_({c.carrier.id for c in candidates}))):
        bands[rule.carrier_id].append(ZoneBand(rule.origin_prefix, rule.dest_prefix_from, rule.dest_prefix_to,
                                               rule.zone))
    tables = _Tables(bands, _site_postal_code(session), defaultdict(list), {})
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


def _offers(session: Session, candidates: list[Candidate], order: Order, parcels: list[Parcel],
            today: dt.date) -> list[Offer]:
    return _offers_from(_tables(session, candidates, [order.ship_to_postal_code]), candidates, order, parcels,
                        today)


def _offers_from(tables: _Tables, candidates: list[Candidate], order: Order, parcels: list[Parcel],
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


def _site_postal_code(session: Session) -> str | None:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    code = value.get("postal_code") if isinstance(value, dict) else None
    return str(code) if code else None


def _facts(order: Order, parcels: list[Parcel], rows: list[tuple[OrderLine, Product]]) -> ShipmentFacts:
    value = order.total_minor or sum(line.quantity * line.unit_price_minor for line, _p in rows)
    return ShipmentFacts(sum(p.weight_g for p in parcels), order.ship_to_country, order.ship_to_region,
                         order.ship_to_postal_code, value, any(p.hazmat for _l, p in rows),
                         any(p.fragile for _l, p in rows))


def _rules(session: Session) -> list[Rule]:
    rows = session.execute(select(RoutingRule, Carrier.code, CarrierService.code)
                           .outerjoin(CarrierService, CarrierService.id == RoutingRule.service_id)
                           .outerjoin(Carrier, Carrier.id == CarrierService.carrier_id)
                           .where(RoutingRule.active.is_(True))).all()
    return [Rule(rule.name, rule.priority, rule.conditions or {},
                 f"{carrier}/{service}" if rule.service_id is not None else None, rule.id)
            for rule, carrier, service in rows]


def _service_key(session: Session, service_id: int | None) -> str | None:
    if service_id is None:
        return None
    row = session.execute(select(Carrier.code, CarrierService.code).join(
        CarrierService, CarrierService.carrier_id == Carrier.id).where(CarrierService.id == service_id)).one()
    return f"{row[0]}/{row[1]}"
