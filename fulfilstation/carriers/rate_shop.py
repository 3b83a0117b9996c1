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
  EasyPost services take single-package shipments only: with several parcels they are not
  offered (a carrier gateway's account — karrio — takes several). Their price here comes
  from their rate table like any service (an estimate:
  the price EasyPost charges is recorded when the label is bought).
* An account reached through a carrier gateway (``gateway_accounts.is_gateway_account``:
  karrio) needs no API key name here: its secrets are the gateway's business.
* Live rates: ``rate_order(..., live=answers)`` prices the services of the gateway accounts
  that answered with the carriers' own rates and leaves out those that did not
  (``live_offers.with_live_rates``); with no answer at all every service is priced from its
  table. The routing rules then choose among these offers exactly as among table offers.
  ``Rated.live_keys`` names the services priced live. The answers are asked for before the
  ship transaction (``services/shipping/live_quotes``): never from here.
* Origin postal code: the account's ``origin_postal_code``, else the site's ship-from.
* The order value for routing rules is ``Order.total_minor``, or the sum of its lines
  when that is 0.
* ``fulfilstation.carriers.rate_batch.rate_orders`` makes the same choice for many orders
  at once (the packing queue); ``rate_tables`` reads the zones, rates and transit times.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway_accounts import is_gateway_account
from fulfilstation.carriers.live_offers import with_live_rates
from fulfilstation.carriers.live_rates import LiveAnswers
from fulfilstation.carriers.numbering import tracking_range
from fulfilstation.carriers.rate_tables import offers_from, rate_tables
from fulfilstation.carriers.rating import Parcel
from fulfilstation.carriers.routing import (
    Decision,
    Offer,
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

    @property
    def single_parcel(self) -> bool:
        """Labels bought from EasyPost: one package per shipment. A carrier gateway's (karrio)
        account takes several (one carrier shipment, or one per package)."""
        return self.bought and not is_gateway_account(self.account.settings)


@dataclass(frozen=True)
class Rated:
    decision: Decision
    chosen: Candidate
    candidates: tuple[Candidate, ...]
    offers: tuple[Offer, ...]
    parcels: tuple[Parcel, ...]
    estimated: bool
    live_keys: frozenset[str] = frozenset()  # services priced by the carrier's live rate
    answers: LiveAnswers | None = None  # what the gateway accounts answered (None: not asked)

    @property
    def live(self) -> bool:
        """The chosen service's price is the carrier's live rate."""
        return self.decision.offer.key in self.live_keys


def rate_order(session: Session, order: Order, today: dt.date | None = None,
               live: LiveAnswers | None = None) -> Rated:
    """Price every usable service for ``order`` (the gateway accounts' services by their
    ``live`` answers when given) and choose one. Raises ``NoServiceAvailable`` or
    ``RoutingRuleError`` (plain-language messages)."""
    today = today or dt.date.today()
    rows = _lines(session, order)
    parcels, estimated = _parcels(session, order, rows)
    candidates = [c for c in usable_candidates(session) if takes(c, len(parcels))]
    offers = offers_from(rate_tables(session, candidates, [order.ship_to_postal_code]), candidates, order,
                         parcels, today)
    priced = with_live_rates(candidates, offers, live, parcels, today)
    decision = choose_service(priced.offers, routing_rules(session), shipment_facts(order, parcels, rows),
                              _service_key(session, order.requested_service_id), order.deliver_by)
    chosen = next(c for c in priced.candidates if c.key == decision.offer.key)
    return Rated(decision, chosen, priced.candidates, priced.offers, tuple(parcels), estimated, priced.live_keys,
                 live)


def takes(candidate: Candidate, parcels: int) -> bool:
    """Whether ``candidate`` can take a shipment of ``parcels`` parcels: an EasyPost label is one
    package per shipment; a carrier gateway's account takes several (``Candidate.single_parcel``)."""
    return not (candidate.single_parcel and parcels > 1)


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
    left = [(line, product, line.quantity - packed[line.id]) for line, product in packed_lines(rows)
            if line.quantity > packed[line.id]]
    if not left:
        return parcels, False
    scanned = pack.box_type_id if is_open and pack is not None else None
    return [*parcels, estimated_parcel(left, active_boxes(session), scanned)], True


def active_boxes(session: Session) -> dict[int, BoxOption]:
    return {b.id: BoxOption(b.code, b.inner_length_mm, b.inner_width_mm, b.inner_height_mm, b.max_weight_g,
                            b.tare_weight_g) for b in session.scalars(select(BoxType).where(BoxType.active.is_(True)))}


def estimated_parcel(left: list[tuple[OrderLine, Product, int]], boxes: dict[int, BoxOption],
              scanned: int | None) -> Parcel:
    """One parcel of the units ``left``: in the box scanned, else the suggested box."""
    box = boxes.get(scanned) if scanned is not None else None
    box = box or suggest_box([ItemSize(p.length_mm, p.width_mm, p.height_mm, p.weight_g, quantity)
                              for _line, p, quantity in left], list(boxes.values()))
    contents = sum(p.weight_g * quantity for _line, p, quantity in left)
    if box is None:
        return Parcel(contents)
    return Parcel(contents + box.tare_weight_g, box.inner_length_mm, box.inner_width_mm, box.inner_height_mm)


def packed_lines(rows: list[tuple[OrderLine, Product]]) -> list[tuple[OrderLine, Product]]:
    """The order's lines that go in the parcel: all but kit lines, whose components are lines
    of their own (``db/kit_lines``); the value and flags of a shipment still count every line."""
    kits = {line.kit_line_id for line, _product in rows if line.kit_line_id is not None}
    return [(line, product) for line, product in rows if line.id not in kits]


def _lines(session: Session, order: Order) -> list[tuple[OrderLine, Product]]:
    return [(line, product) for line, product in session.execute(
        select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id).order_by(OrderLine.line_no))]


def usable_candidates(session: Session) -> list[Candidate]:
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
            if account.keyring_name or is_gateway_account(account.settings):
                return account, None
            continue
        number_range = tracking_range(session, account)
        if number_range is not None:
            return account, number_range
    return None


def shipment_facts(order: Order, parcels: list[Parcel], rows: list[tuple[OrderLine, Product]]) -> ShipmentFacts:
    value = order.total_minor or sum(line.quantity * line.unit_price_minor for line, _p in rows)
    return ShipmentFacts(sum(p.weight_g for p in parcels), order.ship_to_country, order.ship_to_region,
                         order.ship_to_postal_code, value, any(p.hazmat for _l, p in rows),
                         any(p.fragile for _l, p in rows))


def routing_rules(session: Session) -> list[Rule]:
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
